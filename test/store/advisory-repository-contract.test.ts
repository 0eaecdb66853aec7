import { describe, expect, it } from 'vitest';

import type { AdvisoryPackage, StoredAdvisory } from '../../src/store/store.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
} from './store-harnesses.js';

/** A fixed-format `modified` on day `day` of January 2025. */
function day(day: number): string {
  return `2025-01-${String(day).padStart(2, '0')}T00:00:00.000000Z`;
}

function advisory(
  id: string,
  packages: readonly AdvisoryPackage[],
  overrides: Partial<StoredAdvisory> = {},
): StoredAdvisory {
  return {
    id,
    modified: day(1),
    withdrawn: null,
    source: 'osv',
    packages,
    raw: JSON.stringify({ id, modified: overrides.modified ?? day(1) }),
    ...overrides,
  };
}

const deb12 = (name: string): AdvisoryPackage => ({ ecosystem: 'Debian:12', name });
const deb11 = (name: string): AdvisoryPackage => ({ ecosystem: 'Debian:11', name });

/** The AdvisoryRepository contract: every Store implementation must pass all of it. */
function describeAdvisoryContract(engine: string, createHarness: HarnessFactory): void {
  describe(`AdvisoryRepository contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    it('finds advisories by ecosystem and any of several package names, by id', async () => {
      const dsa = advisory('DSA-2', [deb12('openssl'), deb11('openssl'), deb12('openssl')]);
      const cve = advisory('CVE-1', [deb12('curl'), deb12('openssl')]);
      const other = advisory('DLA-3', [deb11('curl')]);
      await fresh.store.advisories.upsert([dsa, cve, other]);

      const found = await fresh.store.advisories.findByPackages('Debian:12', ['openssl', 'zlib']);
      expect(found.map((a) => a.id)).toEqual(['CVE-1', 'DSA-2']);
      // Package rows are kept once each, in (ecosystem, name) order.
      expect(found[1]).toEqual({ ...dsa, packages: [deb11('openssl'), deb12('openssl')] });
      expect(found[0]).toEqual({ ...cve, packages: [deb12('curl'), deb12('openssl')] });

      expect(
        (await fresh.store.advisories.findByPackages('Debian:11', ['curl'])).map((a) => a.id),
      ).toEqual(['DLA-3']);
      expect(await fresh.store.advisories.findByPackages('Debian:13', ['openssl'])).toEqual([]);
      expect(await fresh.store.advisories.findByPackages('Debian:12', [])).toEqual([]);
    });

    it('replaces an advisory by id, package rows included', async () => {
      await fresh.store.advisories.upsert([advisory('DSA-1', [deb12('openssl'), deb12('libssl')])]);
      const newer = advisory('DSA-1', [deb12('curl')], {
        modified: day(2),
        source: 'debian-security',
        raw: '{"id":"DSA-1","v":2}',
      });
      await fresh.store.advisories.upsert([newer]);

      expect(
        await fresh.store.advisories.findByPackages('Debian:12', ['openssl', 'libssl']),
      ).toEqual([]);
      expect(await fresh.store.advisories.findByPackages('Debian:12', ['curl'])).toEqual([newer]);
      expect(await fresh.store.advisories.modifiedOf(['DSA-1'])).toEqual(
        new Map([['DSA-1', day(2)]]),
      );
    });

    it('keeps the last of several copies of one id in one upsert', async () => {
      await fresh.store.advisories.upsert([
        advisory('DSA-1', [deb12('a')], { modified: day(3) }),
        advisory('DSA-1', [deb12('b')], { modified: day(4) }),
      ]);
      expect(await fresh.store.advisories.findByPackages('Debian:12', ['a'])).toEqual([]);
      expect((await fresh.store.advisories.findByPackages('Debian:12', ['b']))[0]?.modified).toBe(
        day(4),
      );
    });

    it('tells the stored modified time of the ids that exist', async () => {
      await fresh.store.advisories.upsert([
        advisory('A', [deb12('a')], { modified: day(5) }),
        advisory('B', [deb12('b')], { modified: day(6) }),
      ]);
      expect(await fresh.store.advisories.modifiedOf(['A', 'B', 'C', 'A'])).toEqual(
        new Map([
          ['A', day(5)],
          ['B', day(6)],
        ]),
      );
      expect(await fresh.store.advisories.modifiedOf([])).toEqual(new Map());
    });

    it('deletes by id with the package rows, counting what existed', async () => {
      await fresh.store.advisories.upsert([
        advisory('A', [deb12('a')]),
        advisory('B', [deb12('a')]),
      ]);
      expect(await fresh.store.advisories.delete(['A', 'missing'])).toBe(1);
      expect(
        (await fresh.store.advisories.findByPackages('Debian:12', ['a'])).map((a) => a.id),
      ).toEqual(['B']);
      expect(await fresh.store.advisories.delete([])).toBe(0);
      expect((await fresh.store.advisories.status()).records).toBe(1);
    });

    it('handles batches larger than one statement holds', async () => {
      const many = Array.from({ length: 2500 }, (_, i) =>
        advisory(`CVE-${String(i).padStart(5, '0')}`, [deb12(`pkg-${i}`), deb11(`pkg-${i}`)]),
      );
      await fresh.store.advisories.upsert(many);
      const names = Array.from({ length: 2500 }, (_, i) => `pkg-${i}`);
      expect(await fresh.store.advisories.findByPackages('Debian:12', names)).toHaveLength(2500);
      expect((await fresh.store.advisories.modifiedOf(many.map((a) => a.id))).size).toBe(2500);
      expect(await fresh.store.advisories.delete(many.slice(0, 1500).map((a) => a.id))).toBe(1500);
      expect((await fresh.store.advisories.status()).records).toBe(1000);
    });

    it('reports records and the newest record per ecosystem, and the last import per source', async () => {
      expect(await fresh.store.advisories.status()).toEqual({
        records: 0,
        ecosystems: [],
        sources: [],
      });

      await fresh.store.advisories.upsert([
        advisory('A', [deb12('a'), deb11('a'), deb12('b')], { modified: day(7) }),
        advisory('B', [deb12('b')], { modified: day(9) }),
        advisory('C', [deb11('c')], { modified: day(8), source: 'debian-security' }),
      ]);
      await fresh.store.advisories.recordImport('osv', '2025-02-01T00:00:00.000Z');
      await fresh.store.advisories.recordImport('osv', '2025-02-02T00:00:00.000Z');
      await fresh.store.advisories.recordImport('empty', '2025-02-03T00:00:00.000Z');

      expect(await fresh.store.advisories.status()).toEqual({
        records: 3,
        ecosystems: [
          { ecosystem: 'Debian:11', records: 2, newestModified: day(8) },
          { ecosystem: 'Debian:12', records: 2, newestModified: day(9) },
        ],
        sources: [
          { source: 'debian-security', records: 1, lastImportAt: null },
          { source: 'empty', records: 0, lastImportAt: '2025-02-03T00:00:00.000Z' },
          { source: 'osv', records: 2, lastImportAt: '2025-02-02T00:00:00.000Z' },
        ],
      });
    });

    it('names its state with a generation that every change bumps', async () => {
      expect(await fresh.store.advisories.state()).toEqual({
        generation: 0,
        records: 0,
        newestModified: null,
      });
      await fresh.store.advisories.upsert([
        advisory('DSA-1', [deb12('openssl')], { modified: day(3) }),
        advisory('CVE-1', [deb12('openssl')], { modified: day(5) }),
      ]);
      const afterUpsert = await fresh.store.advisories.state();
      expect(afterUpsert).toEqual({ generation: 1, records: 2, newestModified: day(5) });
      // Recording an import changes nothing a scan would see.
      await fresh.store.advisories.recordImport('osv', day(9));
      expect(await fresh.store.advisories.state()).toEqual(afterUpsert);
      expect(await fresh.store.advisories.delete(['CVE-9'])).toBe(0);
      expect((await fresh.store.advisories.state()).generation).toBe(1);
      await fresh.store.advisories.delete(['CVE-1']);
      expect(await fresh.store.advisories.state()).toEqual({
        generation: 2,
        records: 1,
        newestModified: day(3),
      });
    });

    it('rolls back with the caller’s transaction', async () => {
      await fresh.store.advisories.upsert([advisory('KEPT', [deb12('a')])]);
      await expect(
        fresh.store.transaction(async (tx) => {
          await tx.advisories.upsert([advisory('LOST', [deb12('a')])]);
          await tx.advisories.delete(['KEPT']);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(
        (await fresh.store.advisories.findByPackages('Debian:12', ['a'])).map((a) => a.id),
      ).toEqual(['KEPT']);
    });
  });
}

describeAdvisoryContract('SQLite', sqliteHarness);
describeAdvisoryContract('PostgreSQL', postgresHarness);
