import type { Analyzer, AnalyzerResult, AnalysisInput } from './analyzer.js';
import type { InventoryPackage, InventoryWarning } from './inventory-types.js';
import { buildPurl } from './purl.js';
import { readBytesInRoot } from './root-fs.js';
import { listZipEntries, readZipEntry, ZipFormatError } from './zip-archive.js';

const ARCHIVE = /\.(?:jar|war|ear)$/i;
/** Outer archives are read whole; fat application jars reach a few hundred MiB. */
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
/** A nested archive is inflated into memory, so it has a tighter bound. */
const MAX_NESTED_BYTES = 64 * 1024 * 1024;
/** Archives inside archives inside the file (a war's jars, a fat jar's jars), and no deeper. */
const MAX_NESTING = 2;
const MAX_TEXT_BYTES = 1024 * 1024;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;

/** Maven coordinates of a jar. */
interface MavenId {
  readonly groupId: string | undefined;
  readonly artifactId: string;
  readonly version: string;
}

/** Java archives: Maven coordinates from pom.properties, else from the manifest; nested jars. */
export const javaAnalyzer: Analyzer = {
  type: 'java',
  version: 1,
  required: (relPath, info) => info.size <= MAX_ARCHIVE_BYTES && ARCHIVE.test(relPath),
  async analyze({ root, relPaths }: AnalysisInput): Promise<AnalyzerResult> {
    const packages: InventoryPackage[] = [];
    const warnings: InventoryWarning[] = [];
    for (const file of relPaths) {
      const bytes = await readBytesInRoot(root, file, MAX_ARCHIVE_BYTES);
      if (bytes === undefined) continue;
      analyzeArchive(bytes, file, file, 0, packages, warnings);
    }
    return { packages, warnings };
  },
};

/** Adds the packages of one archive and those nested in it; a broken archive is a warning. */
function analyzeArchive(
  zip: Buffer,
  file: string,
  location: string,
  depth: number,
  packages: InventoryPackage[],
  warnings: InventoryWarning[],
): void {
  // Inside a nested archive, the message starts with its path: `!/WEB-INF/lib/a.jar: ...`.
  const warnAt = (where: string, message: string): void => {
    const inner = where.slice(file.length);
    warnings.push({ file, line: 0, message: inner === '' ? message : `${inner}: ${message}` });
  };
  const warn = (message: string): void => warnAt(location, message);
  try {
    const entries = listZipEntries(zip);
    const found: MavenId[] = [];
    let manifest: MavenId | undefined;
    for (const entry of entries) {
      if (POM_PROPERTIES.test(entry.name)) {
        const id = pomPropertiesId(readZipEntry(zip, entry, MAX_TEXT_BYTES).toString('utf8'));
        if (id === undefined) warn(`${entry.name} lacks groupId, artifactId or version`);
        else found.push(id);
      } else if (entry.name === 'META-INF/MANIFEST.MF') {
        manifest = manifestId(
          parseManifest(readZipEntry(zip, entry, MAX_TEXT_BYTES).toString('utf8')),
        );
      }
    }
    // pom.properties are exact; a manifest only names the jar when no pom.properties does
    // (shaded jars carry their dependencies' pom.properties, and their manifest is the jar's).
    if (found.length === 0 && manifest !== undefined) found.push(manifest);
    if (found.length === 0) warn('no Maven coordinates in pom.properties or the manifest');
    const seen = new Set<string>();
    for (const id of found) {
      const key = `${id.groupId ?? ''}:${id.artifactId}@${id.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      packages.push(toInventoryPackage(id, location));
    }
    for (const entry of entries) {
      if (!ARCHIVE.test(entry.name) || entry.name.endsWith('/')) continue;
      const nested = `${location}!/${entry.name}`;
      if (depth >= MAX_NESTING) {
        warnAt(nested, `nested deeper than ${MAX_NESTING}, not read`);
        continue;
      }
      let inner: Buffer;
      try {
        inner = readZipEntry(zip, entry, MAX_NESTED_BYTES);
      } catch (error) {
        if (!(error instanceof ZipFormatError)) throw error;
        warnAt(nested, error.message);
        continue;
      }
      analyzeArchive(inner, file, nested, depth + 1, packages, warnings);
    }
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    warn(`not a readable archive: ${error.message}`);
  }
}

/** `key=value` lines of a Java properties file (comments and blank lines skipped). */
function parseProperties(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (match !== null) values.set(match[1] ?? '', (match[2] ?? '').trim());
  }
  return values;
}

function pomPropertiesId(text: string): MavenId | undefined {
  const values = parseProperties(text);
  const groupId = values.get('groupId');
  const artifactId = values.get('artifactId');
  const version = values.get('version');
  if (!groupId || !artifactId || !version) return undefined;
  return { groupId, artifactId, version };
}

/**
 * The main section of a JAR manifest (JAR File Specification, "Manifest Specification"):
 * `Name: value` lines up to the first blank line, a leading space continuing the previous one.
 */
export function parseManifest(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let last: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') break;
    if (line.startsWith(' ')) {
      if (last !== undefined) values.set(last, `${values.get(last) ?? ''}${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    values.set(last, line.slice(colon + 1).trim());
  }
  return values;
}

/**
 * Coordinates from manifest attributes: the OSGi `Bundle-SymbolicName` (`group.artifact`) and
 * `Bundle-Version`, else `Implementation-Title`/`-Version` with `Implementation-Vendor-Id` as
 * the group. Titles with spaces are display names, not artifact ids, and are not used.
 */
function manifestId(values: Map<string, string>): MavenId | undefined {
  const version = values.get('Implementation-Version') ?? values.get('Bundle-Version');
  if (!version) return undefined;
  const title = values.get('Implementation-Title');
  const vendorId = values.get('Implementation-Vendor-Id');
  if (title && !/\s/.test(title))
    return { groupId: vendorId || undefined, artifactId: title, version };
  // `org.example.tool;singleton:=true` -> group org.example, artifact tool
  const symbolic = values.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  if (!symbolic) return undefined;
  const dot = symbolic.lastIndexOf('.');
  return dot <= 0
    ? { groupId: vendorId || undefined, artifactId: symbolic, version }
    : { groupId: symbolic.slice(0, dot), artifactId: symbolic.slice(dot + 1), version };
}

function toInventoryPackage(id: MavenId, location: string): InventoryPackage {
  return {
    type: 'java',
    name: id.groupId === undefined ? id.artifactId : `${id.groupId}:${id.artifactId}`,
    version: id.version,
    purl: buildPurl('maven', id.groupId, id.artifactId, id.version),
    locations: [location],
  };
}
