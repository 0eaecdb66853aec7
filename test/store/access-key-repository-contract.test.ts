import { describe, expect, it } from 'vitest';

import type { StoredAccessKey } from '../../src/domain/access-keys/access-key.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
  at,
  MINE,
  OTHER,
} from './store-harnesses.js';

function key(id: string, accountId: string, createdAt: string): StoredAccessKey {
  return {
    id,
    accountId,
    secretCiphertext: `ct-${id}`,
    secretNonce: `nonce-${id}`,
    createdAt,
    lastUsedAt: null,
  };
}

function describeAccessKeyContract(engine: string, createHarness: HarnessFactory): void {
  describe(`access key repository contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness, [MINE, OTHER]);

    it('round-trips keys, lists and counts them per account, oldest first', async () => {
      await fresh.store.accessKeys.insert(key('GSKABBBBBBBBBBBBBBBB', MINE, at(2)));
      await fresh.store.accessKeys.insert(key('GSKAAAAAAAAAAAAAAAAA', MINE, at(1)));
      await fresh.store.accessKeys.insert(key('GSKACCCCCCCCCCCCCCCC', OTHER, at(1)));

      expect(await fresh.store.accessKeys.get('GSKABBBBBBBBBBBBBBBB')).toEqual(
        key('GSKABBBBBBBBBBBBBBBB', MINE, at(2)),
      );
      expect(await fresh.store.accessKeys.get('GSKAXXXXXXXXXXXXXXXX')).toBeUndefined();
      expect((await fresh.store.accessKeys.listForAccount(MINE)).map((k) => k.id)).toEqual([
        'GSKAAAAAAAAAAAAAAAAA',
        'GSKABBBBBBBBBBBBBBBB',
      ]);
      expect(await fresh.store.accessKeys.countForAccount(MINE)).toBe(2);
      expect(await fresh.store.accessKeys.countForAccount(OTHER)).toBe(1);
    });

    it('records the last use', async () => {
      await fresh.store.accessKeys.insert(key('GSKAAAAAAAAAAAAAAAAA', MINE, at(1)));
      await fresh.store.accessKeys.markUsed('GSKAAAAAAAAAAAAAAAAA', at(5));
      expect((await fresh.store.accessKeys.get('GSKAAAAAAAAAAAAAAAAA'))?.lastUsedAt).toBe(at(5));
    });

    it("deletes only the account's own key, or any key when unscoped", async () => {
      await fresh.store.accessKeys.insert(key('GSKAAAAAAAAAAAAAAAAA', MINE, at(1)));
      expect(await fresh.store.accessKeys.delete(OTHER, 'GSKAAAAAAAAAAAAAAAAA')).toBe(false);
      expect(await fresh.store.accessKeys.delete(MINE, 'GSKAAAAAAAAAAAAAAAAA')).toBe(true);
      expect(await fresh.store.accessKeys.delete(MINE, 'GSKAAAAAAAAAAAAAAAAA')).toBe(false);
      await fresh.store.accessKeys.insert(key('GSKACCCCCCCCCCCCCCCC', OTHER, at(1)));
      expect(await fresh.store.accessKeys.delete(null, 'GSKACCCCCCCCCCCCCCCC')).toBe(true);
      expect(await fresh.store.accessKeys.countForAccount(OTHER)).toBe(0);
    });
  });
}

describeAccessKeyContract('SQLite', sqliteHarness);
describeAccessKeyContract('PostgreSQL', postgresHarness);
