import { afterAll, describe, expect, it } from 'vitest';
import { authorizedKeysCheck } from '../../../src/scanner/policy/authorized-keys-check.js';
import { fixtureRoot, removeTempRoots } from './fixture-root.js';

afterAll(removeTempRoots);

describe('authorizedKeysCheck', () => {
  it('finds keys in /root, in homes and at AuthorizedKeysFile paths', async () => {
    const violations = await authorizedKeysCheck.check(
      fixtureRoot('authorized-keys-violating'),
      {},
    );
    expect(violations.map((v) => [v.code, v.evidence.path])).toEqual([
      ['POLICY_AUTHORIZED_KEYS', 'etc/ssh/keys/alice'],
      ['POLICY_AUTHORIZED_KEYS', 'home/alice/.ssh/authorized_keys2'],
      ['POLICY_AUTHORIZED_KEYS', 'root/.ssh/authorized_keys'],
    ]);
    expect(violations[2]?.message).toBe(
      'authorized_keys file /root/.ssh/authorized_keys with 1 key(s)',
    );
  });

  it('passes an image with other SSH files only', async () => {
    expect(await authorizedKeysCheck.check(fixtureRoot('authorized-keys-clean'), {})).toEqual([]);
  });
});
