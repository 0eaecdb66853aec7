import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Finding } from '../../src/domain/types.js';
import { importOsvFiles } from '../../src/scanner/advisories/osv-importer.js';
import type { ScanReport } from '../../src/scanner/scan/scan-report.js';
import { runCli } from '../support/cli-process.js';
import {
  startHarness,
  submitGroup,
  waitForGroup,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { OSV_DEBIAN_EXPORT, osvLinesNaming } from '../support/vulndata.js';

const run = promisify(execFile);

/**
 * A seller's .deb that carries its own build of OpenSSL 3.0.9 (as bookworm released it): the
 * package names openssl as its source, so Debian's openssl advisories apply to it.
 */
async function vulnerableDeb(): Promise<string> {
  const dir = tempDir('vulnerable-deb');
  const root = path.join(dir, 'libssl-acme');
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(root, 'usr/lib/acme'), { recursive: true });
  writeFileSync(
    path.join(root, 'DEBIAN/control'),
    [
      'Package: libssl-acme',
      'Source: openssl',
      'Version: 3.0.9-1',
      'Architecture: all',
      'Maintainer: Acme <support@acme.example>',
      'Description: Acme’s bundled OpenSSL',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(root, 'usr/lib/acme/README'), 'bundled OpenSSL 3.0.9\n');
  const file = path.join(dir, 'libssl-acme_3.0.9-1_all.deb');
  await run('dpkg-deb', ['--root-owner-group', '--build', root, file]);
  return file;
}

function findingsOf(group: { builds: { findings: Finding[] }[] }): Finding[] {
  return group.builds.flatMap((b) => b.findings);
}

describe('the Scanning stage of seller builds', () => {
  let harness: Harness;
  let seller: TestAccount;

  beforeAll(async () => {
    harness = await startHarness({ workers: 2 });
    const records = path.join(tempDir('records'), 'openssl.jsonl');
    writeFileSync(records, osvLinesNaming(OSV_DEBIAN_EXPORT, ['openssl']).join('\n'));
    await importOsvFiles(harness.server.store, [records]);
    seller = await harness.createAccount('Acme Software', ['seller']);
  });
  afterAll(async () => harness?.stop());

  it('stops a build whose installer brings a fixable high vulnerability, naming the installer layer', async () => {
    const submitted = await submitGroup(
      seller.client,
      'acme_ssl_r1',
      ['debian-12'],
      [await vulnerableDeb()],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('IssuesFound');
    // The build keeps its scan report although the gate stopped it.
    const buildId = group.builds[0]!.id;
    expect((group.builds[0] as { scanReportDigest?: string }).scanReportDigest).toMatch(/^sha256:/);
    const report = JSON.parse(
      Buffer.concat(
        await (await seller.client.download(`/v1/builds/${buildId}/scan-report`)).toArray(),
      ).toString(),
    ) as ScanReport;
    expect(report.gate.passed).toBe(false);
    expect(report.vulnerabilities.find((v) => v.id === 'CVE-2023-5363')?.layer?.role).toBe(
      'installer',
    );
    const cve = findingsOf(group).find(
      (f) => f.code === 'VULNERABLE_PACKAGE' && f.evidence['id'] === 'CVE-2023-5363',
    );
    // DSA-5532-1: fixed in 3.0.11-1~deb12u2; NVD 7.5 (high).
    expect(cve).toMatchObject({
      severity: 'high',
      evidence: {
        package: 'libssl-acme',
        sourcePackage: 'openssl',
        installedVersion: '3.0.9-1',
        fixedVersion: '3.0.11-1~deb12u2',
        layer: 'installer',
      },
    });
    expect(cve!.message).toContain('installer layer');
    expect(cve!.evidence['aliases']).toEqual(expect.arrayContaining(['DSA-5532-1']));
    // The base's own libssl3 is current: nothing of the base blocks.
    expect(findingsOf(group).every((f) => f.evidence['layer'] === 'installer')).toBe(true);
  });

  it('stops a build whose installer leaves a private key and turns sshd passwords on', async () => {
    const installer = await writeTempFile(
      'install.sh',
      [
        '#!/bin/sh',
        'set -e',
        'mkdir -p /opt/acme /etc/ssh/sshd_config.d',
        'printf -- "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\\n-----END OPENSSH PRIVATE KEY-----\\n" > /opt/acme/deploy_key',
        'echo "PasswordAuthentication yes" > /etc/ssh/sshd_config.d/00-acme.conf',
        '',
      ].join('\n'),
      0o755,
    );
    const submitted = await submitGroup(seller.client, 'acme_key_r1', ['debian-12'], [installer]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('IssuesFound');
    const findings = findingsOf(group).map((f) => [
      f.code,
      f.evidence['path'],
      f.evidence['layer'],
    ]);
    expect(findings).toEqual(
      expect.arrayContaining([
        ['POLICY_SSH_PASSWORD_AUTH', 'etc/ssh/sshd_config.d/00-acme.conf', 'installer'],
        [expect.stringMatching(/^POLICY_/), 'opt/acme/deploy_key', 'installer'],
      ]),
    );
    // The evidence never carries the key itself.
    expect(JSON.stringify(group)).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==');
  });

  it('fails every build on Debian 11 for its end of life, naming the base image', async () => {
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const submitted = await submitGroup(seller.client, 'acme_eol_r1', ['debian-11'], [installer]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('IssuesFound');
    expect(findingsOf(group).map((f) => [f.code, f.evidence['layer']])).toEqual([
      ['POLICY_OS_END_OF_LIFE', 'base'],
    ]);
  });

  it('passes a clean build, and goldsmith scan reads its image back from the scan cache', async () => {
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const submitted = await submitGroup(seller.client, 'acme_clean_r1', ['debian-12'], [installer]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state, JSON.stringify(findingsOf(group))).toBe('Successful');
    const imageId = group.builds[0]!.imageId!;

    const scanned = await runCli([
      'scan',
      imageId,
      '--data-dir',
      harness.dataDir,
      '--format',
      'json',
      '--no-progress',
    ]);
    expect(scanned.code, scanned.stderr).toBe(0);
    const report = JSON.parse(scanned.stdout) as ScanReport;
    expect(report.target).toMatchObject({ kind: 'image', imageId });
    expect(report.layers.map((l) => [l.origin.role, l.cached])).toEqual([
      ['base', true],
      ['installer', true],
    ]);
    expect(report.gate.passed).toBe(true);
    expect(report.packages.find((p) => p.name === 'libssl3')?.layer?.role).toBe('base');
  });

  it('refuses to start with a broken gate file, naming the file and the field', async () => {
    const dataDir = tempDir('broken-gate');
    writeFileSync(
      path.join(dataDir, 'scan-gate.json'),
      JSON.stringify({ blockSeverities: ['severe'] }),
    );
    await expect(startHarness({ workers: 0, dataDir })).rejects.toThrow(
      /scan-gate\.json: blockSeverities\[0\]/,
    );
  });

  it('follows the installation’s gate: policy violations reported, not blocking', async () => {
    const dataDir = tempDir('gated');
    writeFileSync(
      path.join(dataDir, 'scan-gate.json'),
      JSON.stringify({ policyViolations: 'report' }),
    );
    const lenient = await startHarness({ workers: 1, dataDir });
    try {
      const account = await lenient.createAccount('Acme Software', ['seller']);
      const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
      const submitted = await submitGroup(
        account.client,
        'acme_eol_r2',
        ['debian-11'],
        [installer],
      );
      const group = await waitForGroup(account.client, submitted.id);
      expect(group.state).toBe('Successful');
    } finally {
      await lenient.stop();
    }
  });
});
