import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { ScanReport } from '../../../src/scanner/scan/scan-report.js';
import { runCli } from '../../support/cli-process.js';
import { writeRootFile } from '../../support/overlay-root.js';
import { tempDir } from '../../support/paths.js';
import { OSV_DEBIAN_EXPORT, osvLinesNaming } from '../../support/vulndata.js';

/** An AWS secret key of the right shape (AWS documentation's example key). */
const FAKE_AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('goldsmith scan, with no server running', () => {
  let dataDir: string;
  let rootDir: string;
  let tarball: string;
  const scan = (...args: string[]) =>
    runCli(['scan', ...args, '--data-dir', dataDir, '--no-progress']);

  beforeAll(async () => {
    const dir = tempDir('scan-cli');
    dataDir = path.join(dir, 'data');
    const records = path.join(dir, 'openssl.jsonl');
    writeFileSync(records, osvLinesNaming(OSV_DEBIAN_EXPORT, ['openssl']).join('\n'));
    const imported = await runCli(['vulndb', 'import', records, '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);

    // libssl3 as bookworm released it, and an application that left a credential behind.
    rootDir = path.join(dir, 'rootfs');
    writeRootFile(
      rootDir,
      'etc/os-release',
      'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    );
    writeRootFile(
      rootDir,
      'var/lib/dpkg/status',
      'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.9-1\n',
    );
    writeRootFile(rootDir, 'opt/app/.env', `AWS_SECRET_ACCESS_KEY=${FAKE_AWS_SECRET}\n`);
    tarball = path.join(dir, 'rootfs.tar.gz');
    execFileSync('tar', ['-C', rootDir, '-czf', tarball, '.']);
  });

  it('reports each vulnerability with binary and source package, versions and every id', async () => {
    const result = await scan(tarball, '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.target).toMatchObject({ kind: 'rootfs-tar', name: tarball });
    const cve = report.vulnerabilities.find((v) => v.id === 'CVE-2023-5363');
    expect(cve).toMatchObject({
      package: { name: 'libssl3', sourceName: 'openssl' },
      installedVersion: '3.0.9-1',
      fixedVersion: '3.0.11-1~deb12u2',
      severity: 'high',
      gate: { blocking: true },
    });
    expect(cve!.aliases).toEqual(expect.arrayContaining(['CVE-2023-5363', 'DSA-5532-1']));
    const secret = report.policy.violations.find((v) => v.evidence.path === 'opt/app/.env');
    expect(secret).toMatchObject({ evidence: { line: 1 }, gate: { blocking: true } });
    expect(result.stdout).not.toContain(FAKE_AWS_SECRET);
    expect(report.gate.passed).toBe(false);
  });

  it('renders the table, CycloneDX, SPDX and SARIF, naming package, source, versions and ids', async () => {
    const table = await scan(tarball);
    expect(table.code, table.stderr).toBe(0);
    for (const text of [
      'CVE-2023-5363',
      'libssl3',
      'openssl',
      '3.0.9-1',
      '3.0.11-1~deb12u2',
      'DSA-5532-1',
    ]) {
      expect(table.stdout).toContain(text);
    }
    expect(table.stdout).toMatch(/not run: malware-clamav/);
    expect(table.stdout).toMatch(/gate: FAILED/);

    const formats: [string, (doc: Record<string, unknown>) => unknown, unknown][] = [
      ['cyclonedx', (d) => d['specVersion'], '1.6'],
      ['spdx', (d) => d['spdxVersion'], 'SPDX-2.3'],
      ['sarif', (d) => d['version'], '2.1.0'],
    ];
    for (const [format, version, expected] of formats) {
      const result = await scan(tarball, '--format', format);
      expect(result.code, result.stderr).toBe(0);
      expect(version(JSON.parse(result.stdout) as Record<string, unknown>)).toBe(expected);
      for (const text of [
        'CVE-2023-5363',
        'DSA-5532-1',
        'libssl3',
        'openssl',
        '3.0.11-1~deb12u2',
      ]) {
        expect(result.stdout, format).toContain(text);
      }
    }
  });

  it('filters by severity and fix, and exits with --exit-code when findings remain', async () => {
    const unfixed = JSON.parse(
      (await scan(tarball, '--format', 'json', '--ignore-unfixed')).stdout,
    ) as ScanReport;
    expect(unfixed.vulnerabilities.length).toBeGreaterThan(0);
    expect(unfixed.vulnerabilities.every((v) => v.fixedVersion !== null)).toBe(true);

    const critical = JSON.parse(
      (await scan(tarball, '--format', 'json', '--severity', 'CRITICAL')).stdout,
    ) as ScanReport;
    expect(critical.vulnerabilities.every((v) => v.severity === 'critical')).toBe(true);
    expect(critical.policy.violations.every((v) => v.severity === 'critical')).toBe(true);

    expect((await scan(tarball, '--exit-code', '5')).code).toBe(5);
    // Nothing negligible in this image: the filtered report is empty, so the exit is 0.
    const negligible = await scan(
      tarball,
      '--severity',
      'negligible',
      '--exit-code',
      '5',
      '--format',
      'json',
    );
    const shown = JSON.parse(negligible.stdout) as ScanReport;
    expect(negligible.code).toBe(shown.vulnerabilities.length === 0 ? 0 : 5);
  });

  it('takes VEX statements and a gate file with an allow-list', async () => {
    const dir = tempDir('scan-cli-gate');
    const vex = path.join(dir, 'vex.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://acme.example/vex/1',
        author: 'Acme security',
        timestamp: '2026-11-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'CVE-2023-5363' },
            products: [{ '@id': 'pkg:deb/debian/libssl3' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
        ],
      }),
    );
    const gate = path.join(dir, 'gate.json');
    writeFileSync(
      gate,
      JSON.stringify({
        allowList: [
          {
            id: 'POLICY_CLOUD_CREDENTIALS',
            path: 'opt/app/.env',
            expires: '2099-12-31',
            reason: 'test credentials of the demo',
          },
        ],
      }),
    );
    const result = await scan(tarball, '--format', 'json', '--vex', vex, '--gate', gate);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.vulnerabilities.find((v) => v.id === 'CVE-2023-5363')?.gate).toMatchObject({
      blocking: false,
      reason: 'not-affected',
    });
    const secret = report.policy.violations.find((v) => v.evidence.path === 'opt/app/.env');
    expect(secret?.gate).toMatchObject({ blocking: false, reason: 'allow-listed' });

    const broken = path.join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({ allowList: [{ id: 'CVE-2023-5363', expires: '2099-01-01' }] }),
    );
    const refused = await scan(tarball, '--gate', broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/broken\.json: allowList\[0\]\.reason/);
  });

  it('scans a directory in place, caches a tar by digest, and writes to --output', async () => {
    const directory = JSON.parse((await scan(rootDir, '--format', 'json')).stdout) as ScanReport;
    expect(directory.target.kind).toBe('directory');
    expect(directory.layers).toEqual([]);

    const again = JSON.parse((await scan(tarball, '--format', 'json')).stdout) as ScanReport;
    expect(again.layers.map((l) => l.cached)).toEqual([true]);

    const output = path.join(tempDir('scan-cli-out'), 'report.sarif');
    const written = await scan(tarball, '--format', 'sarif', '--output', output);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe('');
    expect((JSON.parse(readFileSync(output, 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('works on a data directory that does not exist yet, saying the database is empty', async () => {
    const fresh = path.join(tempDir('scan-cli-fresh'), 'data');
    const result = await runCli([
      'scan',
      tarball,
      '--data-dir',
      fresh,
      '--format',
      'json',
      '--no-progress',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ScanReport;
    expect(report.vulnerabilities).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/advisory database is empty/);
  });

  it('says what is wrong with a bad target or option', async () => {
    const missing = await scan('/nonexistent/rootfs.tar');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/rootfs.tar');
    const format = await scan(tarball, '--format', 'html');
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/unknown format html/);
    const severity = await scan(tarball, '--severity', 'urgent');
    expect(severity.code).toBe(1);
    expect(severity.stderr).toMatch(/unknown severity urgent/);
  });
});
