import { afterAll, describe, expect, it } from 'vitest';
import { shadowPasswordCheck } from '../../../src/scanner/policy/shadow-password-check.js';
import { fixtureRoot, removeTempRoots } from './fixture-root.js';

afterAll(removeTempRoots);

describe('shadowPasswordCheck', () => {
  it('reports a blank root password, a blank passwd field and a login account hash', async () => {
    const violations = await shadowPasswordCheck.check(fixtureRoot('shadow-violating'), {});
    expect(
      violations.map((v) => ({ code: v.code, path: v.evidence.path, line: v.evidence.line })),
    ).toEqual([
      { code: 'POLICY_BLANK_PASSWORD', path: 'etc/passwd', line: 5 },
      { code: 'POLICY_BLANK_PASSWORD', path: 'etc/shadow', line: 1 },
      { code: 'POLICY_LOGIN_PASSWORD_HASH', path: 'etc/shadow', line: 3 },
    ]);
    expect(violations[2]?.message).toBe('password hash for a login account: alice');
  });

  it('masks the hash in the excerpt', async () => {
    const violations = await shadowPasswordCheck.check(fixtureRoot('shadow-violating'), {});
    const excerpt = violations[2]?.evidence.excerpt ?? '';
    expect(excerpt).toMatch(/^alice:\$6\$r\*+3kW\.:20089:/);
    expect(excerpt).not.toContain('saltsalt');
  });

  it('accepts locked and disabled accounts and hashes on accounts that cannot log in', async () => {
    expect(await shadowPasswordCheck.check(fixtureRoot('shadow-clean'), {})).toEqual([]);
  });
});
