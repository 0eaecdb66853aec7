/** Labels and diff ids of an OCI (or Docker) image config (image-spec config.md). */

/** The config's `config.Labels`, keeping only string values; {} when it has none. */
export function configLabels(config: Record<string, unknown>): Record<string, string> {
  const inner = config['config'];
  const labels = isRecord(inner) ? inner['Labels'] : undefined;
  if (!isRecord(labels)) return {};
  return Object.fromEntries(
    Object.entries(labels).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** The config's `os` and `architecture` (with `variant` when set); undefined when it lacks them. */
export function configPlatform(
  config: Record<string, unknown>,
): { readonly os: string; readonly architecture: string; readonly variant?: string } | undefined {
  const { os, architecture, variant } = config;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  return { os, architecture, ...(typeof variant === 'string' ? { variant } : {}) };
}

/** `rootfs.diff_ids` when it lists one well-formed digest per layer; else undefined. */
export function configDiffIds(
  config: Record<string, unknown>,
  layerCount: number,
): readonly string[] | undefined {
  const rootfs = config['rootfs'];
  const diffIds = isRecord(rootfs) ? rootfs['diff_ids'] : undefined;
  if (!Array.isArray(diffIds) || diffIds.length !== layerCount) return undefined;
  const valid = diffIds.filter(
    (id): id is string => typeof id === 'string' && /^sha256:[0-9a-f]{64}$/.test(id),
  );
  return valid.length === layerCount ? valid : undefined;
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
