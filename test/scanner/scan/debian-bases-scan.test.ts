import { readdirSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { importOsvFiles } from '../../../src/scanner/advisories/osv-importer.js';
import { applyGate } from '../../../src/scanner/gate/apply-gate.js';
import { DEFAULT_GATE_POLICY } from '../../../src/scanner/gate/gate-policy.js';
import { ImageScanner } from '../../../src/scanner/scan/image-scanner.js';
import type { ScanReport, VulnerabilityFinding } from '../../../src/scanner/scan/scan-report.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { obtainSharedDebian } from '../../base-images/shared-debian-root.js';
import { tempDir } from '../../support/paths.js';
import { VULNDATA_DIR } from '../../support/vulndata.js';

const NOW = new Date('2026-11-27T12:00:00Z');

/**
 * Scans of the project's own Debian base roots against all of ../shared/vulndata. Each
 * expectation was checked by hand against the advisory records (quoted in the comments); the
 * base roots are rebuilt from the mirror, so only facts that stay true as packages are updated
 * are asserted (unfixed advisories, fixes older than any current package).
 */
describe('scans of the debian-11, debian-12 and debian-13 bases', () => {
  let store: Store;
  const reports = new Map<string, ScanReport>();

  beforeAll(async () => {
    const dir = tempDir('base-scans');
    store = await openStore(`sqlite:${path.join(dir, 'goldsmith.db')}`);
    const files = readdirSync(VULNDATA_DIR)
      .filter((f) => f.endsWith('.jsonl.xz'))
      .map((f) => path.join(VULNDATA_DIR, f));
    await importOsvFiles(store, files);
    const scanner = new ImageScanner({ advisories: store.advisories, now: () => NOW });
    for (const id of ['debian-11', 'debian-12', 'debian-13'] as const) {
      const root = (await obtainSharedDebian(id)).rootDir;
      const ungated = await scanner.scanSource(
        { target: { kind: 'directory', name: id }, layers: [], directory: root, labels: {} },
        path.join(dir, id),
      );
      reports.set(id, applyGate(ungated, DEFAULT_GATE_POLICY, NOW).report);
    }
  }, 600_000);

  afterAll(async () => {
    await store.close();
  });

  const find = (os: string, id: string, pkg: string): VulnerabilityFinding | undefined =>
    reports.get(os)!.vulnerabilities.find((v) => v.id === id && v.package.name === pkg);

  it('finds MiniZip’s overflow in zlib on 11 and 12 (no Debian fix) but not on 13 (fixed in 1:1.3.dfsg-2)', () => {
    // CVE-2023-45853: Debian:11 and Debian:12 zlib `introduced 0` with no fix, Debian:13 zlib
    // fixed in 1:1.3.dfsg-2; NVD CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H (9.8); alias
    // GHSA-mq29-j5xf-cjwr.
    for (const os of ['debian-11', 'debian-12']) {
      expect(find(os, 'CVE-2023-45853', 'zlib1g')).toMatchObject({
        package: { name: 'zlib1g', sourceName: 'zlib' },
        fixedVersion: null,
        severity: 'critical',
        score: 9.8,
        severitySource: 'cvss-v3',
        ecosystem: `Debian:${os.slice(-2)}`,
        gate: { blocking: false, reason: 'no-fix' },
      });
      expect(find(os, 'CVE-2023-45853', 'zlib1g')!.aliases).toContain('GHSA-mq29-j5xf-cjwr');
    }
    expect(find('debian-13', 'CVE-2023-45853', 'zlib1g')).toBeUndefined();
  });

  it('rates glibc’s CVE-2019-1010022 by its CVSS vector, not Debian’s “unimportant” urgency', () => {
    // CVE-2019-1010022: glibc `introduced 0` on Debian 11, 12 and 13, urgency unimportant,
    // CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.
    for (const os of ['debian-11', 'debian-12', 'debian-13']) {
      for (const binary of ['libc6', 'libc-bin']) {
        expect(find(os, 'CVE-2019-1010022', binary)).toMatchObject({
          package: { sourceName: 'glibc' },
          fixedVersion: null,
          severity: 'critical',
          severitySource: 'cvss-v3',
        });
      }
    }
  });

  it('does not report what the installed versions fixed', () => {
    // CVE-2023-5363: DSA-5532-1 fixed openssl in 3.0.11-1~deb12u2 (bookworm, Oct 2023).
    expect(find('debian-12', 'CVE-2023-5363', 'libssl3')).toBeUndefined();
    for (const report of reports.values()) {
      // Every base is current with its security suite, so nothing has a fix it lacks.
      expect(report.vulnerabilities.filter((v) => v.fixedVersion !== null)).toEqual([]);
    }
  });

  it('fails Debian 11 on its end of life (2026-08-31) and passes 12 and 13', () => {
    const eleven = reports.get('debian-11')!;
    expect(eleven.policy.violations.map((v) => [v.code, v.evidence.date])).toEqual([
      ['POLICY_OS_END_OF_LIFE', '2026-08-31'],
    ]);
    expect(eleven.gate).toMatchObject({
      passed: false,
      blockingVulnerabilities: 0,
      blockingPolicyViolations: 1,
    });
    for (const os of ['debian-12', 'debian-13']) {
      expect(reports.get(os)!.policy.violations).toEqual([]);
      expect(reports.get(os)!.gate.passed).toBe(true);
    }
  });

  it('lists each base’s packages, OS and the checks that could not run', () => {
    for (const [os, report] of reports) {
      expect(report.os?.versionId).toBe(os.slice(-2));
      expect(report.packages.length).toBeGreaterThan(150);
      expect(report.policy.notRun.map((n) => n.checkId)).toEqual(['malware-clamav']);
      expect(report.advisoryDatabase.records).toBeGreaterThan(100_000);
    }
  });
});
