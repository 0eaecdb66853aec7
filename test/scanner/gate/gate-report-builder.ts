/** Builders of ungated scan reports for the gate's tests. */
import type { PolicyViolation } from '../../../src/scanner/policy/policy-check.js';
import {
  SCAN_REPORT_VERSION,
  type UngatedScanReport,
  type UngatedVulnerability,
} from '../../../src/scanner/scan/scan-report.js';

/** A Debian 12 libssl3 vulnerability with a fix; `overrides` change any field. */
export function vulnerability(overrides: Partial<UngatedVulnerability> = {}): UngatedVulnerability {
  return {
    id: 'CVE-2023-5363',
    aliases: ['CVE-2023-5363', 'DSA-5532-1'],
    advisories: [{ id: 'DSA-5532-1', source: 'osv', modified: '2023-10-25T00:00:00Z' }],
    summary: 'Incorrect cipher key and IV length processing',
    references: ['https://www.openssl.org/news/secadv/20231024.txt'],
    ecosystem: 'Debian:12',
    package: {
      type: 'deb',
      name: 'libssl3',
      sourceName: 'openssl',
      sourceVersion: '3.0.11-1~deb12u1',
      purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12',
      locations: ['var/lib/dpkg/status'],
    },
    installedVersion: '3.0.11-1~deb12u1',
    comparedVersion: '3.0.11-1~deb12u1',
    fixedVersion: '3.0.11-1~deb12u2',
    severity: 'high',
    score: 7.5,
    severitySource: 'cvss-v3',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    ...overrides,
  };
}

/** An sshd password-authentication violation; `overrides` change any field. */
export function violation(overrides: Partial<PolicyViolation> = {}): PolicyViolation {
  return {
    checkId: 'sshd-config',
    code: 'POLICY_SSH_PASSWORD_AUTH',
    severity: 'high',
    message: 'sshd accepts passwords',
    remedy: 'Set `PasswordAuthentication no`.',
    evidence: { path: 'etc/ssh/sshd_config.d/10-cloud.conf', line: 1 },
    ...overrides,
  };
}

/** A scan report holding the given findings. */
export function ungatedReport(
  vulnerabilities: readonly UngatedVulnerability[],
  violations: readonly PolicyViolation[] = [],
): UngatedScanReport {
  return {
    reportVersion: SCAN_REPORT_VERSION,
    scanner: { name: 'goldsmith', version: '0.1.0' },
    createdAt: '2024-03-01T00:00:00Z',
    target: { kind: 'directory', name: '/tmp/root' },
    os: undefined,
    layers: [],
    analyzers: [],
    packages: [],
    vulnerabilities,
    policy: { violations, ran: [{ checkId: 'sshd-config', version: 1 }], notRun: [] },
    advisoryDatabase: { id: 'db-1', records: 10, newestModified: '2024-02-29T00:00:00Z' },
    warnings: ['ecosystem PyPI: no advisories imported'],
  };
}
