import type { Finding } from '../../domain/types.js';
import { exitStatusCheck } from './exit-status-check.js';
import { unattendedCheck } from './input-wait-check.js';
import type { InstallerCheck, InstallerRun } from './installer-check.js';
import { noDownloadCheck, reachableCheck } from './network-check.js';
import { rebootCheck } from './reboot-check.js';
import { resourceCheck } from './resource-check.js';
import { synchronousCheck } from './synchronous-check.js';

/** Every installer rule of the seed, each a check of its own. Add a rule here. */
export const INSTALLER_CHECKS: readonly InstallerCheck[] = [
  rebootCheck,
  unattendedCheck,
  resourceCheck,
  noDownloadCheck,
  synchronousCheck,
  exitStatusCheck,
  reachableCheck,
];

/** The findings of one installer run against every rule. */
export async function checkInstallerRun(run: InstallerRun): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of INSTALLER_CHECKS) findings.push(...(await check.check(run)));
  return findings;
}
