import path from 'node:path';

import { makeFinding } from '../domain/findings/finding-catalogue.js';
import { magicEvidence, readFileHead } from './file-magic.js';
import type { InstallerRunner } from './installer-runner.js';
import { LINUX_INSTALLER_ENV } from './installer-env.js';

const ELF_MAGIC = Buffer.from('\x7fELF', 'latin1');
const PE_MAGIC = Buffer.from('MZ');

/** `.exe` on Linux: the seed allows it only as an ELF executable, exec'd directly. */
export const exeInstaller: InstallerRunner = {
  extension: '.exe',
  platform: 'linux',
  incompatibility: () => undefined,
  async inspect(hostPath) {
    const head = await readFileHead(hostPath, 64);
    if (head.subarray(0, ELF_MAGIC.length).equals(ELF_MAGIC)) return undefined;
    const evidence = { file: path.basename(hostPath), ...magicEvidence(head) };
    if (head.subarray(0, PE_MAGIC.length).equals(PE_MAGIC)) {
      return makeFinding(
        'INSTALLER_PLATFORM_MISMATCH',
        `The installer ${evidence.file} is ${evidence.looksLike}, built for Windows; this is a Linux package group.`,
        evidence,
      );
    }
    return makeFinding(
      'INSTALLER_NOT_ELF',
      `The installer ${evidence.file} is not a Linux executable: it is ${evidence.looksLike}. ` +
        'On Linux an .exe installer must be an ELF executable.',
      evidence,
    );
  },
  plan: (context) => ({ argv: [context.installerPath], env: LINUX_INSTALLER_ENV }),
};
