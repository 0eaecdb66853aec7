import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import type { Inventory } from '../../../src/scanner/inventory/inventory-types.js';
import { obtainSharedDebian12 } from '../../base-images/shared-debian-root.js';

describe('analyzeRoot over the project-built debian-12 base root', () => {
  let rootDir: string;
  let inventory: Inventory;
  let walk: { files: number; directories: number; milliseconds: number } | undefined;
  let totalMs: number;
  beforeAll(async () => {
    rootDir = (await obtainSharedDebian12()).rootDir;
    const started = performance.now();
    inventory = await analyzeRoot(rootDir, {
      onWalked: (stats) => {
        walk = stats;
      },
    });
    totalMs = performance.now() - started;
    // Measurement for the benchmark notes; the assertion below only keeps it sane.
    console.log(
      `debian-12 inventory: walked ${walk?.files} files in ${walk?.directories} directories in ` +
        `${walk?.milliseconds.toFixed(0)} ms; whole analyzeRoot ${totalMs.toFixed(0)} ms; ` +
        `${inventory.packages.length} packages, ${inventory.warnings.length} warnings`,
    );
  });

  it('finds every package dpkg-query lists, with the same versions', () => {
    const listed = execFileSync(
      'dpkg-query',
      [
        `--admindir=${path.join(rootDir, 'var/lib/dpkg')}`,
        '-W',
        '-f',
        '${Package}:${Architecture} ${Version} ${db:Status-Status}\\n',
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' '))
      // config-files and not-installed records have no software on disk
      .filter(([, , status]) => status !== 'config-files' && status !== 'not-installed')
      .map(([key, version]) => `${key} ${version}`)
      .sort();
    const found = inventory.packages
      .filter((pkg) => pkg.type === 'deb')
      .map((pkg) => `${pkg.name}:${pkg.arch} ${pkg.version}`)
      .sort();
    expect(listed.length).toBeGreaterThan(80);
    expect(found).toEqual(listed);
    expect(inventory.warnings).toEqual([]);
  });

  it('identifies the operating system', () => {
    expect(inventory.os).toMatchObject({ id: 'debian', versionId: '12' });
    expect(walk?.files).toBeGreaterThan(1000);
  });
});
