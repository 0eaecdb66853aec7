import type { Platform } from '../types.js';

/** How a base image for an OS version comes to exist. */
export type BaseSource = { readonly kind: 'mmdebstrap'; readonly suite: string };

/** One OS version the catalog can offer sellers. */
export interface OsVersion {
  readonly id: string;
  readonly name: string;
  readonly platform: Platform;
  readonly family: 'debian' | 'rhel' | 'windows';
  readonly packageFormat: 'deb' | 'rpm' | 'msi';
  readonly baseSource: BaseSource;
}

/**
 * OS versions Goldsmith can build a base image for on first use. Adding one
 * is one entry here (and, for a new base source, one builder).
 */
export const OS_VERSIONS: readonly OsVersion[] = [
  {
    id: 'debian-11',
    name: 'Debian 11 (bullseye)',
    platform: 'linux',
    family: 'debian',
    packageFormat: 'deb',
    baseSource: { kind: 'mmdebstrap', suite: 'bullseye' },
  },
  {
    id: 'debian-12',
    name: 'Debian 12 (bookworm)',
    platform: 'linux',
    family: 'debian',
    packageFormat: 'deb',
    baseSource: { kind: 'mmdebstrap', suite: 'bookworm' },
  },
  {
    id: 'debian-13',
    name: 'Debian 13 (trixie)',
    platform: 'linux',
    family: 'debian',
    packageFormat: 'deb',
    baseSource: { kind: 'mmdebstrap', suite: 'trixie' },
  },
];

/** The catalog entry of an OS version id, if the catalog offers it. */
export function findOsVersion(id: string): OsVersion | undefined {
  return OS_VERSIONS.find((os) => os.id === id);
}

/** The OS versions offered for a platform. */
export function osVersionsFor(platform: Platform): OsVersion[] {
  return OS_VERSIONS.filter((os) => os.platform === platform);
}
