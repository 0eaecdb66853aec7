import { rmSync } from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import { overlayUpperChanges } from '../../../src/scanner/layers/layer-changes.js';
import { runPolicyOverLower } from '../../../src/scanner/policy/layered-policy.js';
import { runPolicyChecks } from '../../../src/scanner/policy/policy-registry.js';
import { packageKey, packagesOf, scanLayer } from '../../../src/scanner/scan/layer-scan.js';
import type { StoredAdvisorySource } from '../../../src/scanner/scan/vulnerability-scan.js';
import { mountOverlayRoot, writeRootFile, type OverlayRoot } from '../../support/overlay-root.js';

const DPKG_STATUS = [
  'Package: base-files',
  'Status: install ok installed',
  'Architecture: amd64',
  'Version: 12.4+deb12u5',
  '',
].join('\n');

function pythonMetadata(name: string, version: string): string {
  return `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
}

/** An AWS secret key of the right shape (AWS documentation's example key). */
const FAKE_AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const NOW = new Date('2026-11-27T00:00:00Z');
const NO_ADVISORIES: StoredAdvisorySource = { findByPackages: () => Promise.resolve([]) };

describe('scan of a base plus an overlay upper directory', () => {
  const mounted: OverlayRoot[] = [];
  afterEach(() => {
    for (const overlay of mounted.splice(0)) overlay.unmount();
  });

  /** A real overlay over a small base; `change` edits the merged view, as an installer would. */
  function overlay(change: (merged: string) => void): OverlayRoot {
    const root = mountOverlayRoot((base) => {
      writeRootFile(base, 'etc/os-release', 'ID=debian\nVERSION_ID="12"\n');
      writeRootFile(base, 'var/lib/dpkg/status', DPKG_STATUS);
      writeRootFile(
        base,
        'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA',
        pythonMetadata('requests', '2.28.1'),
      );
      writeRootFile(
        base,
        'opt/tools/node_modules/left-pad/package.json',
        '{"name":"left-pad","version":"1.3.0"}',
      );
      writeRootFile(base, 'opt/tools/.env', `AWS_SECRET_ACCESS_KEY=${FAKE_AWS_SECRET}\n`);
    });
    mounted.push(root);
    change(root.merged);
    return root;
  }

  const cases: [string, (merged: string) => void][] = [
    [
      'a new file with a secret',
      (m) =>
        writeRootFile(m, 'opt/acme/config.ini', `aws_secret_access_key = ${FAKE_AWS_SECRET}\n`),
    ],
    ['a deleted file with a secret', (m) => rmSync(path.join(m, 'opt/tools/.env'))],
    ['an unrelated file', (m) => writeRootFile(m, 'opt/acme/README', 'hello')],
    [
      'a new npm package',
      (m) =>
        writeRootFile(
          m,
          'opt/acme/node_modules/lodash/package.json',
          '{"name":"lodash","version":"4.17.21"}',
        ),
    ],
    [
      'a deleted base package (whiteout)',
      (m) =>
        rmSync(path.join(m, 'usr/lib/python3/dist-packages/requests-2.28.1.dist-info'), {
          recursive: true,
        }),
    ],
    [
      'a replaced directory (opaque)',
      (m) => {
        rmSync(path.join(m, 'opt/tools'), { recursive: true });
        writeRootFile(
          m,
          'opt/tools/node_modules/right-pad/package.json',
          '{"name":"right-pad","version":"1.0.1"}',
        );
      },
    ],
    [
      'a changed dpkg database',
      (m) =>
        writeRootFile(
          m,
          'var/lib/dpkg/status',
          `${DPKG_STATUS}\nPackage: acme\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0\n`,
        ),
    ],
  ];

  it.each(cases)('equals a full scan of the merged root after %s', async (label, change) => {
    const { base, upper, merged } = overlay(change);
    const lower = await scanLayer({
      root: base,
      index: 0,
      lower: undefined,
      changes: undefined,
      advisories: NO_ADVISORIES,
    });
    const changes = await overlayUpperChanges(upper);
    const layered = await scanLayer({
      root: merged,
      index: 1,
      lower,
      changes,
      advisories: NO_ADVISORIES,
    });
    const full = await analyzeRoot(merged);
    expect(
      packagesOf(layered)
        .map((p) => p.purl)
        .sort(),
    ).toEqual(full.packages.map((p) => p.purl).sort());
    expect(layered.os).toEqual(full.os);
    // A package the base had keeps layer 0; one the overlay brought is layer 1.
    for (const pkg of packagesOf(layered)) {
      const inBase = packagesOf(lower).some((b) => packageKey(b) === packageKey(pkg));
      expect(layered.origins[packageKey(pkg)]).toBe(inBase ? 0 : 1);
    }

    const policyOverBase = await runPolicyOverLower(
      merged,
      await runPolicyChecks(base, { now: NOW }),
      changes,
      { now: NOW },
    );
    const fullPolicy = await runPolicyChecks(merged, { now: NOW });
    // The base's opt/tools/.env holds a secret; the cases add one, or take it away.
    const secrets = fullPolicy.violations.filter((v) => v.checkId === 'secrets').length;
    const expected: Record<string, number> = {
      'a new file with a secret': 2,
      'a deleted file with a secret': 0,
      'a replaced directory (opaque)': 0,
    };
    expect(secrets).toBe(expected[label] ?? 1);
    const describe = (v: { code: string; evidence: { path?: string; line?: number } }) =>
      `${v.code} ${v.evidence.path ?? ''}:${v.evidence.line ?? ''}`;
    expect(policyOverBase.violations.map(describe).sort()).toEqual(
      fullPolicy.violations.map(describe).sort(),
    );
  });
});
