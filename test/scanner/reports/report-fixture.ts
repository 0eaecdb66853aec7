/**
 * A realistic gated scan report: a Debian 12 image whose base brought an OpenSSL with a fixed
 * DSA and an unfixed libtiff, and whose installer layer brought npm packages and a secret.
 */
import type { LayerOrigin } from '../../../src/scanner/layers/layer-origin.js';
import type {
  ScannedPackage,
  ScanReport,
  VulnerabilityFinding,
} from '../../../src/scanner/scan/scan-report.js';

const BASE: LayerOrigin = {
  index: 0,
  digest: 'sha256:5d0da3dc976460b72c77d94c8a1ad043720b0416bfc16c52c45d4847e53fadb6',
  role: 'base',
};
const INSTALLER: LayerOrigin = {
  index: 1,
  digest: 'sha256:a7f3e1c2b4d5968712ab34cd56ef7890123456789abcdef0fedcba9876543210',
  role: 'installer',
};

const DPKG_STATUS = 'var/lib/dpkg/status';
const OPENSSL_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';
const LODASH_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H';
const SEMVER_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L';

const libssl3: ScannedPackage = {
  type: 'deb',
  name: 'libssl3',
  version: '3.0.9-1',
  sourceName: 'openssl',
  sourceVersion: '3.0.9-1',
  arch: 'amd64',
  purl: 'pkg:deb/debian/libssl3@3.0.9-1?arch=amd64&distro=debian-12',
  locations: [DPKG_STATUS],
  layer: BASE,
};
const libtiff6: ScannedPackage = {
  type: 'deb',
  name: 'libtiff6',
  version: '4.5.0-6+deb12u1',
  sourceName: 'tiff',
  sourceVersion: '4.5.0-6+deb12u1',
  arch: 'amd64',
  purl: 'pkg:deb/debian/libtiff6@4.5.0-6%2Bdeb12u1?arch=amd64&distro=debian-12',
  locations: [DPKG_STATUS],
  layer: BASE,
};
const lodash: ScannedPackage = {
  type: 'npm',
  name: 'lodash',
  version: '4.17.20',
  purl: 'pkg:npm/lodash@4.17.20',
  locations: ['opt/app/node_modules/lodash/package.json'],
  licenses: ['MIT'],
  layer: INSTALLER,
};
const semver: ScannedPackage = {
  type: 'npm',
  name: 'semver',
  version: '7.5.1',
  purl: 'pkg:npm/semver@7.5.1',
  locations: ['opt/app/node_modules/semver/package.json'],
  licenses: ['ISC'],
  layer: INSTALLER,
};
/** A declared license that is no SPDX expression: SPDX must say NOASSERTION. */
const vendorAgent: ScannedPackage = {
  type: 'npm',
  name: '@acme/vendor-agent',
  version: '2.4.0',
  purl: 'pkg:npm/%40acme/vendor-agent@2.4.0',
  locations: ['opt/app/node_modules/@acme/vendor-agent/package.json'],
  licenses: ['SEE LICENSE IN LICENSE.txt'],
  layer: INSTALLER,
};

function packageOf(pkg: ScannedPackage): VulnerabilityFinding['package'] {
  return {
    type: pkg.type,
    name: pkg.name,
    ...(pkg.sourceName === undefined ? {} : { sourceName: pkg.sourceName }),
    ...(pkg.sourceVersion === undefined ? {} : { sourceVersion: pkg.sourceVersion }),
    purl: pkg.purl,
    locations: pkg.locations,
  };
}

const opensslFinding: VulnerabilityFinding = {
  id: 'CVE-2023-5363',
  aliases: ['CVE-2023-5363', 'DSA-5532-1'],
  advisories: [
    { id: 'DSA-5532-1', source: 'osv', modified: '2023-10-26T00:00:00Z' },
    { id: 'CVE-2023-5363', source: 'osv', modified: '2024-02-01T17:15:08Z' },
  ],
  summary: 'Incorrect cipher key and IV length processing',
  references: [
    'https://www.openssl.org/news/secadv/20231024.txt',
    'https://security-tracker.debian.org/tracker/DSA-5532-1',
  ],
  ecosystem: 'Debian:12',
  package: packageOf(libssl3),
  installedVersion: '3.0.9-1',
  comparedVersion: '3.0.9-1',
  fixedVersion: '3.0.11-1~deb12u2',
  severity: 'high',
  score: 7.5,
  severitySource: 'cvss-v3',
  vector: OPENSSL_VECTOR,
  layer: BASE,
  gate: { blocking: true, rule: 'high severity with a fix' },
};

const lodashFinding: VulnerabilityFinding = {
  id: 'CVE-2021-23337',
  aliases: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
  advisories: [{ id: 'GHSA-35jh-r3h4-6jhm', source: 'osv', modified: '2024-03-01T12:00:00Z' }],
  summary: 'Command Injection in lodash',
  references: ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm'],
  ecosystem: 'npm',
  package: packageOf(lodash),
  installedVersion: '4.17.20',
  comparedVersion: '4.17.20',
  fixedVersion: '4.17.21',
  severity: 'high',
  score: 7.2,
  severitySource: 'cvss-v3',
  vector: LODASH_VECTOR,
  layer: INSTALLER,
  gate: { blocking: true, rule: 'high severity with a fix' },
};

const semverFinding: VulnerabilityFinding = {
  id: 'CVE-2022-25883',
  aliases: ['CVE-2022-25883', 'GHSA-c2qf-rxjj-qqgw'],
  advisories: [{ id: 'GHSA-c2qf-rxjj-qqgw', source: 'osv', modified: '2024-02-20T08:00:00Z' }],
  summary: 'semver vulnerable to Regular Expression Denial of Service',
  references: ['https://github.com/advisories/GHSA-c2qf-rxjj-qqgw'],
  ecosystem: 'npm',
  package: packageOf(semver),
  installedVersion: '7.5.1',
  comparedVersion: '7.5.1',
  fixedVersion: '7.5.2',
  severity: 'medium',
  score: 5.3,
  severitySource: 'cvss-v3',
  vector: SEMVER_VECTOR,
  layer: INSTALLER,
  gate: {
    blocking: false,
    reason: 'not-affected',
    detail: 'vulnerable_code_not_in_execute_path: the agent never parses ranges from input',
  },
};

const libtiffFinding: VulnerabilityFinding = {
  id: 'CVE-2023-6277',
  aliases: ['CVE-2023-6277'],
  advisories: [
    { id: 'CVE-2023-6277', source: 'debian-security', modified: '2024-01-05T09:00:00Z' },
  ],
  summary: 'libtiff: out-of-memory in TIFFOpen() via a craft file',
  references: ['https://security-tracker.debian.org/tracker/CVE-2023-6277'],
  ecosystem: 'Debian:12',
  package: packageOf(libtiff6),
  installedVersion: '4.5.0-6+deb12u1',
  comparedVersion: '4.5.0-6+deb12u1',
  fixedVersion: null,
  severity: 'low',
  score: null,
  severitySource: 'debian-urgency',
  vector: null,
  layer: BASE,
  gate: { blocking: false, reason: 'no-fix' },
};

/** The report every format test renders. */
export const sampleReport: ScanReport = {
  reportVersion: 1,
  scanner: { name: 'goldsmith', version: '0.1.0' },
  createdAt: '2026-11-27T10:15:30Z',
  target: {
    kind: 'image',
    name: 'img-0f3c2a9d81b7e4c55',
    imageId: 'img-0f3c2a9d81b7e4c55',
    manifestDigest: 'sha256:0f3c2a9d81b7e4c55aa0d5e1f1a0c1e7b2d4c6e8f0a2b4c6d8e0f2a4b6c8d0e2',
  },
  os: {
    id: 'debian',
    versionId: '12',
    versionCodename: 'bookworm',
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
  },
  layers: [
    { origin: BASE, cached: true },
    { origin: INSTALLER, cached: false },
  ],
  analyzers: [
    { type: 'dpkg', version: 1 },
    { type: 'npm', version: 1 },
  ],
  packages: [libssl3, libtiff6, vendorAgent, lodash, semver],
  vulnerabilities: [opensslFinding, lodashFinding, semverFinding, libtiffFinding],
  policy: {
    violations: [
      {
        checkId: 'secrets',
        code: 'POLICY_CLOUD_CREDENTIALS',
        severity: 'critical',
        message: 'AWS secret access key in /opt/app/.env:3',
        remedy:
          'Remove the credentials from the image, revoke them at the provider, and obtain credentials at run time (instance roles, workload identity, a secret store).',
        evidence: {
          path: 'opt/app/.env',
          line: 3,
          excerpt: 'AWS_SECRET_ACCESS_KEY=wJal********EKEY',
        },
        layer: INSTALLER,
        gate: { blocking: true, rule: 'policy violation' },
      },
      {
        checkId: 'sshd-config',
        code: 'POLICY_SSH_PASSWORD_AUTH',
        severity: 'high',
        message: 'PasswordAuthentication yes',
        remedy:
          'Set `PasswordAuthentication no` (and `KbdInteractiveAuthentication no` when UsePAM is yes) in a file under /etc/ssh/sshd_config.d/ read before any other, and in no Match block turn it back on.',
        evidence: {
          path: 'etc/ssh/sshd_config.d/50-cloud-init.conf',
          line: 1,
          excerpt: 'PasswordAuthentication yes',
        },
        layer: BASE,
        gate: { blocking: true, rule: 'policy violation' },
      },
    ],
    ran: [
      { checkId: 'authorized-keys', version: 1 },
      { checkId: 'malware-eicar', version: 1 },
      { checkId: 'secrets', version: 1 },
      { checkId: 'sshd-config', version: 1 },
    ],
    notRun: [{ checkId: 'malware-clamav', reason: 'clamscan not installed' }],
  },
  advisoryDatabase: {
    id: 'osv-2026-11-27-4f1c',
    records: 48213,
    newestModified: '2026-11-26T23:41:07Z',
  },
  warnings: ['1 python package found, but no advisories are imported for PyPI'],
  gate: {
    passed: false,
    blockingVulnerabilities: 2,
    blockingPolicyViolations: 2,
    rules: ['critical or high vulnerabilities with a fix', 'any policy violation'],
  },
};
