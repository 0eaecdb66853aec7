import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import { overlayUpperChanges } from '../../../src/scanner/layers/layer-changes.js';
import { runPolicyOverLower } from '../../../src/scanner/policy/layered-policy.js';
import { runPolicyChecks } from '../../../src/scanner/policy/policy-registry.js';
import { packageKey, packagesOf, scanLayer } from '../../../src/scanner/scan/layer-scan.js';
import type { StoredAdvisorySource } from '../../../src/scanner/scan/vulnerability-scan.js';
import { tempDir } from '../../support/paths.js';

function write(root: string, relPath: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, relPath)), { recursive: true });
  writeFileSync(path.join(root, relPath), text);
}

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
  const mounts: string[] = [];
  afterEach(() => {
    for (const merged of mounts.splice(0)) execFileSync('umount', [merged]);
  });

  /** A real overlay over a small base; `change` edits the merged view, as an installer would. */
  function overlay(change: (merged: string) => void): {
    base: string;
    upper: string;
    merged: string;
  } {
    const dir = tempDir('layered');
    const [base, upper, work, merged] = ['base', 'upper', 'work', 'merged'].map((d) =>
      path.join(dir, d),
    ) as [string, string, string, string];
    for (const d of [base, upper, work, merged]) mkdirSync(d, { recursive: true });
    write(base, 'etc/os-release', 'ID=debian\nVERSION_ID="12"\n');
    write(base, 'var/lib/dpkg/status', DPKG_STATUS);
    write(
      base,
      'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA',
      pythonMetadata('requests', '2.28.1'),
    );
    write(
      base,
      'opt/tools/node_modules/left-pad/package.json',
      '{"name":"left-pad","version":"1.3.0"}',
    );
    write(base, 'opt/tools/.env', `AWS_SECRET_ACCESS_KEY=${FAKE_AWS_SECRET}\n`);
    execFileSync('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${base},upperdir=${upper},workdir=${work}`,
      merged,
    ]);
    mounts.push(merged);
    change(merged);
    return { base, upper, merged };
  }

  const cases: [string, (merged: string) => void][] = [
    [
      'a new file with a secret',
      (m) => write(m, 'opt/acme/config.ini', `aws_secret_access_key = ${FAKE_AWS_SECRET}\n`),
    ],
    ['a deleted file with a secret', (m) => rmSync(path.join(m, 'opt/tools/.env'))],
    ['an unrelated file', (m) => write(m, 'opt/acme/README', 'hello')],
    [
      'a new npm package',
      (m) =>
        write(
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
        write(
          m,
          'opt/tools/node_modules/right-pad/package.json',
          '{"name":"right-pad","version":"1.0.1"}',
        );
      },
    ],
    [
      'a changed dpkg database',
      (m) =>
        write(
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
