import { describe, expect, it } from 'vitest';
import {
  DEBIAN_BASE_PACKAGES,
  debianRecipe,
  mmdebstrapArgs,
  mmdebstrapEnv,
  recipeKey,
} from '../../src/base-images/debian-recipe.js';
import { findOsVersion } from '../../src/domain/catalog/os-catalog.js';
import type { OsVersion } from '../../src/domain/catalog/os-catalog.js';

const MIRRORS = {
  archive: 'http://mirror.example/debian',
  security: 'http://mirror.example/debian-security',
};

function os(id: string): OsVersion {
  const found = findOsVersion(id);
  if (found === undefined) throw new Error(`no ${id}`);
  return found;
}

describe('debianRecipe', () => {
  it.each([
    { id: 'debian-11', suite: 'bullseye', hookDirs: [] },
    { id: 'debian-12', suite: 'bookworm', hookDirs: ['/usr/share/mmdebstrap/hooks/merged-usr'] },
    { id: 'debian-13', suite: 'trixie', hookDirs: [] },
  ])(
    '$id: release, -updates and -security suites; merged-/usr hook $hookDirs',
    ({ id, suite, hookDirs }) => {
      const recipe = debianRecipe(os(id), MIRRORS);
      expect(recipe.sources).toEqual([
        { uri: 'http://mirror.example/debian', suite, components: ['main'] },
        { uri: 'http://mirror.example/debian', suite: `${suite}-updates`, components: ['main'] },
        {
          uri: 'http://mirror.example/debian-security',
          suite: `${suite}-security`,
          components: ['main'],
        },
      ]);
      expect(recipe.hookDirs).toEqual(hookDirs);
      const args = mmdebstrapArgs(recipe, '/cache/x/rootfs');
      expect(args).toEqual(
        expect.arrayContaining([
          '--mode=root',
          '--format=directory',
          '--variant=minbase',
          '--components=main',
        ]),
      );
      expect(args.slice(-5)).toEqual([
        suite,
        '/cache/x/rootfs',
        `deb http://mirror.example/debian ${suite} main`,
        `deb http://mirror.example/debian ${suite}-updates main`,
        `deb http://mirror.example/debian-security ${suite}-security main`,
      ]);
    },
  );

  it('installs a realistic server package set', () => {
    const include = mmdebstrapArgs(debianRecipe(os('debian-12'), MIRRORS), '/r').find((arg) =>
      arg.startsWith('--include='),
    );
    const packages = include?.slice('--include='.length).split(',') ?? [];
    for (const name of [
      'openssh-server',
      'curl',
      'ca-certificates',
      'iproute2',
      'iputils-ping',
      'procps',
      'sudo',
      'less',
      'netbase',
      'systemd-sysv',
      'apt-utils',
      'vim-tiny',
      'gnupg',
      'cron',
      'logrotate',
      'ifupdown',
    ]) {
      expect(packages).toContain(name);
    }
    expect(packages).toHaveLength(DEBIAN_BASE_PACKAGES.length);
    expect(DEBIAN_BASE_PACKAGES.every((pkg) => pkg.reason.length > 0)).toBe(true);
  });

  it('leaves the security suite out when there is no security mirror', () => {
    const recipe = debianRecipe(os('debian-12'), { archive: MIRRORS.archive, security: undefined });
    expect(recipe.sources.map((source) => source.suite)).toEqual(['bookworm', 'bookworm-updates']);
  });

  it('sets SOURCE_DATE_EPOCH', () => {
    expect(mmdebstrapEnv(debianRecipe(os('debian-12'), MIRRORS))['SOURCE_DATE_EPOCH']).toMatch(
      /^\d+$/,
    );
  });

  it('names a new cache entry when any input changes, and only then', () => {
    const key = recipeKey(debianRecipe(os('debian-12'), MIRRORS));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(
      recipeKey(
        debianRecipe(os('debian-12'), { ...MIRRORS, archive: 'http://mirror.example/debian/' }),
      ),
    ).toBe(key);
    expect(
      recipeKey(
        debianRecipe(os('debian-12'), { ...MIRRORS, archive: 'http://other.example/debian' }),
      ),
    ).not.toBe(key);
    expect(recipeKey(debianRecipe(os('debian-12'), { ...MIRRORS, security: undefined }))).not.toBe(
      key,
    );
    expect(recipeKey(debianRecipe(os('debian-13'), MIRRORS))).not.toBe(key);
    const recipe = debianRecipe(os('debian-12'), MIRRORS);
    expect(recipeKey({ ...recipe, packages: [...recipe.packages, 'htop'] })).not.toBe(key);
    expect(recipeKey({ ...recipe, recipeVersion: recipe.recipeVersion + 1 })).not.toBe(key);
  });

  it('rejects a mirror apt would misread', () => {
    expect(() =>
      debianRecipe(os('debian-12'), {
        archive: 'http://a.example/debian bookworm',
        security: undefined,
      }),
    ).toThrow(/mirror URI/);
  });
});
