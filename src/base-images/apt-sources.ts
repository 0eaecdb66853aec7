import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One apt source entry: a one-line `deb` line or one deb822 paragraph. */
export interface AptSourceEntry {
  readonly types: readonly string[];
  readonly uris: readonly string[];
  readonly suites: readonly string[];
  readonly components: readonly string[];
  /** The Signed-By option or field as written (a keyring path, fingerprints or an inline key). */
  readonly signedBy: string | undefined;
  readonly enabled: boolean;
  /** `file:line`, for messages. */
  readonly origin: string;
}

/** Where Debian base roots are bootstrapped from. */
export interface DebianMirrors {
  /** The Debian archive, e.g. `http://mirror.example/debian`. */
  readonly archive: string;
  /** The Debian security archive; undefined when the host names none. */
  readonly security: string | undefined;
}

/** Mirrors an operator configured explicitly (GOLDSMITH_DEBIAN_MIRROR, GOLDSMITH_DEBIAN_SECURITY_MIRROR). */
export interface DebianMirrorOverrides {
  readonly archive?: string | undefined;
  readonly security?: string | undefined;
}

/** Codenames and aliases of Debian releases; Ubuntu and derivatives use other names. */
const DEBIAN_SUITE_NAMES = new Set([
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  'sid',
  'oldoldstable',
  'oldstable',
  'stable',
  'testing',
  'unstable',
]);

/** Parses the one-line format of sources.list(5); `deb-src` lines are kept with their type. */
export function parseOneLineSources(text: string, file = 'sources.list'): AptSourceEntry[] {
  const entries: AptSourceEntry[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (line === '') return;
    const options = new Map<string, string>();
    // Options sit in one bracket group after the type: `deb [ arch=amd64 signed-by=/k.gpg ] uri ...`.
    const withoutOptions = line.replace(/\[([^\]]*)\]/, (_match, inner: string) => {
      for (const option of inner.trim().split(/\s+/)) {
        const eq = option.indexOf('=');
        if (eq > 0) options.set(option.slice(0, eq).toLowerCase(), option.slice(eq + 1));
      }
      return ' ';
    });
    const [type, uri, suite, ...components] = withoutOptions.trim().split(/\s+/);
    if (type === undefined || uri === undefined || suite === undefined) return;
    entries.push({
      types: [type],
      uris: [uri],
      suites: [suite],
      components,
      signedBy: options.get('signed-by'),
      enabled: true,
      origin: `${file}:${index + 1}`,
    });
  });
  return entries;
}

/** Parses the deb822 format of sources.list(5) (`*.sources` files). */
export function parseDeb822Sources(text: string, file = 'debian.sources'): AptSourceEntry[] {
  const entries: AptSourceEntry[] = [];
  let fields = new Map<string, string>();
  let startLine = 0;
  let lastField: string | undefined;
  const flush = (): void => {
    if (fields.size > 0) entries.push(entryFromFields(fields, `${file}:${startLine}`));
    fields = new Map();
    lastField = undefined;
  };
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith('#')) return;
    if (line.trim() === '') {
      flush();
      return;
    }
    // A continuation line (e.g. an inline Signed-By key block) belongs to the previous field.
    if (/^[ \t]/.test(line) && lastField !== undefined) {
      fields.set(lastField, `${fields.get(lastField) ?? ''}\n${line.trim()}`);
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    if (fields.size === 0) startLine = index + 1;
    lastField = line.slice(0, colon).trim().toLowerCase();
    fields.set(lastField, line.slice(colon + 1).trim());
  });
  flush();
  return entries;
}

function entryFromFields(fields: Map<string, string>, origin: string): AptSourceEntry {
  const words = (name: string): string[] =>
    (fields.get(name) ?? '').split(/\s+/).filter((word) => word !== '');
  return {
    types: words('types'),
    uris: words('uris'),
    suites: words('suites'),
    components: words('components'),
    signedBy: fields.get('signed-by'),
    enabled: !/^(no|false|0)$/i.test(fields.get('enabled') ?? 'yes'),
    origin,
  };
}

/** The release name of a suite when it is a Debian release, its `-updates` or its security suite. */
function debianSuiteKind(suite: string): 'release' | 'updates' | 'security' | undefined {
  const match = /^([a-z]+)(-updates|-security|\/updates)?$/.exec(suite);
  if (match === null || !DEBIAN_SUITE_NAMES.has(match[1] ?? '')) return undefined;
  if (match[2] === undefined) return 'release';
  // `CODENAME/updates` is the security suite of buster and older hosts.
  return match[2] === '-updates' ? 'updates' : 'security';
}

/** True when an entry can be Debian's own archive: binary, `main`, and Debian's keyring or none. */
function looksLikeDebian(entry: AptSourceEntry): boolean {
  if (!entry.enabled || !entry.types.includes('deb') || !entry.components.includes('main')) {
    return false;
  }
  // Third-party repositories reuse Debian codenames as suites (`bookworm stable`) but sign with
  // their own keys; Debian's keyring files are all named debian-archive-*.
  return entry.signedBy === undefined || /debian-archive/.test(entry.signedBy);
}

function usableUri(entry: AptSourceEntry): string | undefined {
  const uri = entry.uris.find((candidate) => !candidate.startsWith('cdrom:'));
  return uri?.replace(/\/+$/, '');
}

/** Picks the Debian archive and security archive from parsed entries, in apt's reading order. */
export function findDebianMirrors(entries: readonly AptSourceEntry[]): Partial<DebianMirrors> {
  let release: string | undefined;
  let updatesOnly: string | undefined;
  let security: string | undefined;
  for (const entry of entries) {
    if (!looksLikeDebian(entry)) continue;
    const uri = usableUri(entry);
    if (uri === undefined) continue;
    const kinds = new Set(entry.suites.map(debianSuiteKind));
    if (kinds.has('release')) release ??= uri;
    if (kinds.has('updates')) updatesOnly ??= uri;
    if (kinds.has('security')) security ??= uri;
  }
  return { archive: release ?? updatesOnly, security };
}

/**
 * Reads the host's apt sources as apt does: `sources.list`, then `sources.list.d/*.list` and
 * `*.sources` in name order. Other names (e.g. `.disabled-by-farm`) are ignored, like apt does.
 */
export async function readHostAptSources(etcAptDir = '/etc/apt'): Promise<AptSourceEntry[]> {
  const entries: AptSourceEntry[] = [];
  const mainList = path.join(etcAptDir, 'sources.list');
  const mainText = await readIfExists(mainList);
  if (mainText !== undefined) entries.push(...parseOneLineSources(mainText, mainList));
  const partsDir = path.join(etcAptDir, 'sources.list.d');
  const names = await readdir(partsDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const name of [...names].sort()) {
    const file = path.join(partsDir, name);
    if (name.endsWith('.list')) {
      entries.push(...parseOneLineSources((await readIfExists(file)) ?? '', file));
    } else if (name.endsWith('.sources')) {
      entries.push(...parseDeb822Sources((await readIfExists(file)) ?? '', file));
    }
  }
  return entries;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The Debian mirrors to bootstrap from: explicit configuration first, else what the host's own
 * apt sources name (the project never hard-codes a mirror).
 */
export async function resolveDebianMirrors(
  overrides: DebianMirrorOverrides,
  etcAptDir = '/etc/apt',
): Promise<DebianMirrors> {
  const archiveOverride = nonEmpty(overrides.archive);
  const securityOverride = nonEmpty(overrides.security);
  const fromHost =
    archiveOverride !== undefined && securityOverride !== undefined
      ? {}
      : findDebianMirrors(await readHostAptSources(etcAptDir));
  const archive = archiveOverride ?? fromHost.archive;
  if (archive === undefined) {
    throw new Error(
      `No Debian archive found in the apt sources under ${etcAptDir}; ` +
        'set GOLDSMITH_DEBIAN_MIRROR to the Debian mirror to bootstrap base images from',
    );
  }
  return { archive, security: securityOverride ?? fromHost.security };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim().replace(/\/+$/, '');
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
