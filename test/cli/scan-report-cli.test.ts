import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScanReport } from '../../src/scanner/scan/scan-report.js';
import { runCli } from '../support/cli-process.js';
import { startHarness, type Harness } from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { seedScanReports, type SeededScanReports } from '../support/scan-report-seed.js';

describe('the CLI’s scan report commands, against a server', () => {
  let harness: Harness;
  let sellerEnv: Record<string, string>;
  let seeded: SeededScanReports;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    const seller = await harness.createAccount('Acme Software', ['seller']);
    sellerEnv = {
      GOLDSMITH_URL: harness.url,
      GOLDSMITH_TOKEN: seller.token,
      XDG_CONFIG_HOME: tempDir('xdg'),
    };
    seeded = await seedScanReports(harness, seller, 'acme_cli_scanned_r1');
  });
  afterAll(async () => harness?.stop());

  it('goldsmith build report prints the table, filters, and says when there is no report', async () => {
    const table = await runCli(['build', 'report', seeded.scannedBuildId], sellerEnv);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('CVE-2023-5363');
    expect(table.stdout).toContain('CVE-2023-6277');

    const json = await runCli(
      [
        'build',
        'report',
        seeded.scannedBuildId,
        '--format',
        'json',
        '--severity',
        'high,low',
        '--ignore-unfixed',
      ],
      sellerEnv,
    );
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ScanReport;
    expect(report.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2023-5363', 'CVE-2021-23337']);

    const missing = await runCli(['build', 'report', seeded.unscannedBuildId], sellerEnv);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SCAN_REPORT_NOT_FOUND');

    const badFormat = await runCli(
      ['build', 'report', seeded.scannedBuildId, '--format', 'xml'],
      sellerEnv,
    );
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain('xml');
  });

  it('goldsmith image scan-report writes the asked format to --output', async () => {
    const file = path.join(tempDir('report'), 'image.sarif');
    const result = await runCli(
      ['image', 'scan-report', seeded.scannedImageId, '--format', 'sarif', '--output', file],
      sellerEnv,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(file);
    const sarif = JSON.parse(await readFile(file, 'utf8')) as { version: string };
    expect(sarif.version).toBe('2.1.0');

    const badSeverity = await runCli(
      ['image', 'scan-report', seeded.scannedImageId, '--severity', 'severe'],
      sellerEnv,
    );
    expect(badSeverity.code).toBe(1);
    expect(badSeverity.stderr).toContain('VALIDATION_FAILED');
  });
});
