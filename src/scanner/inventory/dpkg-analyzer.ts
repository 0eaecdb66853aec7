import type { Analyzer, AnalyzerResult, AnalysisInput } from './analyzer.js';
import type {
  DpkgInventory,
  DpkgPackage,
  DpkgStatus,
  InventoryPackage,
  InventoryWarning,
  OsRelease,
} from './inventory-types.js';
import { buildPurl } from './purl.js';
import { listDirectoryInRoot, readTextInRoot } from './root-fs.js';

const STATUS_FILE = 'var/lib/dpkg/status';
/** One file per package, as distroless images keep their dpkg records. */
const STATUS_DIR = 'var/lib/dpkg/status.d';
/** A real status file is a few MiB; anything far larger is not one. */
const MAX_STATUS_BYTES = 64 * 1024 * 1024;

const WANTS: readonly DpkgStatus['want'][] = ['unknown', 'install', 'hold', 'deinstall', 'purge'];
const FLAGS: readonly DpkgStatus['flag'][] = ['ok', 'reinstreq'];
const STATES: readonly DpkgStatus['state'][] = [
  'not-installed',
  'config-files',
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
  'installed',
];

/** Debian Policy 5.6.1: lowercase letters, digits, `+ - .`, at least two, alphanumeric first. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/**
 * Debian Policy 5.6.12: `[epoch:]upstream[-revision]`, colons only after an epoch. Policy wants
 * upstream to start with a digit, but dpkg accepts (and so may have installed) a letter.
 */
const DEBIAN_VERSION = /^(?:\d+:[A-Za-z0-9][A-Za-z0-9.+~:-]*|[A-Za-z0-9][A-Za-z0-9.+~-]*)$/;
/** `Source: name` or `Source: name (version)`. */
const SOURCE_FIELD = /^(\S+)(?:\s+\((\S+)\))?$/;
const FIELD_LINE = /^([!-9;-~][!-9;-~]*):[ \t]*(.*)$/;

interface Stanza {
  readonly line: number;
  readonly fields: ReadonlyMap<string, string>;
}

/**
 * Reads the dpkg database under `root` (`var/lib/dpkg/status` and any `status.d/*`), skipping
 * malformed stanzas with a warning. Packages dpkg records as not installed are left out.
 */
export async function analyzeDpkg(root: string): Promise<DpkgInventory> {
  const files = [STATUS_FILE];
  for (const name of await listDirectoryInRoot(root, STATUS_DIR))
    files.push(`${STATUS_DIR}/${name}`);
  const { packages, warnings } = await readDpkgFiles(root, files.filter(isDpkgRecordFile));
  return { packages: packages.map(({ pkg }) => pkg), warnings };
}

/** The dpkg database as an inventory analyzer (`status` and `status.d`). */
export const dpkgAnalyzer: Analyzer = {
  type: 'dpkg',
  version: 1,
  required: (relPath) => isDpkgRecordFile(relPath),
  async analyze({ root, relPaths, os }: AnalysisInput): Promise<AnalyzerResult> {
    // status first, as analyzeDpkg reads it, so the same duplicate wins.
    const files = [...relPaths].sort(
      (a, b) => Number(b === STATUS_FILE) - Number(a === STATUS_FILE),
    );
    const { packages, warnings } = await readDpkgFiles(root, files);
    return {
      packages: packages
        // `config-files` keeps only configuration: no software of the package is on disk.
        .filter(({ pkg }) => pkg.status.state !== 'config-files')
        .map(({ pkg, file }) => toInventoryPackage(pkg, file, os)),
      warnings,
    };
  },
};

/**
 * The package URL of a Debian package (purl spec, `deb` type), e.g.
 * `pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12`.
 */
export function debPurl(
  pkg: Pick<DpkgPackage, 'name' | 'version' | 'architecture'>,
  os: OsRelease | undefined,
): string {
  // Ubuntu and Debian are the two vendors the purl spec names; derivatives use Debian's archive.
  const vendor = os?.id === 'ubuntu' ? 'ubuntu' : 'debian';
  const release = os?.versionId ?? os?.versionCodename;
  return buildPurl('deb', vendor, pkg.name, pkg.version, {
    arch: pkg.architecture,
    distro: release === undefined ? undefined : `${vendor}-${release}`,
  });
}

/** A dpkg record as a general inventory package; `file` is where it was found, if known. */
export function toInventoryPackage(
  pkg: DpkgPackage,
  file: string | undefined,
  os: OsRelease | undefined,
): InventoryPackage {
  return {
    type: 'deb',
    name: pkg.name,
    version: pkg.version,
    sourceName: pkg.sourceName,
    sourceVersion: pkg.sourceVersion,
    arch: pkg.architecture,
    purl: debPurl(pkg, os),
    locations: file === undefined ? [] : [file],
  };
}

function isDpkgRecordFile(relPath: string): boolean {
  if (relPath === STATUS_FILE) return true;
  if (!relPath.startsWith(`${STATUS_DIR}/`)) return false;
  const name = relPath.slice(STATUS_DIR.length + 1);
  // distroless keeps `<package>.md5sums` beside each record.
  return !name.includes('/') && !name.startsWith('.') && !name.endsWith('.md5sums');
}

/** Reads status files in order; a package recorded again (same name and arch) is a warning. */
async function readDpkgFiles(
  root: string,
  files: readonly string[],
): Promise<{ packages: { pkg: DpkgPackage; file: string }[]; warnings: InventoryWarning[] }> {
  const packages = new Map<string, { pkg: DpkgPackage; file: string }>();
  const warnings: InventoryWarning[] = [];
  for (const file of files) {
    const text = await readTextInRoot(root, file, MAX_STATUS_BYTES);
    if (text === undefined) continue;
    const parsed = parseDpkgStatus(text, file);
    warnings.push(...parsed.warnings);
    for (const pkg of parsed.packages) {
      const key = `${pkg.name}:${pkg.architecture}`;
      if (packages.has(key)) {
        warnings.push({ file, line: 0, message: `${key} is recorded twice; the first is kept` });
      } else {
        packages.set(key, { pkg, file });
      }
    }
  }
  const sorted = [...packages.values()].sort((a, b) => comparePackages(a.pkg, b.pkg));
  return { packages: sorted, warnings };
}

/** Parses the text of a dpkg status file (`file` names it in warnings). */
export function parseDpkgStatus(text: string, file: string): DpkgInventory {
  const packages: DpkgPackage[] = [];
  const warnings: InventoryWarning[] = [];
  for (const stanza of splitStanzas(text, file, warnings)) {
    const result = toPackage(stanza);
    if (typeof result === 'string') {
      const name = stanza.fields.get('package');
      const subject = name === undefined ? 'stanza' : `package ${name}`;
      warnings.push({ file, line: stanza.line, message: `${subject} skipped: ${result}` });
    } else if (result !== undefined) {
      packages.push(result);
    }
  }
  warnings.sort((a, b) => a.line - b.line);
  return { packages: sortPackages(packages), warnings };
}

/** Splits deb822 text into stanzas; a stanza with a broken line is dropped with a warning. */
function splitStanzas(text: string, file: string, warnings: InventoryWarning[]): Stanza[] {
  const stanzas: Stanza[] = [];
  let fields = new Map<string, string>();
  let start = 0;
  let lastField: string | undefined;
  let broken: string | undefined;
  const finish = (): void => {
    if (broken !== undefined) {
      const name = fields.get('package');
      const subject = name === undefined ? 'stanza' : `package ${name}`;
      warnings.push({ file, line: start, message: `${subject} skipped: ${broken}` });
    } else if (fields.size > 0) {
      stanzas.push({ line: start, fields });
    }
    fields = new Map();
    lastField = undefined;
    broken = undefined;
  };
  const lines = text.split('\n');
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') {
      finish();
      return;
    }
    if (fields.size === 0 && broken === undefined) start = index + 1;
    if (broken !== undefined) return;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lastField === undefined) broken = `line ${index + 1} continues no field`;
      else fields.set(lastField, `${fields.get(lastField) ?? ''}\n${line.trim()}`);
      return;
    }
    const match = FIELD_LINE.exec(line);
    if (match === null) {
      broken = `line ${index + 1} is not a field`;
      return;
    }
    // Field names are case-insensitive (deb822(5)).
    const name = (match[1] ?? '').toLowerCase();
    if (fields.has(name)) {
      broken = `field ${match[1]} repeated on line ${index + 1}`;
      return;
    }
    fields.set(name, (match[2] ?? '').trim());
    lastField = name;
  });
  finish();
  return stanzas;
}

/** A package, undefined for a record of a package that is not installed, or why it is malformed. */
function toPackage(stanza: Stanza): DpkgPackage | string | undefined {
  const get = (field: string): string | undefined => stanza.fields.get(field);
  const name = get('package');
  if (name === undefined || !PACKAGE_NAME.test(name)) return 'missing or invalid Package';
  const status = parseStatus(get('status'));
  if (status === undefined) return `invalid Status ${JSON.stringify(get('status') ?? '')}`;
  if (status.state === 'not-installed') return undefined;
  const version = get('version');
  if (version === undefined || !DEBIAN_VERSION.test(version)) {
    return `invalid Version ${JSON.stringify(version ?? '')}`;
  }
  const architecture = get('architecture');
  if (architecture === undefined || !/^[a-z0-9-]+$/.test(architecture)) {
    return 'missing or invalid Architecture';
  }
  let sourceName = name;
  let sourceVersion = version;
  const source = get('source');
  if (source !== undefined) {
    const match = SOURCE_FIELD.exec(source);
    if (match === null || !PACKAGE_NAME.test(match[1] ?? '')) return `invalid Source ${source}`;
    sourceName = match[1] ?? name;
    if (match[2] !== undefined) {
      if (!DEBIAN_VERSION.test(match[2])) return `invalid Source version ${match[2]}`;
      sourceVersion = match[2];
    }
  }
  const size = get('installed-size');
  if (size !== undefined && !/^\d+$/.test(size)) return `invalid Installed-Size ${size}`;
  return {
    name,
    version,
    architecture,
    status,
    sourceName,
    sourceVersion,
    installedSizeKiB: size === undefined ? undefined : Number(size),
  };
}

function parseStatus(value: string | undefined): DpkgStatus | undefined {
  const [want, flag, state, extra] = (value ?? '').split(/\s+/);
  const known = <T extends string>(list: readonly T[], word: string | undefined): word is T =>
    list.some((item) => item === word);
  if (extra !== undefined || !known(WANTS, want) || !known(FLAGS, flag) || !known(STATES, state)) {
    return undefined;
  }
  return { want, flag, state };
}

function sortPackages(packages: DpkgPackage[]): DpkgPackage[] {
  return packages.sort(comparePackages);
}

function comparePackages(a: DpkgPackage, b: DpkgPackage): number {
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return order(a.name, b.name) || order(a.architecture, b.architecture);
}
