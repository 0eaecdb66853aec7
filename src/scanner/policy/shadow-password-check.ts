import type { PolicyCheck, PolicyViolation } from './policy-check.js';
import { policyViolation } from './policy-finding-catalogue.js';
import { isLoginAccount, readAccountFile, readPasswd } from './passwd-file.js';
import { maskSecret } from './root-walk.js';

const CHECK_ID = 'shadow-passwords';

/**
 * shadow(5): an empty password field means no password is needed at all; a field starting
 * with `!` is locked and `*` (or any other string crypt(3) never produces) cannot match, so
 * `*`, `!`, `!!`, `!*` and `!<hash>` are all unusable. Everything else is a usable hash.
 */
function isUsableHash(field: string): boolean {
  return field !== '' && !field.startsWith('!') && !field.startsWith('*');
}

/** Policy: no blank or null root password, no password hashes for login accounts. */
export const shadowPasswordCheck: PolicyCheck = {
  id: CHECK_ID,
  version: 1,
  title: 'No blank root password and no password hashes for login accounts',
  perFile: false,
  async check(root) {
    const accounts = new Map((await readPasswd(root)).map((entry) => [entry.name, entry]));
    const violations: PolicyViolation[] = [];
    // passwd(5): an empty password field in /etc/passwd itself also means "no password".
    for (const entry of accounts.values()) {
      if (entry.password === '' && isLoginAccount(entry)) {
        violations.push(
          policyViolation(
            CHECK_ID,
            'POLICY_BLANK_PASSWORD',
            `${entry.name} has an empty password field in /etc/passwd`,
            { path: 'etc/passwd', line: entry.line, excerpt: `${entry.name}::${entry.uid}:…` },
          ),
        );
      }
    }
    const shadow = await readAccountFile(root, 'etc/shadow');
    if (shadow === undefined) return violations;
    shadow.split('\n').forEach((raw, index) => {
      const [name = '', field, ...rest] = raw.split(':');
      if (name === '' || field === undefined || raw.startsWith('#')) return;
      const entry = accounts.get(name);
      if (!isLoginAccount(entry)) return;
      const evidence = {
        path: 'etc/shadow',
        line: index + 1,
        excerpt: [name, maskSecret(field), ...rest].join(':'),
      };
      if (field === '') {
        violations.push(
          policyViolation(
            CHECK_ID,
            'POLICY_BLANK_PASSWORD',
            `${name} has an empty password: anyone can log in as ${name} without one`,
            evidence,
          ),
        );
      } else if (isUsableHash(field)) {
        violations.push(
          policyViolation(
            CHECK_ID,
            'POLICY_LOGIN_PASSWORD_HASH',
            `password hash for a login account: ${name}`,
            evidence,
          ),
        );
      }
    });
    return violations;
  },
};
