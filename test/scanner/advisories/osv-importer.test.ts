import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  importOsvFiles,
  type OsvImportProgress,
} from '../../../src/scanner/advisories/osv-importer.js';
import { readOsvEntries } from '../../../src/scanner/advisories/osv-sources.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../support/paths.js';
import { writeZip } from './zip-writer.js';

const VULNDATA = path.resolve(import.meta.dirname, '../../../../shared/vulndata');
const OSV_EXPORT = path.join(VULNDATA, 'osv-debian-2025-02-12.jsonl.xz');
/** Lines of the export, per its README. */
const OSV_EXPORT_LINES = 34_692;

/** The raw lines of the first records of the export whose id starts with `prefix`. */
async function firstRecords(prefix: string, count: number): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of readOsvEntries(OSV_EXPORT)) {
    if ((JSON.parse(entry.text) as { id: string }).id.startsWith(prefix)) found.push(entry.text);
    if (found.length === count) break;
  }
  return found;
}

function idOf(raw: string): string {
  return (JSON.parse(raw) as { id: string }).id;
}

describe('OSV importer', () => {
  let dir: string;
  const stores: Store[] = [];

  async function freshStore(name: string): Promise<Store> {
    const store = await openSqliteStore(path.join(dir, `${name}.db`));
    stores.push(store);
    return store;
  }

  beforeAll(() => {
    dir = tempDir('osv-import');
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the real Debian export, incrementally', () => {
    let store: Store;
    const progress: OsvImportProgress[] = [];

    beforeAll(async () => {
      store = await freshStore('export');
      const summary = await importOsvFiles(store, [OSV_EXPORT], {
        onProgress: (p) => progress.push(p),
      });
      expect(summary.read).toBe(OSV_EXPORT_LINES);
      expect(summary.imported + summary.invalid).toBe(OSV_EXPORT_LINES);
      expect(summary.invalidRecords).toHaveLength(Math.min(summary.invalid, 100));
    }, 120_000);

    it('reports progress per batch, ending with the totals', () => {
      expect(progress.length).toBeGreaterThan(10);
      const reads = progress.map((p) => p.read);
      expect(reads).toEqual([...reads].sort((a, b) => a - b));
      expect(progress.at(-1)?.read).toBe(OSV_EXPORT_LINES);
    });

    it('shows records per ecosystem and the newest record', async () => {
      const status = await store.advisories.status();
      expect(status.ecosystems.map((e) => e.ecosystem)).toEqual([
        'Debian:11',
        'Debian:12',
        'Debian:13',
      ]);
      for (const ecosystem of status.ecosystems) {
        // Most CVE records name all three releases; none can exceed the file.
        expect(ecosystem.records).toBeGreaterThan(25_000);
        expect(ecosystem.records).toBeLessThanOrEqual(OSV_EXPORT_LINES);
        expect(ecosystem.newestModified.startsWith('2025-02-12T')).toBe(true);
      }
      expect(status.sources).toEqual([
        { source: 'osv', records: status.records, lastImportAt: expect.any(String) },
      ]);
    });

    it('finds the openssl records of Debian 12 by source package name', async () => {
      const found = await store.advisories.findByPackages('Debian:12', ['openssl', 'no-such']);
      expect(found.length).toBeGreaterThan(100);
      const ids = found.map((a) => a.id);
      expect(ids).toContain('DSA-5532-1');
      expect(ids).toContain('CVE-2023-0286');
      for (const advisory of found) {
        expect(advisory.packages).toContainEqual({ ecosystem: 'Debian:12', name: 'openssl' });
        expect(idOf(advisory.raw)).toBe(advisory.id);
      }
    });

    it('skips every record on a second import', async () => {
      const summary = await importOsvFiles(store, [OSV_EXPORT]);
      expect(summary).toMatchObject({ imported: 0, removed: 0 });
      expect(summary.skipped + summary.invalid).toBe(OSV_EXPORT_LINES);
    }, 120_000);

    it('replaces a record by a newer copy and removes it when withdrawn', async () => {
      const [raw] = await firstRecords('DSA-5532', 1);
      const record = JSON.parse(raw!) as Record<string, unknown>;
      const newer = { ...record, modified: '2025-03-01T00:00:00Z', summary: 'revised' };
      const file = path.join(dir, 'DSA-5532-1.json');
      writeFileSync(file, JSON.stringify(newer));
      expect(await importOsvFiles(store, [file])).toMatchObject({ read: 1, imported: 1 });
      const [stored] = await store.advisories
        .findByPackages('Debian:12', ['openssl'])
        .then((all) => all.filter((a) => a.id === 'DSA-5532-1'));
      expect(JSON.parse(stored!.raw)).toEqual(newer);
      expect(stored!.modified).toBe('2025-03-01T00:00:00.000000Z');

      // The same file again is not newer; an older copy is not either.
      expect(await importOsvFiles(store, [file])).toMatchObject({ imported: 0, skipped: 1 });
      writeFileSync(file, raw!);
      expect(await importOsvFiles(store, [file])).toMatchObject({ imported: 0, skipped: 1 });

      const withdrawn = {
        ...newer,
        modified: '2025-03-02T00:00:00Z',
        withdrawn: '2025-03-02T00:00:00Z',
      };
      writeFileSync(file, JSON.stringify(withdrawn));
      expect(await importOsvFiles(store, [file])).toMatchObject({ removed: 1, imported: 0 });
      expect(await store.advisories.modifiedOf(['DSA-5532-1'])).toEqual(new Map());
      // Withdrawn and already gone: nothing to do.
      expect(await importOsvFiles(store, [file])).toMatchObject({ removed: 0, skipped: 1 });
    });
  });

  describe('files, directories, zips and JSON Lines', () => {
    let records: string[];

    beforeAll(async () => {
      records = [...(await firstRecords('DSA-', 6)), ...(await firstRecords('CVE-2023-', 6))];
    }, 60_000);

    /** What a store holds: each id with its raw record. */
    async function contents(store: Store): Promise<Map<string, string>> {
      const ids = records.map(idOf);
      const modified = await store.advisories.modifiedOf(ids);
      expect([...modified.keys()].sort()).toEqual([...ids].sort());
      const names = records.flatMap((raw) =>
        (JSON.parse(raw) as { affected: { package: { name: string } }[] }).affected.map(
          (a) => a.package.name,
        ),
      );
      const found = new Map<string, string>();
      for (const ecosystem of ['Debian:11', 'Debian:12', 'Debian:13']) {
        for (const a of await store.advisories.findByPackages(ecosystem, names)) {
          if (ids.includes(a.id)) found.set(a.id, a.raw);
        }
      }
      return found;
    }

    it('imports the same records from a directory tree, a zip, .jsonl and single files', async () => {
      const tree = path.join(dir, 'tree');
      records.forEach((raw, i) => {
        const sub = path.join(tree, i % 2 === 0 ? 'even' : 'odd/nested');
        mkdirSync(sub, { recursive: true });
        writeFileSync(path.join(sub, `${idOf(raw)}.json`), raw);
      });
      writeFileSync(path.join(tree, 'README.md'), 'not a record');

      const zip = path.join(dir, 'Debian-all.zip');
      writeZip(
        zip,
        records.map((raw) => ({ name: `${idOf(raw)}.json`, data: Buffer.from(raw) })),
      );
      const jsonl = path.join(dir, 'records.jsonl');
      writeFileSync(jsonl, records.join('\n') + '\n\n');
      const singles = records.map((raw, i) => {
        const file = path.join(dir, `single-${i}.json`);
        writeFileSync(file, raw);
        return file;
      });
      const array = path.join(dir, 'array.json');
      writeFileSync(array, `[${records.join(',')}]`);

      const expected = new Map(records.map((raw) => [idOf(raw), raw]));
      for (const [name, files] of [
        ['tree', [tree]],
        ['zip', [zip]],
        ['jsonl', [jsonl]],
        ['singles', singles],
      ] as const) {
        const store = await freshStore(name);
        const summary = await importOsvFiles(store, files);
        expect(summary, name).toMatchObject({ read: records.length, imported: records.length });
        expect(await contents(store), name).toEqual(expected);
      }
      const fromArray = await freshStore('array');
      expect(await importOsvFiles(fromArray, [array])).toMatchObject({
        imported: records.length,
      });
      expect([...(await contents(fromArray)).keys()].sort()).toEqual([...expected.keys()].sort());
    });

    it('counts invalid records with their origin and reason, and imports the rest', async () => {
      const jsonl = path.join(dir, 'mixed.jsonl');
      writeFileSync(
        jsonl,
        [records[0], '{"id": "BROKEN-1", "modified": 12}', '{not json', records[1]].join('\n'),
      );
      const store = await freshStore('mixed');
      const summary = await importOsvFiles(store, [jsonl]);
      expect(summary).toMatchObject({ read: 4, imported: 2, invalid: 2 });
      expect(summary.invalidRecords).toEqual([
        { origin: `${jsonl}:2`, id: 'BROKEN-1', reason: 'record.modified must be a string' },
        { origin: `${jsonl}:3`, id: undefined, reason: expect.stringMatching(/^not JSON/) },
      ]);
    });

    it('keeps the newest of several copies of one id in one import', async () => {
      const raw = records[0]!;
      const newer = JSON.stringify({ ...JSON.parse(raw), modified: '2030-01-01T00:00:00Z' });
      const jsonl = path.join(dir, 'copies.jsonl');
      writeFileSync(jsonl, [newer, raw].join('\n'));
      const store = await freshStore('copies');
      expect(await importOsvFiles(store, [jsonl])).toMatchObject({ imported: 1, skipped: 1 });
      expect(await store.advisories.modifiedOf([idOf(raw)])).toEqual(
        new Map([[idOf(raw), '2030-01-01T00:00:00.000000Z']]),
      );
    });

    it('fails with the file named when a source cannot be read', async () => {
      const store = await freshStore('missing');
      await expect(importOsvFiles(store, [path.join(dir, 'nope.jsonl')])).rejects.toThrow(
        /nope\.jsonl/,
      );
      const text = path.join(dir, 'records.txt');
      writeFileSync(text, '');
      await expect(importOsvFiles(store, [text])).rejects.toThrow(/not an OSV source/);
      const corrupt = path.join(dir, 'corrupt.jsonl.xz');
      writeFileSync(corrupt, 'not xz');
      await expect(importOsvFiles(store, [corrupt])).rejects.toThrow(/xz -dc .* failed/);
    });
  });
});
