import path from 'node:path';

import { makeFinding } from '../domain/findings/finding-catalogue.js';
import { magicEvidence, readFileHead } from './file-magic.js';
import type { InstallerRunner } from './installer-runner.js';
import { LINUX_INSTALLER_ENV } from './installer-env.js';

/** The RPM lead's magic (rpm file format, "Lead"). */
const RPM_MAGIC = Buffer.from([0xed, 0xab, 0xee, 0xdb]);

/**
 * dnf from the group's local files with every repository off (the sandbox is offline); rpm -Uvh
 * where there is no dnf.
 */
const RPM_INSTALL_SCRIPT =
  'if command -v dnf >/dev/null 2>&1; then exec dnf install -y --disablerepo="*" "$@"; fi; ' +
  'exec rpm -Uvh "$@"';

/** `.rpm`: installable only on RPM-based OS versions (none in the catalog yet). */
export const rpmInstaller: InstallerRunner = {
  extension: '.rpm',
  platform: 'linux',
  incompatibility: (os) =>
    os.packageFormat === 'rpm'
      ? undefined
      : `.rpm packages install only on RPM-based systems (such as RHEL); ${os.name} uses ${os.packageFormat} packages`,
  async inspect(hostPath) {
    const head = await readFileHead(hostPath, 16);
    if (head.subarray(0, RPM_MAGIC.length).equals(RPM_MAGIC)) return undefined;
    const evidence = { file: path.basename(hostPath), ...magicEvidence(head) };
    return makeFinding(
      'INSTALLER_NOT_RPM',
      `The installer ${evidence.file} is not an RPM package: it is ${evidence.looksLike}.`,
      evidence,
    );
  },
  plan(context) {
    const rpms = [
      context.installerPath,
      ...context.packagePaths.filter(
        (file) => file !== context.installerPath && file.toLowerCase().endsWith('.rpm'),
      ),
    ];
    return {
      argv: ['/bin/sh', '-c', RPM_INSTALL_SCRIPT, 'goldsmith-installer', ...rpms],
      env: LINUX_INSTALLER_ENV,
    };
  },
};
