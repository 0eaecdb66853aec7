import type { OsRelease } from './inventory-types.js';
import { readTextInRoot } from './root-fs.js';

/** os-release(5): `/etc/os-release` first, `/usr/lib/os-release` as the fallback. */
const OS_RELEASE_FILES = ['etc/os-release', 'usr/lib/os-release'] as const;
const MAX_OS_RELEASE_BYTES = 64 * 1024;

/** Reads the operating system's identification under `root`; undefined when it has none. */
export async function readOsRelease(root: string): Promise<OsRelease | undefined> {
  const fields = await readOsReleaseFields(root);
  return fields === undefined ? undefined : osReleaseOf(fields);
}

/** Every `KEY=value` of the os-release file under `root` (e.g. ID_LIKE); undefined when it has none. */
export async function readOsReleaseFields(
  root: string,
): Promise<ReadonlyMap<string, string> | undefined> {
  for (const file of OS_RELEASE_FILES) {
    const text = await readTextInRoot(root, file, MAX_OS_RELEASE_BYTES);
    if (text !== undefined) return parseOsReleaseFields(text);
  }
  return undefined;
}

/** Parses os-release text: shell-style `KEY=value` lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease {
  return osReleaseOf(parseOsReleaseFields(text));
}

function parseOsReleaseFields(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    // os-release(5) asks readers to ignore lines they do not understand.
    if (match === null) continue;
    values.set(match[1] ?? '', unquote(match[2] ?? ''));
  }
  return values;
}

function osReleaseOf(values: ReadonlyMap<string, string>): OsRelease {
  const nonEmpty = (key: string): string | undefined => {
    const value = values.get(key);
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    id: nonEmpty('ID') ?? 'linux',
    versionId: nonEmpty('VERSION_ID'),
    versionCodename: nonEmpty('VERSION_CODENAME'),
    prettyName: nonEmpty('PRETTY_NAME') ?? 'Linux',
  };
}

/** Undoes shell quoting as os-release(5) allows it: `"..."` with `\` escapes, or `'...'`. */
function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
  }
  return value;
}
