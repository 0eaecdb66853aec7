import { makeFinding } from '../../domain/findings/finding-catalogue.js';
import type { InstallerCheck } from './installer-check.js';

const VIA = {
  syscall: 'the reboot(2) system call',
  initctl: 'a runlevel change through /run/initctl',
  command: 'a command',
} as const;

/** No reboot: a reboot or power-off from inside ends the build, as it would kill the agent. */
export const rebootCheck: InstallerCheck = {
  name: 'no reboot',
  check({ outcome }) {
    const reboot = outcome.reboot;
    if (reboot === null) return [];
    const what = reboot.kind === 'unknown' ? 'reboot' : reboot.kind;
    return [
      makeFinding(
        'REBOOT_ATTEMPT',
        `The installer asked for a ${what} through ${VIA[reboot.via]}${reboot.command === null ? '' : ` (${reboot.command})`}; on an instance this kills the build agent, so the build ended there.`,
        { via: reboot.via, kind: reboot.kind, command: reboot.command },
      ),
    ];
  },
};
