import path from 'node:path';
import { magicEvidence, readFileHead } from './file-magic.js';
import type { InstallerRunner } from './installer-runner.js';
import { LINUX_INSTALLER_ENV } from './installer-env.js';

const ELF_MAGIC = Buffer.from('\x7fELF', 'latin1');

/** `.exe` on Linux: the seed allows it only as an ELF executable, exec'd directly. */
export const exeInstaller: InstallerRunner = {
  extension: '.exe',
  platform: 'linux',
  incompatibility: () => undefined,
  async inspect(hostPath) {
    const head = await readFileHead(hostPath, 64);
    if (head.subarray(0, ELF_MAGIC.length).equals(ELF_MAGIC)) return undefined;
    const evidence = { file: path.basename(hostPath), ...magicEvidence(head) };
    return {
      code: 'INSTALLER_NOT_ELF',
      severity: 'high',
      message:
        `The installer ${evidence.file} is not a Linux executable: it is ${evidence.looksLike}. ` +
        'On Linux an .exe installer must be an ELF executable.',
      remedy:
        'Upload the Linux (ELF, x86-64) build of the installer, or ship it as a .sh, .run or .deb ' +
        'installer; Windows installers belong in a Windows package group.',
      evidence,
    };
  },
  plan: (context) => ({ argv: [context.installerPath], env: LINUX_INSTALLER_ENV }),
};
