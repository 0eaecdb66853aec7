import type { PolicyCheck, PolicyViolation } from './policy-check.js';
import { policyViolation } from './policy-finding-catalogue.js';
import { isLoginAccount, readAccountFile, readPasswd } from './passwd-file.js';
import type { PasswdEntry } from './passwd-file.js';
import { listRootFiles } from './root-walk.js';
import { firstGlobal, firstPerMatchBlock, readSshdConfig } from './sshd-config.js';

const CHECK_ID = 'authorized-keys';

/** OpenSSH's default AuthorizedKeysFile. */
const DEFAULT_AUTHORIZED_KEYS_FILES = ['.ssh/authorized_keys', '.ssh/authorized_keys2'];
const KEY_FILE_NAMES = new Set(['authorized_keys', 'authorized_keys2']);
/** Homes that are not real: walking `/` would walk the whole image. */
const NOT_A_HOME = new Set(['', '/', '/nonexistent', '/dev/null']);

/**
 * Policy: no authorized_keys files. Looks for `authorized_keys` and `authorized_keys2`
 * anywhere under /root, /home and every login account's home directory (system accounts
 * have homes like /usr/sbin, not worth walking), and at every path sshd's
 * AuthorizedKeysFile names (global and per Match block) for every account.
 */
export const authorizedKeysCheck: PolicyCheck = {
  id: CHECK_ID,
  version: 1,
  title: 'No authorized_keys files',
  perFile: false,
  async check(root) {
    const accounts = await readPasswd(root);
    const found = new Set<string>();
    const homes = new Set(['/root', '/home']);
    for (const account of accounts) {
      if (isLoginAccount(account) && !NOT_A_HOME.has(account.home)) homes.add(account.home);
    }
    for (const home of homes) {
      for (const file of await listRootFiles(root, home, () => false)) {
        if (KEY_FILE_NAMES.has(file.relPath.split('/').pop() ?? '')) found.add(file.relPath);
      }
    }
    for (const pattern of await authorizedKeysPatterns(root)) {
      for (const account of accounts) {
        const relPath = expandAuthorizedKeysPath(pattern, account);
        if ((await readAccountFile(root, relPath)) !== undefined) found.add(relPath);
      }
    }
    const violations: PolicyViolation[] = [];
    for (const relPath of [...found].sort()) {
      const text = (await readAccountFile(root, relPath)) ?? '';
      const keys = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
      violations.push(
        policyViolation(
          CHECK_ID,
          'POLICY_AUTHORIZED_KEYS',
          `authorized_keys file /${relPath} with ${keys.length} key(s)`,
          { path: relPath },
        ),
      );
    }
    return violations;
  },
};

/** AuthorizedKeysFile values from sshd_config: the global one (or the default) and Match ones. */
async function authorizedKeysPatterns(root: string): Promise<string[]> {
  const directives = await readSshdConfig(root);
  if (directives === undefined) return DEFAULT_AUTHORIZED_KEYS_FILES;
  const keyword = ['authorizedkeysfile'];
  const global = firstGlobal(directives, keyword);
  const patterns = new Set(global === undefined ? DEFAULT_AUTHORIZED_KEYS_FILES : global.args);
  for (const directive of firstPerMatchBlock(directives, keyword)) {
    for (const arg of directive.args) patterns.add(arg);
  }
  patterns.delete('none');
  return [...patterns];
}

/**
 * sshd_config(5) TOKENS for AuthorizedKeysFile: `%h` home, `%u` user, `%U` uid, `%%` a
 * percent; a path that is not absolute is relative to the home directory.
 */
function expandAuthorizedKeysPath(pattern: string, account: PasswdEntry): string {
  const expanded = pattern.replace(/%([%hUu])/g, (_, token: string) =>
    token === '%'
      ? '%'
      : token === 'h'
        ? account.home
        : token === 'u'
          ? account.name
          : String(account.uid),
  );
  const absolute = expanded.startsWith('/') ? expanded : `${account.home}/${expanded}`;
  return absolute
    .split('/')
    .filter((p) => p !== '')
    .join('/');
}
