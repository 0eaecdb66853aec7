import type { Finding, FindingSeverity } from '../types.js';

/** One kind of finding: which installer rule of the seed it enforces, and what to do about it. */
export interface FindingKind {
  readonly severity: FindingSeverity;
  /** The seed's rule (or Goldsmith's own check) that the finding enforces. */
  readonly rule: string;
  readonly title: string;
  readonly remedy: string;
  /** What the evidence carries, for docs/findings.md. */
  readonly evidence: string;
}

/**
 * Every finding code a build can produce. docs/findings.md is generated from
 * this list (`npm run docs:findings`) and a test checks that it is current.
 */
export const FINDING_CATALOGUE = {
  INSTALLER_EXIT_STATUS: {
    severity: 'high',
    rule: 'The installer must exit with status 0 when the installation succeeded.',
    title: 'The installer exited with a status other than 0',
    remedy:
      'Read the last lines of output, fix the cause, and make the installer exit 0 only when the installation succeeded.',
    evidence: 'exitCode, signal, outputTail',
  },
  INSTALLER_TIMEOUT: {
    severity: 'high',
    rule: 'The installation must finish within the time limit.',
    title: 'The installer ran into the time limit',
    remedy:
      'Make sure the installer needs no input, downloads nothing and does not wait for a service that never starts.',
    evidence: 'limitSeconds, outputTail',
  },
  INSTALLER_WAITING_FOR_INPUT: {
    severity: 'high',
    rule: 'The entire installation must be unattended: no interactive input.',
    title: 'The installer stopped and waited for input',
    remedy:
      'Pass every answer as a parameter or switch (for example a silent or unattended flag, DEBIAN_FRONTEND=noninteractive, pre-seeded debconf answers) so that nothing is asked.',
    evidence: 'prompt (the last lines printed), command, waitedSeconds',
  },
  NETWORK_DOWNLOAD_ATTEMPT: {
    severity: 'high',
    rule: 'The packages must install without downloading patches or configuration files from another website.',
    title: 'The installer tried to reach the network',
    remedy:
      'Ship everything the installation needs in the package group; it runs without network access.',
    evidence: 'attempts: protocol, host, port and URL (HTTP) or server name (TLS)',
  },
  INSTALLER_NOT_SYNCHRONOUS: {
    severity: 'high',
    rule: 'The installer must be synchronous: it must not exit until the packages are completely installed.',
    title: 'Work was still going on when the installer exited',
    remedy:
      'Wait for every process the installer starts (e.g. `wait` in a shell script) and let package installations finish before exiting.',
    evidence: 'leftoverProcesses (command lines), unfinishedPackages (name and dpkg state)',
  },
  REBOOT_ATTEMPT: {
    severity: 'high',
    rule: 'The installer cannot require a reboot during the installation.',
    title: 'The installer tried to reboot or power off the instance',
    remedy:
      'Remove the reboot from the installer. If a reboot is needed for the software to take effect, document it for the buyer instead.',
    evidence: 'via (system call, initctl, command), kind (restart, power-off, halt), command',
  },
  NETWORK_UNREACHABLE: {
    severity: 'high',
    rule: 'The installer must not affect the network routing so that the host becomes unreachable.',
    title: 'The instance was no longer reachable over its network after the installation',
    remedy:
      'Do not delete routes, take interfaces down or add firewall rules that drop incoming traffic.',
    evidence: 'before and after: addresses, routes, firewall rules; which check failed',
  },
  RESOURCE_MEMORY: {
    severity: 'high',
    rule: 'The installation must stay within the memory limit.',
    title: 'The installer ran out of memory',
    remedy: 'Reduce the memory the installation needs, or ask the operator about the limit.',
    evidence: 'limitBytes, outputTail',
  },
  RESOURCE_PROCESSES: {
    severity: 'high',
    rule: 'The installation must stay within the process limit.',
    title: 'The installer started more processes than allowed',
    remedy: 'Check for runaway loops that start processes.',
    evidence: 'limit, outputTail',
  },
  RESOURCE_DISK: {
    severity: 'high',
    rule: 'The installation must stay within the disk limit.',
    title: 'The installer filled the disk space it was given',
    remedy: 'Reduce what the installation writes, or clean temporary files before exiting.',
    evidence: 'limitBytes, outputTail',
  },
  INSTALLER_PLATFORM_MISMATCH: {
    severity: 'high',
    rule: 'Windows Server packages do not run on Linux, and the other way round.',
    title: 'The installer is built for another platform',
    remedy:
      'Upload the Linux (ELF, x86-64) build of the installer; Windows installers belong in a Windows package group.',
    evidence: 'file, magic (first bytes), looksLike',
  },
  INSTALLER_NOT_ELF: {
    severity: 'high',
    rule: 'On Linux an .exe installer must be an ELF executable.',
    title: 'The .exe installer is not an executable',
    remedy: 'Upload the Linux executable, or ship a .sh, .run or .deb installer.',
    evidence: 'file, magic (first bytes), looksLike',
  },
  INSTALLER_NOT_DEB: {
    severity: 'high',
    rule: 'A .deb installer must be a Debian package.',
    title: 'The .deb installer is not a Debian package',
    remedy: 'Upload the package built by dpkg-deb or your packaging tool.',
    evidence: 'file, magic (first bytes), looksLike',
  },
  INSTALLER_NOT_RPM: {
    severity: 'high',
    rule: 'An .rpm installer must be an RPM package.',
    title: 'The .rpm installer is not an RPM package',
    remedy: 'Upload the package built by rpmbuild or your packaging tool.',
    evidence: 'file, magic (first bytes), looksLike',
  },
  PACKAGE_DEPENDENCY_MISSING: {
    severity: 'high',
    rule: 'The packages must install without downloading anything.',
    title: 'A package depends on packages that are neither in the image nor in the group',
    remedy:
      'Add the missing packages (as .deb files) to the package group, or remove the dependency.',
    evidence: 'missing: package, and what it depends on',
  },
  VULNERABLE_PACKAGE: {
    severity: 'high',
    rule: 'The image must not carry known vulnerabilities that the scan gate blocks (by default critical and high ones that have a fix).',
    title: 'A package in the image has a known vulnerability with a fix',
    remedy:
      'Upgrade the package to the fixed version or later: ship the fixed package in your group when the installer layer brought it, or ask the operator to refresh the base image when it came with the base. If the vulnerable code cannot run in your product, ask the operator for a VEX statement or an allow-list entry.',
    evidence:
      'id, aliases, package, sourcePackage, installedVersion, fixedVersion, severity (and its source), layer',
  },
  OPERATOR_CLOSED: {
    severity: 'high',
    rule: 'An operator looked into a build that failed and found the cause in the package group.',
    title: 'An operator closed the investigation with a note for you',
    remedy: 'Follow the operator’s note, then submit the group under a new name.',
    evidence: 'operator note, the internal error that was investigated',
  },
} as const satisfies Record<string, FindingKind>;

export type FindingCode = keyof typeof FINDING_CATALOGUE;

/** A finding of a catalogued kind with this build's message and evidence. */
export function makeFinding(
  code: FindingCode,
  message: string,
  evidence: Record<string, unknown>,
): Finding {
  const kind: FindingKind = FINDING_CATALOGUE[code];
  return { code, severity: kind.severity, message, remedy: kind.remedy, evidence };
}
