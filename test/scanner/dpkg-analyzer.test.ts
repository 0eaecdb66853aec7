import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeDpkg, parseDpkgStatus } from '../../src/scanner/inventory/dpkg-analyzer.js';
import { repoRoot, tempDir } from '../support/paths.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/dpkg/status');

describe('parseDpkgStatus', () => {
  const parsed = parseDpkgStatus(readFileSync(FIXTURE, 'utf8'), 'var/lib/dpkg/status');
  const find = (name: string, architecture = 'amd64') =>
    parsed.packages.find((pkg) => pkg.name === name && pkg.architecture === architecture);

  it.each([
    {
      name: 'base-files',
      version: '12.4+deb12u5',
      sourceName: 'base-files',
      sourceVersion: '12.4+deb12u5',
      installedSizeKiB: 385,
    },
    {
      name: 'bsdutils',
      version: '1:2.38.1-5+b1',
      sourceName: 'util-linux',
      sourceVersion: '2.38.1-5',
      installedSizeKiB: 335,
    },
    {
      name: 'libc-bin',
      version: '2.36-9+deb12u4',
      sourceName: 'glibc',
      sourceVersion: '2.36-9+deb12u4',
      installedSizeKiB: 2603,
    },
    {
      name: 'vendor-agent',
      version: '2:4.5.0~rc1+dfsg-1',
      sourceName: 'vendor-agent',
      sourceVersion: '2:4.5.0~rc1+dfsg-1',
      installedSizeKiB: 20480,
    },
  ])('reads $name', (expected) => {
    expect(find(expected.name)).toEqual({
      ...expected,
      architecture: 'amd64',
      status: { want: 'install', flag: 'ok', state: 'installed' },
    });
  });

  it('keeps both architectures of a Multi-Arch: same package', () => {
    expect(find('libc6', 'amd64')?.installedSizeKiB).toBe(12986);
    expect(find('libc6', 'i386')?.installedSizeKiB).toBe(12396);
  });

  it('records the state of packages that are not fully installed', () => {
    expect(find('old-daemon')?.status).toEqual({
      want: 'deinstall',
      flag: 'ok',
      state: 'config-files',
    });
    expect(find('half-done', 'all')).toMatchObject({
      status: { want: 'install', flag: 'reinstreq', state: 'half-installed' },
      installedSizeKiB: undefined,
    });
  });

  it('leaves out records of packages that are not installed', () => {
    expect(find('purged-tool')).toBeUndefined();
  });

  it('skips malformed stanzas with a warning naming file, line and package', () => {
    expect(find('broken-status')).toBeUndefined();
    expect(find('broken-line')).toBeUndefined();
    expect(parsed.warnings).toEqual([
      {
        file: 'var/lib/dpkg/status',
        line: expect.any(Number) as number,
        message: expect.stringContaining('package broken-status skipped: invalid Status') as string,
      },
      {
        file: 'var/lib/dpkg/status',
        line: expect.any(Number) as number,
        message: expect.stringContaining('package broken-line skipped: line') as string,
      },
    ]);
    const lines = readFileSync(FIXTURE, 'utf8').split('\n');
    expect(lines[(parsed.warnings[0]?.line ?? 0) - 1]).toBe('Package: broken-status');
  });

  it('sorts packages by name, then architecture', () => {
    const keys = parsed.packages.map((pkg) => `${pkg.name}:${pkg.architecture}`);
    expect(keys).toEqual([
      'base-files:amd64',
      'bsdutils:amd64',
      'half-done:all',
      'libc-bin:amd64',
      'libc6:amd64',
      'libc6:i386',
      'old-daemon:amd64',
      'vendor-agent:amd64',
    ]);
  });

  it.each([
    [
      'a continuation line with no field',
      ' orphan continuation\nPackage: x1\n',
      /continues no field/,
    ],
    ['a repeated field', 'Package: x1\nPackage: x2\n', /repeated/],
    [
      'a bad version',
      'Package: x1\nStatus: install ok installed\nArchitecture: all\nVersion: 1 2\n',
      /Version/,
    ],
    [
      'a bad Source',
      'Package: x1\nStatus: install ok installed\nArchitecture: all\nVersion: 1\nSource: y (1\n',
      /Source/,
    ],
  ])('warns about %s', (_title, text, message) => {
    const result = parseDpkgStatus(text, 'status');
    expect(result.packages).toEqual([]);
    expect(result.warnings[0]?.message).toMatch(message);
  });
});

describe('analyzeDpkg', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function makeRoot(): string {
    const root = tempDir('dpkg-root');
    roots.push(root);
    mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
    return root;
  }

  it('reads var/lib/dpkg/status and status.d, skipping md5sums and duplicates', async () => {
    const root = makeRoot();
    copyFileSync(FIXTURE, path.join(root, 'var/lib/dpkg/status'));
    mkdirSync(path.join(root, 'var/lib/dpkg/status.d'));
    writeFileSync(
      path.join(root, 'var/lib/dpkg/status.d/tzdata'),
      'Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n',
    );
    writeFileSync(path.join(root, 'var/lib/dpkg/status.d/tzdata.md5sums'), 'not a stanza\n');
    writeFileSync(
      path.join(root, 'var/lib/dpkg/status.d/zz-duplicate'),
      'Package: libc-bin\nStatus: install ok installed\nArchitecture: amd64\nVersion: 9.9-9\n',
    );
    const inventory = await analyzeDpkg(root);
    expect(inventory.packages.find((pkg) => pkg.name === 'tzdata')?.version).toBe(
      '2024a-0+deb12u1',
    );
    expect(inventory.packages.find((pkg) => pkg.name === 'libc-bin')?.version).toBe(
      '2.36-9+deb12u4',
    );
    expect(inventory.warnings.map((w) => w.file)).toContain('var/lib/dpkg/status.d/zz-duplicate');
    expect(inventory.warnings).toHaveLength(3);
  });

  it('finds nothing, without failing, in a root without dpkg', async () => {
    const root = tempDir('dpkg-empty');
    roots.push(root);
    expect(await analyzeDpkg(root)).toEqual({ packages: [], warnings: [] });
  });

  it('never follows a symlink out of the root', async () => {
    const root = makeRoot();
    const outside = tempDir('dpkg-outside');
    roots.push(outside);
    writeFileSync(
      path.join(outside, 'status'),
      'Package: host-secret\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n',
    );
    symlinkSync(path.join(outside, 'status'), path.join(root, 'var/lib/dpkg/status'));
    symlinkSync('../../../../../../../..' + outside, path.join(root, 'var/lib/dpkg/status.d'));
    expect((await analyzeDpkg(root)).packages).toEqual([]);
  });
});
