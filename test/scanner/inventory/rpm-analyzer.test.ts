import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import type { Inventory } from '../../../src/scanner/inventory/inventory-types.js';
import { parseRpmHeader, rpmAnalyzer } from '../../../src/scanner/inventory/rpm-analyzer.js';
import { tempDir } from '../../support/paths.js';
import { FIXTURES } from './fixture-root.js';

/** A root with an rpmdb built from the text dump, plus one broken header row. */
function rpmRoot(): string {
  const root = tempDir('rpm-root');
  mkdirSync(path.join(root, 'var/lib/rpm'), { recursive: true });
  mkdirSync(path.join(root, 'etc'));
  const db = new Database(path.join(root, 'var/lib/rpm/rpmdb.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(readFileSync(path.join(FIXTURES, 'rpm/rpmdb-packages.sql'), 'utf8'));
  db.prepare('INSERT INTO Packages (hnum, blob) VALUES (?, ?)').run(
    99,
    Buffer.from('0000000500000100', 'hex'),
  );
  db.close();
  return root;
}

describe('rpm analyzer', () => {
  let root: string;
  let inventory: Inventory;
  beforeAll(async () => {
    root = rpmRoot();
    const os = 'ID="rocky"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n';
    writeFileSync(path.join(root, 'etc/os-release'), os);
    inventory = await analyzeRoot(root, { analyzers: [rpmAnalyzer] });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads every package header of a real sqlite rpmdb in WAL mode', () => {
    expect(inventory.packages).toEqual([
      {
        type: 'rpm',
        name: 'hello-data',
        version: '2:1.2.3-4.fx1',
        sourceName: 'hello-data',
        sourceVersion: '2:1.2.3-4.fx1',
        arch: 'noarch',
        purl: 'pkg:rpm/rocky/hello-data@1.2.3-4.fx1?arch=noarch&distro=rocky-9.3&epoch=2',
        licenses: ['MIT and BSD-3-Clause'],
        locations: ['var/lib/rpm/rpmdb.sqlite'],
      },
      {
        type: 'rpm',
        name: 'tiny-tool',
        version: '0.9-1',
        sourceName: 'tiny-tool',
        sourceVersion: '0.9-1',
        arch: 'noarch',
        purl: 'pkg:rpm/rocky/tiny-tool@0.9-1?arch=noarch&distro=rocky-9.3',
        licenses: ['Apache-2.0'],
        locations: ['var/lib/rpm/rpmdb.sqlite'],
      },
    ]);
  });

  it('skips a malformed header with a warning', () => {
    expect(inventory.warnings).toEqual([
      {
        file: 'var/lib/rpm/rpmdb.sqlite',
        line: 0,
        message: expect.stringMatching(/^header 99 skipped: truncated/) as string,
      },
    ]);
  });

  it('writes nothing into the scanned root', () => {
    expect(readdirSync(path.join(root, 'var/lib/rpm')).sort()).toEqual(['rpmdb.sqlite']);
  });

  it.each([
    ['an empty blob', '', /shorter/],
    ['no index entries', '0000000000000000', /implausible/],
    // il=1, dl, then one entry (tag, type 6 = STRING, offset, count 1), then the data store
    [
      'an offset outside the data',
      '00000001000000040000' + '03e8000000060000000500000001' + '41424300',
      /outside/,
    ],
    [
      'a string without NUL',
      '00000001000000030000' + '03e8000000060000000000000001' + '414243',
      /NUL/,
    ],
    ['no NAME', '00000001000000040000' + '03e9000000060000000000000001' + '31003200', /no NAME/],
  ])('rejects %s', (_title, hex, message) => {
    expect(parseRpmHeader(Buffer.from(hex, 'hex'))).toMatch(message);
  });
});
