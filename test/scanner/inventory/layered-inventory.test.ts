import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import { inventoryOverBase } from '../../../src/scanner/inventory/layered-inventory.js';
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

describe('inventory of a base plus an overlay upper directory', () => {
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

  it.each(cases)('equals a full analysis of the merged root after %s', async (_label, change) => {
    const { base, upper, merged } = overlay(change);
    const layered = await inventoryOverBase({
      mergedRoot: merged,
      upperDir: upper,
      baseRoot: base,
      baseKey: base,
    });
    const full = await analyzeRoot(merged);
    expect(layered.packages.map((p) => p.purl).sort()).toEqual(
      full.packages.map((p) => p.purl).sort(),
    );
    expect(layered.os).toEqual(full.os);
  });
});
