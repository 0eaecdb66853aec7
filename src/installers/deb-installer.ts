import path from 'node:path';

import { makeFinding } from '../domain/findings/finding-catalogue.js';
import { magicEvidence, readFileHead } from './file-magic.js';
import type { InstallerRunner } from './installer-runner.js';
import { LINUX_INSTALLER_ENV } from './installer-env.js';

/** deb(5): an ar archive whose first member is `debian-binary`. */
const DEB_MAGIC = Buffer.from('!<arch>\ndebian-binary');

/**
 * `.deb`: installed with apt-get from the group's local files only, so apt resolves dependencies
 * among them and against the base; kept configuration files are never asked about.
 */
export const debInstaller: InstallerRunner = {
  extension: '.deb',
  platform: 'linux',
  incompatibility: (os) =>
    os.packageFormat === 'deb'
      ? undefined
      : `.deb packages install only on Debian-based systems; ${os.name} uses ${os.packageFormat} packages`,
  async inspect(hostPath) {
    const head = await readFileHead(hostPath, DEB_MAGIC.length);
    if (head.equals(DEB_MAGIC)) return undefined;
    const evidence = { file: path.basename(hostPath), ...magicEvidence(head) };
    return makeFinding(
      'INSTALLER_NOT_DEB',
      `The installer ${evidence.file} is not a Debian package: it is ${evidence.looksLike}.`,
      evidence,
    );
  },
  plan(context) {
    const debs = [
      context.installerPath,
      ...context.packagePaths.filter(
        (file) => file !== context.installerPath && file.toLowerCase().endsWith('.deb'),
      ),
    ];
    return {
      argv: [
        '/usr/bin/apt-get',
        'install',
        '-y',
        '--no-install-recommends',
        '-o',
        'Dpkg::Options::=--force-confdef',
        '-o',
        'Dpkg::Options::=--force-confold',
        // apt-get takes an argument as a local file only when it looks like a path.
        ...debs.map((file) => (file.startsWith('/') ? file : `./${file}`)),
      ],
      env: LINUX_INSTALLER_ENV,
    };
  },
};
