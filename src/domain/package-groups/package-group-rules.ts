import { findInstallerRunner } from '../../installers/installer-registry.js';
import { DomainError } from '../../errors/domain-error.js';
import type { OsVersion } from '../catalog/os-catalog.js';
import type { Platform } from '../types.js';

/** Installer extensions the seed allows per platform ("Package group requirements"). */
export const INSTALLER_EXTENSIONS: Readonly<Record<Platform, readonly string[]>> = {
  linux: ['.exe', '.rpm', '.deb', '.sh', '.run'],
  windows: ['.msi', '.ps1', '.bat', '.exe'],
};

/** Fewer than 100 characters, only alphanumerics, underscores and dashes. */
const GROUP_NAME = /^[A-Za-z0-9_-]{1,99}$/;

export interface DraftPackage {
  readonly packageId: string;
  readonly fileName: string;
  readonly installer: boolean;
}

export interface PackageGroupDraft {
  readonly name: string;
  readonly platform: Platform;
  readonly osVersions: readonly string[];
  readonly packages: readonly DraftPackage[];
}

/** What the rules need to know of the catalog. */
export interface CatalogView {
  offeredFor(platform: Platform): readonly OsVersion[];
}

/** The extension of a file name, lower case with its dot, or '' when it has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot).toLowerCase();
}

/** Throws INVALID_PACKAGE_GROUP_NAME unless `name` follows the naming rules. */
export function checkGroupName(name: string): void {
  if (GROUP_NAME.test(name)) return;
  const reason =
    name.length === 0
      ? 'it is empty'
      : name.length >= 100
        ? `it has ${name.length} characters; the limit is 99`
        : `it contains ${JSON.stringify([...name].find((c) => !/[A-Za-z0-9_-]/.test(c)))}`;
  throw new DomainError(
    'INVALID_PACKAGE_GROUP_NAME',
    `package group name is not allowed: ${reason}; use fewer than 100 letters, digits, underscores and dashes`,
  );
}

/**
 * Checks a package group against every rule of the seed that can be known
 * before building: name, installer, platform and OS versions. Name reuse is
 * checked by the store, atomically with the insert. Returns the chosen OS versions.
 */
export function checkPackageGroup(draft: PackageGroupDraft, catalog: CatalogView): OsVersion[] {
  checkGroupName(draft.name);

  const offered = catalog.offeredFor(draft.platform);
  if (offered.length === 0) {
    throw new DomainError(
      'PLATFORM_NOT_AVAILABLE',
      `no ${draft.platform} base image is registered, so ${draft.platform} package groups cannot be built yet`,
    );
  }

  if (draft.packages.length === 0) {
    throw new DomainError(
      'INSTALLER_NOT_EXACTLY_ONE',
      'a package group needs at least one package, its installer',
    );
  }
  const ids = new Set(draft.packages.map((p) => p.packageId));
  const names = new Set(draft.packages.map((p) => p.fileName));
  if (ids.size !== draft.packages.length || names.size !== draft.packages.length) {
    throw new DomainError(
      'DUPLICATE_PACKAGE',
      'each package and each file name may appear once in a group',
    );
  }

  const installers = draft.packages.filter((p) => p.installer);
  if (installers.length !== 1) {
    throw new DomainError(
      'INSTALLER_NOT_EXACTLY_ONE',
      `exactly one package must be marked as the installer; ${installers.length} are`,
    );
  }
  const installer = installers[0]!;
  const extension = extensionOf(installer.fileName);
  const allowed = INSTALLER_EXTENSIONS[draft.platform];
  if (!allowed.includes(extension)) {
    throw new DomainError(
      'INSTALLER_EXTENSION_NOT_ALLOWED',
      `${installer.fileName}: ${extension === '' ? 'no extension' : extension} is not a ${draft.platform} installer type; allowed: ${allowed.join(' ')}`,
    );
  }

  if (draft.osVersions.length === 0) {
    throw new DomainError('OS_VERSION_REQUIRED', 'choose one or more OS versions');
  }
  if (new Set(draft.osVersions).size !== draft.osVersions.length) {
    throw new DomainError('VALIDATION_FAILED', 'each OS version may be chosen once');
  }
  const chosen = draft.osVersions.map((id) => {
    const os = offered.find((candidate) => candidate.id === id);
    if (os === undefined) {
      throw new DomainError(
        'OS_VERSION_NOT_OFFERED',
        `${id} is not offered for ${draft.platform}; offered: ${offered.map((o) => o.id).join(', ')}`,
      );
    }
    return os;
  });

  const runner = findInstallerRunner(draft.platform, installer.fileName);
  for (const os of chosen) {
    const reason = runner?.incompatibility(os);
    if (reason !== undefined) {
      throw new DomainError(
        'INSTALLER_INCOMPATIBLE_WITH_OS',
        `${installer.fileName} on ${os.id}: ${reason}`,
      );
    }
  }
  return chosen;
}
