import type { Analyzer, AnalyzerResult, AnalysisInput } from './analyzer.js';
import type { InventoryPackage, InventoryWarning } from './inventory-types.js';
import { buildPurl } from './purl.js';
import { readTextInRoot } from './root-fs.js';

/** npm refuses package.json files over a few MiB; a bigger one is not a manifest. */
const MAX_PACKAGE_JSON_BYTES = 4 * 1024 * 1024;

/** Installed npm packages: the `package.json` at the top of each `node_modules/<name>`. */
export const npmAnalyzer: Analyzer = {
  type: 'npm',
  version: 1,
  required: (relPath, info) => info.size <= MAX_PACKAGE_JSON_BYTES && isInstalledManifest(relPath),
  async analyze({ root, relPaths }: AnalysisInput): Promise<AnalyzerResult> {
    const packages: InventoryPackage[] = [];
    const warnings: InventoryWarning[] = [];
    for (const file of relPaths) {
      const text = await readTextInRoot(root, file, MAX_PACKAGE_JSON_BYTES);
      if (text === undefined) continue;
      const result = parsePackageJson(text);
      if (typeof result === 'string')
        warnings.push({ file, line: 0, message: `skipped: ${result}` });
      else packages.push({ ...result, locations: [file] });
    }
    return { packages, warnings };
  },
};

/**
 * Whether `relPath` is `…/node_modules/<name>/package.json`, where every directory from the first
 * `node_modules` down is a package (`[@scope/]name`) or a nested `node_modules`. That leaves out
 * files inside packages, and packages' own test fixtures such as
 * `node_modules/a/test/fixtures/node_modules/b/package.json`.
 */
export function isInstalledManifest(relPath: string): boolean {
  const parts = relPath.split('/');
  if (parts.at(-1) !== 'package.json') return false;
  let at = parts.indexOf('node_modules');
  if (at < 0) return false;
  const last = parts.length - 1;
  while (at < last) {
    if (parts[at] !== 'node_modules') return false;
    at += 1;
    if (parts[at]?.startsWith('@') === true) at += 1;
    // a package directory name: not hidden (npm's `.bin`, `.cache`, `.package-lock.json`)
    const name = parts[at];
    if (name === undefined || at >= last || name.startsWith('.')) return false;
    at += 1;
    if (at === last) return true;
  }
  return false;
}

/** A package.json's name, version and licenses, or why it is not a package. */
export function parsePackageJson(text: string): Omit<InventoryPackage, 'locations'> | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not a JSON object';
  const record = json as Record<string, unknown>;
  const { name, version } = record;
  if (typeof name !== 'string' || !/^(?:@[^/@\s]+\/)?[^/@\s]+$/.test(name))
    return 'no valid "name"';
  if (typeof version !== 'string' || version.trim() === '') return `${name}: no "version"`;
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const bare = scope === undefined ? name : name.slice(scope.length + 1);
  const licenses = npmLicenses(record);
  return {
    type: 'npm',
    name,
    version,
    purl: buildPurl('npm', scope, bare, version),
    ...(licenses.length === 0 ? {} : { licenses }),
  };
}

/** `license` (an SPDX expression, or the legacy `{type}`), else the legacy `licenses` array. */
function npmLicenses(record: Record<string, unknown>): string[] {
  const typeOf = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null) {
      const type = (value as Record<string, unknown>)['type'];
      if (typeof type === 'string') return type;
    }
    return undefined;
  };
  const single = typeOf(record['license']);
  if (single !== undefined) return [single];
  const list = record['licenses'];
  return Array.isArray(list) ? list.flatMap((item) => typeOf(item) ?? []) : [];
}
