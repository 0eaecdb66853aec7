import type { InstallerRunner } from './installer-runner.js';
import { execOrShellArgv, LINUX_INSTALLER_ENV } from './installer-env.js';

/**
 * `.run`: a self-extracting archive (makeself and the like), usually a shell script with a
 * payload appended or an ELF stub; one with neither a `#!` line nor an ELF header goes to /bin/sh.
 */
export const runInstaller: InstallerRunner = {
  extension: '.run',
  platform: 'linux',
  incompatibility: () => undefined,
  inspect: async () => undefined,
  plan: (context) => ({
    argv: execOrShellArgv(context.installerPath, { execElf: true }),
    env: LINUX_INSTALLER_ENV,
  }),
};
