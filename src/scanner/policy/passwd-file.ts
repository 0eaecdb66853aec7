import { readTextInRoot } from '../inventory/root-fs.js';

/** One account of passwd(5). */
export interface PasswdEntry {
  readonly name: string;
  /** The password field: `x` when the hash is in /etc/shadow. */
  readonly password: string;
  readonly uid: number;
  readonly home: string;
  readonly shell: string;
  /** 1-based line in etc/passwd. */
  readonly line: number;
}

const MAX_ACCOUNT_FILE_BYTES = 4 * 1024 * 1024;

/** Reads `etc/passwd` under `root`; lines that are not seven colon-separated fields are skipped. */
export async function readPasswd(root: string): Promise<PasswdEntry[]> {
  const text = await readTextInRoot(root, 'etc/passwd', MAX_ACCOUNT_FILE_BYTES);
  if (text === undefined) return [];
  const entries: PasswdEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.split(':');
    if (fields.length !== 7 || raw.startsWith('#')) return;
    const [name = '', password = '', uid = '', , , home = '', shell = ''] = fields;
    if (name === '' || !/^\d+$/.test(uid)) return;
    entries.push({ name, password, uid: Number(uid), home, shell, line: index + 1 });
  });
  return entries;
}

/** Reads a small account file such as `etc/shadow`; undefined when absent. */
export function readAccountFile(root: string, relPath: string): Promise<string | undefined> {
  return readTextInRoot(root, relPath, MAX_ACCOUNT_FILE_BYTES);
}

/**
 * Whether the account can open an interactive session: uid 0 always, otherwise any shell but
 * nologin(8) and false(1), the shells Debian and RHEL give system accounts.
 */
export function isLoginAccount(entry: PasswdEntry | undefined): boolean {
  if (entry === undefined) return true; // no passwd entry: cannot prove it is not a login
  if (entry.uid === 0) return true;
  const shell = entry.shell.split('/').pop() ?? '';
  return shell !== 'nologin' && shell !== 'false';
}
