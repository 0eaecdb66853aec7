import { describe, expect, it } from 'vitest';

import { osVersionsFor, type OsVersion } from '../../src/domain/catalog/os-catalog.js';
import {
  checkPackageGroup,
  type PackageGroupDraft,
} from '../../src/domain/package-groups/package-group-rules.js';
import type { Platform } from '../../src/domain/types.js';
import type { ErrorCode } from '../../src/errors/error-catalogue.js';
import { isDomainError } from '../../src/errors/domain-error.js';

const rpmOs: OsVersion = {
  id: 'rhel-9',
  name: 'RHEL 9',
  platform: 'linux',
  family: 'rhel',
  packageFormat: 'rpm',
  baseSource: { kind: 'mmdebstrap', suite: 'none' },
};
const windowsOs: OsVersion = {
  id: 'windows-2022',
  name: 'Windows Server 2022',
  platform: 'windows',
  family: 'windows',
  packageFormat: 'msi',
  baseSource: { kind: 'mmdebstrap', suite: 'none' },
};

/** The real catalog: Debian only, no Windows base registered. */
const realCatalog = { offeredFor: (platform: Platform) => osVersionsFor(platform) };
/** A catalog that also offers an RPM-based and a Windows OS, to reach the rules that need them. */
const widerCatalog = {
  offeredFor: (platform: Platform) =>
    platform === 'linux' ? [...osVersionsFor('linux'), rpmOs] : [windowsOs],
};

function draft(
  overrides: Partial<PackageGroupDraft> & { installer?: string } = {},
): PackageGroupDraft {
  const { installer = 'install.sh', ...rest } = overrides;
  return {
    name: 'acme_agent-2_4_linux_r1',
    platform: 'linux',
    osVersions: ['debian-12'],
    packages: [
      { packageId: 'pkg-1', fileName: installer, installer: true },
      { packageId: 'pkg-2', fileName: 'agent.tar.gz', installer: false },
    ],
    ...rest,
  };
}

function codeOf(run: () => unknown): ErrorCode | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
}

describe('package group rules', () => {
  const nameCases: [string, ErrorCode | 'ok'][] = [
    ['acme_agent-2_4_linux_r1', 'ok'],
    ['A', 'ok'],
    ['x'.repeat(99), 'ok'],
    ['x'.repeat(100), 'INVALID_PACKAGE_GROUP_NAME'],
    ['', 'INVALID_PACKAGE_GROUP_NAME'],
    ['has space', 'INVALID_PACKAGE_GROUP_NAME'],
    ['dot.name', 'INVALID_PACKAGE_GROUP_NAME'],
    ['slash/name', 'INVALID_PACKAGE_GROUP_NAME'],
    ['colon:name', 'INVALID_PACKAGE_GROUP_NAME'],
    ['plus+name', 'INVALID_PACKAGE_GROUP_NAME'],
    ['ümlaut', 'INVALID_PACKAGE_GROUP_NAME'],
    ['tab\tname', 'INVALID_PACKAGE_GROUP_NAME'],
    ['new\nline', 'INVALID_PACKAGE_GROUP_NAME'],
    ['emoji😀', 'INVALID_PACKAGE_GROUP_NAME'],
  ];
  it.each(nameCases)('name %j → %s', (name, expected) => {
    expect(codeOf(() => checkPackageGroup(draft({ name }), realCatalog))).toBe(expected);
  });

  const linuxExtensions: [string, ErrorCode | 'ok'][] = [
    ['install.sh', 'ok'],
    ['setup.run', 'ok'],
    ['agent.exe', 'ok'],
    ['agent_1.0_amd64.deb', 'ok'],
    ['INSTALL.SH', 'ok'],
    ['agent.rpm', 'INSTALLER_INCOMPATIBLE_WITH_OS'],
    ['setup.msi', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['setup.ps1', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['setup.bat', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['install.py', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['agent.zip', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['install', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['install.sh.txt', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
  ];
  it.each(linuxExtensions)('linux installer %s → %s', (installer, expected) => {
    expect(codeOf(() => checkPackageGroup(draft({ installer }), realCatalog))).toBe(expected);
  });

  const windowsExtensions: [string, ErrorCode | 'ok'][] = [
    ['setup.msi', 'ok'],
    ['setup.ps1', 'ok'],
    ['setup.bat', 'ok'],
    ['setup.exe', 'ok'],
    ['install.sh', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['agent.deb', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['agent.rpm', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
    ['setup.run', 'INSTALLER_EXTENSION_NOT_ALLOWED'],
  ];
  it.each(windowsExtensions)(
    'windows installer %s → %s (with a Windows base)',
    (installer, expected) => {
      const windowsDraft = draft({ installer, platform: 'windows', osVersions: ['windows-2022'] });
      expect(codeOf(() => checkPackageGroup(windowsDraft, widerCatalog))).toBe(expected);
    },
  );

  it('refuses a Windows group while no Windows base image is registered', () => {
    const windowsDraft = draft({
      installer: 'setup.msi',
      platform: 'windows',
      osVersions: ['windows-2022'],
    });
    expect(codeOf(() => checkPackageGroup(windowsDraft, realCatalog))).toBe(
      'PLATFORM_NOT_AVAILABLE',
    );
  });

  it('accepts an .rpm installer only for RPM-based OS versions', () => {
    expect(
      codeOf(() =>
        checkPackageGroup(draft({ installer: 'a.rpm', osVersions: ['rhel-9'] }), widerCatalog),
      ),
    ).toBe('ok');
    expect(
      codeOf(() =>
        checkPackageGroup(
          draft({ installer: 'a.rpm', osVersions: ['rhel-9', 'debian-12'] }),
          widerCatalog,
        ),
      ),
    ).toBe('INSTALLER_INCOMPATIBLE_WITH_OS');
  });

  const installerCounts: [string, PackageGroupDraft['packages'], ErrorCode | 'ok'][] = [
    [
      'none marked',
      [{ packageId: 'a', fileName: 'a.sh', installer: false }],
      'INSTALLER_NOT_EXACTLY_ONE',
    ],
    ['no packages', [], 'INSTALLER_NOT_EXACTLY_ONE'],
    [
      'two marked',
      [
        { packageId: 'a', fileName: 'a.sh', installer: true },
        { packageId: 'b', fileName: 'b.sh', installer: true },
      ],
      'INSTALLER_NOT_EXACTLY_ONE',
    ],
    [
      'same package twice',
      [
        { packageId: 'a', fileName: 'a.sh', installer: true },
        { packageId: 'a', fileName: 'a.sh', installer: false },
      ],
      'DUPLICATE_PACKAGE',
    ],
    [
      'same file name twice',
      [
        { packageId: 'a', fileName: 'a.sh', installer: true },
        { packageId: 'b', fileName: 'a.sh', installer: false },
      ],
      'DUPLICATE_PACKAGE',
    ],
    ['installer only', [{ packageId: 'a', fileName: 'a.sh', installer: true }], 'ok'],
  ];
  it.each(installerCounts)('packages: %s → %s', (_label, packages, expected) => {
    expect(codeOf(() => checkPackageGroup(draft({ packages }), realCatalog))).toBe(expected);
  });

  const osCases: [string[], ErrorCode | 'ok'][] = [
    [['debian-11', 'debian-12', 'debian-13'], 'ok'],
    [[], 'OS_VERSION_REQUIRED'],
    [['debian-10'], 'OS_VERSION_NOT_OFFERED'],
    [['ubuntu-24.04'], 'OS_VERSION_NOT_OFFERED'],
    [['windows-2022'], 'OS_VERSION_NOT_OFFERED'],
    [['debian-12', 'debian-12'], 'VALIDATION_FAILED'],
  ];
  it.each(osCases)('OS versions %j → %s', (osVersions, expected) => {
    expect(codeOf(() => checkPackageGroup(draft({ osVersions }), realCatalog))).toBe(expected);
  });
});
