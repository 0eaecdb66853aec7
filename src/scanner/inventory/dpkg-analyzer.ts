import type {
  DpkgInventory,
  DpkgPackage,
  DpkgStatus,
  InventoryWarning,
} from './inventory-types.js';
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
  for (const name of await listDirectoryInRoot(root, STATUS_DIR)) {
    // distroless keeps `<package>.md5sums` beside each record.
    if (!name.startsWith('.') && !name.endsWith('.md5sums')) files.push(`${STATUS_DIR}/${name}`);
  }
  const packages = new Map<string, DpkgPackage>();
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
        packages.set(key, pkg);
      }
    }
  }
  return { packages: sortPackages([...packages.values()]), warnings };
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
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return packages.sort((a, b) => order(a.name, b.name) || order(a.architecture, b.architecture));
}
