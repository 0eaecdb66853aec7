import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { OsvImportSummary } from '../../../src/scanner/advisories/osv-importer.js';
import type { AdvisoryStatus } from '../../../src/store/store.js';
import { runCli } from '../../support/cli-process.js';
import { tempDir } from '../../support/paths.js';

const TRIXIE = path.resolve(
  import.meta.dirname,
  '../../../../shared/vulndata/debian-trixie-security-changelog.osv.jsonl.xz',
);
/** Records in the trixie file, per the vulndata README. */
const TRIXIE_RECORDS = 18_058;

describe('goldsmith vulndb, with no server running', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = tempDir('vulndb-cli');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('imports a file into the data directory’s store and reports its status', async () => {
    const imported = await runCli([
      'vulndb',
      'import',
      TRIXIE,
      '--data-dir',
      dataDir,
      '--source',
      'debian-security',
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as OsvImportSummary;
    expect(summary).toMatchObject({
      source: 'debian-security',
      read: TRIXIE_RECORDS,
      imported: TRIXIE_RECORDS,
      invalid: 0,
    });
    expect(imported.stderr).toMatch(/^read \d+: imported \d+/m);
    // The same database the server opens: DATA_DIR/goldsmith.db.
    expect(existsSync(path.join(dataDir, 'goldsmith.db'))).toBe(true);

    // GOLDSMITH_DATA_DIR stands for --data-dir.
    const status = await runCli(['vulndb', 'status', '--json'], { GOLDSMITH_DATA_DIR: dataDir });
    expect(status.code, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout) as AdvisoryStatus;
    expect(parsed.records).toBe(TRIXIE_RECORDS);
    expect(parsed.ecosystems).toEqual([
      { ecosystem: 'Debian:13', records: TRIXIE_RECORDS, newestModified: expect.any(String) },
    ]);
    expect(parsed.sources).toEqual([
      { source: 'debian-security', records: TRIXIE_RECORDS, lastImportAt: expect.any(String) },
    ]);

    const table = await runCli(['vulndb', 'status', '--data-dir', dataDir]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Debian:13\s+18058\s+\S+Z\s+\S+/m);
  }, 120_000);

  it('fails with a message and exit code 1 on a file it cannot read', async () => {
    const result = await runCli([
      'vulndb',
      'import',
      path.join(dataDir, 'missing.jsonl'),
      '--data-dir',
      dataDir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*missing\.jsonl/);
  });
});
