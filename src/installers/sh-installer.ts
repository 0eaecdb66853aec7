import type { InstallerRunner } from './installer-runner.js';
import { execOrShellArgv, LINUX_INSTALLER_ENV } from './installer-env.js';

/** `.sh`: a shell script, run by its own `#!` interpreter or else by /bin/sh. */
export const shInstaller: InstallerRunner = {
  extension: '.sh',
  platform: 'linux',
  incompatibility: () => undefined,
  inspect: async () => undefined,
  plan: (context) => ({
    argv: execOrShellArgv(context.installerPath, { execElf: false }),
    env: LINUX_INSTALLER_ENV,
  }),
};
