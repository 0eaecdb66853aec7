import type { InventoryPackage, OsRelease } from '../inventory/inventory-types.js';
import { normalizePythonName } from '../inventory/purl.js';

/**
 * The OSV ecosystem whose advisories apply to a package (OSV schema, "Defined ecosystems"), or
 * undefined when none is known: distribution packages take the release from os-release
 * (`Debian:12`, `AlmaLinux:9`); language packages have one ecosystem each.
 */
export function ecosystemOf(pkg: InventoryPackage, os: OsRelease | undefined): string | undefined {
  switch (pkg.type) {
    case 'deb':
      return distributionEcosystem(os, { debian: 'Debian', ubuntu: 'Ubuntu' }, false);
    case 'rpm':
      return distributionEcosystem(os, { almalinux: 'AlmaLinux', rocky: 'Rocky Linux' }, true);
    case 'npm':
      return 'npm';
    case 'python':
      return 'PyPI';
    case 'java':
      return 'Maven';
    case 'go':
      return 'Go';
  }
}

function distributionEcosystem(
  os: OsRelease | undefined,
  names: Readonly<Record<string, string>>,
  majorOnly: boolean,
): string | undefined {
  if (os === undefined || os.versionId === undefined) return undefined;
  const name = names[os.id];
  if (name === undefined) return undefined;
  const version = majorOnly ? os.versionId.split('.')[0] : os.versionId;
  return `${name}:${version}`;
}

/**
 * A package name as advisories are indexed and compared in an ecosystem: PyPI names by their
 * PEP 503 normal form (`Django`, `django` and `DJANGO` are one project; so are `zope.interface`
 * and `zope-interface`), every other ecosystem's exactly.
 */
export function advisoryPackageName(ecosystem: string, name: string): string {
  return ecosystem === 'PyPI' ? normalizePythonName(name) : name;
}
