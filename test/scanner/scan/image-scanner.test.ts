import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { importOsvFiles } from '../../../src/scanner/advisories/osv-importer.js';
import { applyGate } from '../../../src/scanner/gate/apply-gate.js';
import { DEFAULT_GATE_POLICY } from '../../../src/scanner/gate/gate-policy.js';
import { ImageScanner } from '../../../src/scanner/scan/image-scanner.js';
import type { UngatedScanReport } from '../../../src/scanner/scan/scan-report.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { mountOverlayRoot, writeRootFile, type OverlayRoot } from '../../support/overlay-root.js';
import { tempDir } from '../../support/paths.js';
import { OSV_DEBIAN_EXPORT, osvLinesNaming } from '../../support/vulndata.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function dpkgStanza(name: string, version: string, source: string): string {
  return [
    `Package: ${name}`,
    'Status: install ok installed',
    'Architecture: amd64',
    `Source: ${source}`,
    `Version: ${version}`,
    '',
  ].join('\n');
}

/** libssl3 as bookworm released it: in the base. */
const BASE_STATUS = dpkgStanza('libssl3', '3.0.9-1', 'openssl');
/** The installer adds libcurl4 as bookworm released it. */
const INSTALLED_STATUS = `${BASE_STATUS}\n${dpkgStanza('libcurl4', '7.88.1-10', 'curl')}`;

describe('image scanner over a base and an installer overlay', () => {
  let store: Store;
  let dir: string;
  let overlay: OverlayRoot;
  let scanner: ImageScanner;
  let cachePuts = 0;

  beforeAll(async () => {
    dir = tempDir('image-scanner');
    store = await openStore(`sqlite:${path.join(dir, 'goldsmith.db')}`);
    // The real osv.dev records of the two source packages.
    const records = path.join(dir, 'records.jsonl');
    writeFileSync(records, osvLinesNaming(OSV_DEBIAN_EXPORT, ['openssl', 'curl']).join('\n'));
    await importOsvFiles(store, [records]);

    overlay = mountOverlayRoot((base) => {
      writeRootFile(
        base,
        'etc/os-release',
        'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      );
      writeRootFile(base, 'var/lib/dpkg/status', BASE_STATUS);
    });
    writeRootFile(overlay.merged, 'var/lib/dpkg/status', INSTALLED_STATUS);
    // The installer also leaves a private key behind.
    writeRootFile(
      overlay.merged,
      'opt/acme/id_rsa',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n',
    );

    const cache = {
      get: (key: string) => store.scanCache.get(key),
      put: (key: string, result: string, at: string) => {
        cachePuts += 1;
        return store.scanCache.put(key, result, at);
      },
      prune: (before: string) => store.scanCache.prune(before),
    };
    scanner = new ImageScanner({ advisories: store.advisories, cache, now: () => NOW });
  });

  afterAll(async () => {
    overlay.unmount();
    await store.close();
  });

  const scanBuild = (): Promise<UngatedScanReport> =>
    scanner.scanBuild({
      target: { kind: 'build', name: 'acme-1 on debian-12' },
      baseRoot: overlay.base,
      baseLayerDigests: [`sha256:${'b'.repeat(64)}`],
      mergedRoot: overlay.merged,
      upperDir: overlay.upper,
      installerLayerDigest: `sha256:${'1'.repeat(64)}`,
    });

  it('says which layer brought each vulnerability and names both package and source', async () => {
    const report = await scanBuild();
    const cve5363 = report.vulnerabilities.find(
      (v) => v.id === 'CVE-2023-5363' && v.package.name === 'libssl3',
    );
    // DSA-5532-1 fixed it in 3.0.11-1~deb12u2; NVD rates it 7.5 (high).
    expect(cve5363).toMatchObject({
      package: { name: 'libssl3', sourceName: 'openssl', sourceVersion: '3.0.9-1' },
      installedVersion: '3.0.9-1',
      fixedVersion: '3.0.11-1~deb12u2',
      severity: 'high',
      severitySource: 'cvss-v3',
      ecosystem: 'Debian:12',
      layer: { index: 0, role: 'base' },
    });
    expect(cve5363!.aliases).toEqual(expect.arrayContaining(['CVE-2023-5363', 'DSA-5532-1']));
    // curl's SOCKS5 heap overflow, fixed in 7.88.1-10+deb12u4: the installer brought it.
    const socks = report.vulnerabilities.find((v) => v.id === 'CVE-2023-38545');
    expect(socks).toMatchObject({
      package: { name: 'libcurl4', sourceName: 'curl' },
      fixedVersion: '7.88.1-10+deb12u4',
      layer: { index: 1, role: 'installer' },
    });
    expect(report.packages.map((p) => [p.name, p.layer?.role])).toEqual([
      ['libcurl4', 'installer'],
      ['libssl3', 'base'],
    ]);
    const key = report.policy.violations.find((v) => v.evidence.path === 'opt/acme/id_rsa');
    expect(key?.layer?.role).toBe('installer');
    expect(report.layers.map((l) => l.cached)).toEqual([false, false]);
  });

  it('reads the base from the cache the second time, with the same findings', async () => {
    const first = await scanBuild();
    const puts = cachePuts;
    const second = await scanBuild();
    expect(second.layers.map((l) => l.cached)).toEqual([true, false]);
    expect(second.vulnerabilities).toEqual(first.vulnerabilities);
    expect(second.policy).toEqual(first.policy);
    // Only the installer layer's results were written again.
    expect(cachePuts - puts).toBe(2);
  });

  it('scans again when the advisory database changes', async () => {
    const before = await scanBuild();
    const extra = path.join(dir, 'extra.jsonl');
    writeFileSync(
      extra,
      `${JSON.stringify({
        id: 'DSA-9999-1',
        modified: '2026-11-26T00:00:00Z',
        related: ['CVE-2026-99999'],
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'openssl' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.99-1' }] }],
          },
        ],
      })}\n`,
    );
    await importOsvFiles(store, [extra]);
    const after = await scanBuild();
    expect(after.advisoryDatabase.id).not.toBe(before.advisoryDatabase.id);
    expect(after.layers.map((l) => l.cached)).toEqual([false, false]);
    expect(after.vulnerabilities.some((v) => v.id === 'CVE-2026-99999')).toBe(true);
  });

  it('blocks on high vulnerabilities with a fix and on policy violations, by default', async () => {
    const { report } = applyGate(await scanBuild(), DEFAULT_GATE_POLICY, NOW);
    expect(report.gate.passed).toBe(false);
    const socks = report.vulnerabilities.find((v) => v.id === 'CVE-2023-38545');
    expect(socks?.gate.blocking).toBe(true);
    expect(report.policy.violations.every((v) => v.gate.blocking)).toBe(true);
  });

  it('scans a directory without naming layers', async () => {
    const report = await scanner.scanSource(
      {
        target: { kind: 'directory', name: overlay.base },
        layers: [],
        directory: overlay.base,
        labels: {},
      },
      path.join(dir, 'work-dir'),
    );
    expect(report.layers).toEqual([]);
    expect(report.packages.map((p) => [p.name, p.layer])).toEqual([['libssl3', undefined]]);
    expect(report.vulnerabilities.length).toBeGreaterThan(0);
    expect(report.vulnerabilities.every((v) => v.layer === undefined)).toBe(true);
  });
});
