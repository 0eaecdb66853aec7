import type { Platform } from '../domain/types.js';
import { debInstaller } from './deb-installer.js';
import { exeInstaller } from './exe-installer.js';
import type { InstallerRunner } from './installer-runner.js';
import { rpmInstaller } from './rpm-installer.js';
import { runInstaller } from './run-installer.js';
import { shInstaller } from './sh-installer.js';

/** Every installer type Goldsmith runs; a new type is one file and one line here. */
export const INSTALLER_RUNNERS: readonly InstallerRunner[] = [
  shInstaller,
  runInstaller,
  exeInstaller,
  debInstaller,
  rpmInstaller,
];

/** The runner for an installer file on a platform, by its extension (any letter case). */
export function findInstallerRunner(
  platform: Platform,
  fileName: string,
): InstallerRunner | undefined {
  const name = fileName.toLowerCase();
  return INSTALLER_RUNNERS.find(
    (runner) => runner.platform === platform && name.endsWith(runner.extension),
  );
}
