import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYZERS, analyzeRoot } from '../../../src/scanner/inventory/analyzer-registry.js';
import type { Inventory } from '../../../src/scanner/inventory/inventory-types.js';
import { tempDir } from '../../support/paths.js';
import { writeTxtarRoot } from './fixture-root.js';

describe('analyzeRoot', () => {
  let root: string;
  let outside: string;
  let inventory: Inventory;
  beforeAll(async () => {
    root = writeTxtarRoot('language-packages.txtar');
    // Things outside the root that symlinks inside it point at: none may be reported.
    outside = tempDir('inventory-outside');
    mkdirSync(path.join(outside, 'host-pkg'));
    writeFileSync(
      path.join(outside, 'host-pkg/package.json'),
      '{"name": "host-pkg", "version": "1.0.0"}',
    );
    mkdirSync(path.join(outside, 'host-1.0.dist-info'));
    writeFileSync(
      path.join(outside, 'host-1.0.dist-info/METADATA'),
      'Name: host-python\nVersion: 1.0\n',
    );
    writeFileSync(
      path.join(outside, 'status'),
      'Package: host-deb\nStatus: install ok installed\n',
    );
    symlinkSync(path.join(outside, 'host-pkg'), path.join(root, 'opt/app/node_modules/host-pkg'));
    symlinkSync(
      `../../../../../../../../..${outside}/host-1.0.dist-info`,
      path.join(root, 'usr/lib/python3/dist-packages/host-1.0.dist-info'),
    );
    symlinkSync(outside, path.join(root, 'var/lib/dpkg/status.d'));
    symlinkSync('/', path.join(root, 'opt/app/node_modules/loop'));
    // The same npm package installed twice is one package found in two places.
    mkdirSync(path.join(root, 'srv/node_modules/debug'), { recursive: true });
    writeFileSync(
      path.join(root, 'srv/node_modules/debug/package.json'),
      '{"name": "debug", "version": "2.6.9", "license": "MIT"}',
    );
    inventory = await analyzeRoot(root);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('reports the operating system and every analyzer with its version', () => {
    expect(inventory.os?.versionId).toBe('12');
    expect(inventory.analyzers).toEqual(
      ANALYZERS.map((a) => ({ type: a.type, version: a.version })).sort((a, b) =>
        a.type.localeCompare(b.type),
      ),
    );
    expect(inventory.analyzers.map((a) => a.type)).toEqual([
      'dpkg',
      'go-binary',
      'java',
      'npm',
      'python',
      'rpm',
    ]);
  });

  it('finds dpkg packages with source and distro, leaving out config-files records', () => {
    expect(inventory.packages.filter((pkg) => pkg.type === 'deb')).toEqual([
      {
        type: 'deb',
        name: 'libc6',
        version: '2.36-9+deb12u4',
        sourceName: 'glibc',
        sourceVersion: '2.36-9+deb12u4',
        arch: 'amd64',
        purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
        locations: ['var/lib/dpkg/status'],
      },
    ]);
  });

  it('sorts packages by type and name, merging equal purls', () => {
    expect(inventory.packages.map((pkg) => `${pkg.type}:${pkg.name}`)).toEqual([
      'deb:libc6',
      'npm:@babel/core',
      'npm:debug',
      'npm:express',
      'npm:npm',
      'python:PyYAML',
      'python:Zope.Interface',
      'python:requests',
      'python:six',
    ]);
    expect(inventory.packages.find((pkg) => pkg.name === 'debug')?.locations).toEqual([
      'opt/app/node_modules/express/node_modules/debug/package.json',
      'srv/node_modules/debug/package.json',
    ]);
  });

  it('never follows a symlink, least of all one out of the root', () => {
    const names = inventory.packages.map((pkg) => pkg.name);
    expect(names).not.toContain('host-pkg');
    expect(names).not.toContain('host-python');
    expect(names).not.toContain('host-deb');
  });

  it('walks an empty root without finding anything', async () => {
    const empty = tempDir('inventory-empty');
    try {
      const result = await analyzeRoot(empty);
      expect({ ...result, analyzers: [] }).toEqual({
        os: undefined,
        packages: [],
        warnings: [],
        analyzers: [],
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
