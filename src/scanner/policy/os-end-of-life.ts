import type { OsRelease } from '../inventory/inventory-types.js';

/** When one operating system release stops receiving security updates. */
export interface OsLifecycle {
  /** os-release `ID`. */
  readonly id: string;
  /** os-release `VERSION_ID`, or its major version for distributions with point releases. */
  readonly version: string;
  readonly name: string;
  /** Last day of free security updates (`YYYY-MM-DD`): past it, the OS is end of life. */
  readonly endOfLife: string;
  /** Last day of the distribution's regular support when a longer phase follows (LTS). */
  readonly endOfRegularSupport?: string;
}

/**
 * End-of-life dates. The end of life is the end of free public security updates from the
 * distribution itself: Debian LTS counts (it publishes to the same archive), paid programs
 * (Debian ELTS, Ubuntu Pro/ESM, RHEL ELS) do not.
 *
 * Sources (checked 2026-11):
 * - Debian: https://wiki.debian.org/DebianReleases and https://wiki.debian.org/LTS
 * - Ubuntu: https://ubuntu.com/about/release-cycle (end of standard support). Canonical
 *   publishes only the month ("Apr 2027"); 18.04 and 20.04 actually ended on May 31, so
 *   later releases take May 31 too rather than block an image a month early.
 * - RHEL: https://access.redhat.com/support/policy/updates/errata (end of maintenance support)
 * - AlmaLinux: https://wiki.almalinux.org/release-notes/ ; Rocky: https://wiki.rockylinux.org/rocky/version/
 * - Amazon Linux: https://aws.amazon.com/amazon-linux-2/faqs/ and
 *   https://docs.aws.amazon.com/linux/al2023/ug/release-cadence.html
 */
export const OS_END_OF_LIFE: readonly OsLifecycle[] = [
  {
    id: 'debian',
    version: '9',
    name: 'Debian 9 (stretch)',
    endOfLife: '2022-06-30',
    endOfRegularSupport: '2020-07-06',
  },
  {
    id: 'debian',
    version: '10',
    name: 'Debian 10 (buster)',
    endOfLife: '2024-06-30',
    endOfRegularSupport: '2022-09-10',
  },
  {
    id: 'debian',
    version: '11',
    name: 'Debian 11 (bullseye)',
    endOfLife: '2026-08-31',
    endOfRegularSupport: '2024-08-14',
  },
  {
    id: 'debian',
    version: '12',
    name: 'Debian 12 (bookworm)',
    endOfLife: '2028-06-30',
    endOfRegularSupport: '2026-06-10',
  },
  {
    id: 'debian',
    version: '13',
    name: 'Debian 13 (trixie)',
    endOfLife: '2030-06-30',
    endOfRegularSupport: '2028-08-09',
  },
  { id: 'ubuntu', version: '16.04', name: 'Ubuntu 16.04 LTS', endOfLife: '2021-04-30' },
  { id: 'ubuntu', version: '18.04', name: 'Ubuntu 18.04 LTS', endOfLife: '2023-05-31' },
  { id: 'ubuntu', version: '20.04', name: 'Ubuntu 20.04 LTS', endOfLife: '2025-05-31' },
  { id: 'ubuntu', version: '22.04', name: 'Ubuntu 22.04 LTS', endOfLife: '2027-05-31' },
  { id: 'ubuntu', version: '24.04', name: 'Ubuntu 24.04 LTS', endOfLife: '2029-05-31' },
  {
    id: 'rhel',
    version: '8',
    name: 'Red Hat Enterprise Linux 8',
    endOfLife: '2029-05-31',
    endOfRegularSupport: '2024-05-31',
  },
  {
    id: 'rhel',
    version: '9',
    name: 'Red Hat Enterprise Linux 9',
    endOfLife: '2032-05-31',
    endOfRegularSupport: '2027-05-31',
  },
  {
    id: 'almalinux',
    version: '8',
    name: 'AlmaLinux 8',
    endOfLife: '2029-03-01',
    endOfRegularSupport: '2024-05-01',
  },
  {
    id: 'almalinux',
    version: '9',
    name: 'AlmaLinux 9',
    endOfLife: '2032-05-31',
    endOfRegularSupport: '2027-05-31',
  },
  {
    id: 'rocky',
    version: '8',
    name: 'Rocky Linux 8',
    endOfLife: '2029-05-31',
    endOfRegularSupport: '2024-05-31',
  },
  {
    id: 'rocky',
    version: '9',
    name: 'Rocky Linux 9',
    endOfLife: '2032-05-31',
    endOfRegularSupport: '2027-05-31',
  },
  { id: 'amzn', version: '2', name: 'Amazon Linux 2', endOfLife: '2026-06-30' },
  {
    id: 'amzn',
    version: '2023',
    name: 'Amazon Linux 2023',
    endOfLife: '2029-06-30',
    endOfRegularSupport: '2027-06-30',
  },
];

/** Distributions whose VERSION_ID carries a point release (`9.4`) that shares its major's dates. */
const MAJOR_VERSION_IDS = new Set(['rhel', 'almalinux', 'rocky']);

/** The lifecycle of the OS `release` identifies; undefined when the table does not know it. */
export function findOsLifecycle(release: OsRelease): OsLifecycle | undefined {
  if (release.versionId === undefined) return undefined;
  const version = MAJOR_VERSION_IDS.has(release.id)
    ? (release.versionId.split('.')[0] ?? '')
    : release.versionId;
  return OS_END_OF_LIFE.find((entry) => entry.id === release.id && entry.version === version);
}
