import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';

/** What an instance's sandbox runs, and how a stop asks it to end. */
export interface InstanceRun {
  readonly argv: readonly string[];
  /** True for the image's init, which runs as the sandbox's first process (PID 1). */
  readonly asInit: boolean;
  /** What a stop sends first, as `runc kill` takes it; SIGKILL follows after the grace time. */
  readonly stopSignal: string;
}

/** Run when the image has no init: says so on the console and keeps the instance up. */
export const NO_INIT_COMMAND: readonly string[] = [
  '/bin/sh',
  '-c',
  'echo "no init in this image; sleeping"; exec sleep infinity',
];

/**
 * systemd's arguments, read as its kernel command line when it runs in a container: show each
 * unit's status on the console (an instance's console is its boot log), and leave out the
 * console's getty, since nobody types into this console and it is no terminal.
 */
export const SYSTEMD_CONSOLE_ARGS: readonly string[] = [
  'systemd.show_status=yes',
  'systemd.mask=console-getty.service',
];

/** SIGRTMIN+3 (glibc's SIGRTMIN is 34): systemd's signal to halt, as `docker stop` sends it. */
const SYSTEMD_HALT_SIGNAL = '37';

/**
 * What runs for `command`, or without one the image's init when it has one (`/sbin/init`, as a
 * kernel would start it), else a shell that says so and sleeps. Only the init path's own entry
 * is looked at (lstat, readlink), never followed: an absolute link would point into the host.
 */
export async function instanceRun(
  rootDir: string,
  command: readonly string[] | null,
): Promise<InstanceRun> {
  if (command !== null) return { argv: command, asInit: false, stopSignal: 'TERM' };
  for (const candidate of ['/sbin/init', '/usr/sbin/init']) {
    const entry = await lstat(path.join(rootDir, candidate)).catch(() => undefined);
    if (entry === undefined) continue;
    const target = entry.isSymbolicLink()
      ? await readlink(path.join(rootDir, candidate))
      : candidate;
    return path.posix.basename(target) === 'systemd'
      ? {
          argv: [candidate, ...SYSTEMD_CONSOLE_ARGS],
          asInit: true,
          stopSignal: SYSTEMD_HALT_SIGNAL,
        }
      : { argv: [candidate], asInit: true, stopSignal: 'TERM' };
  }
  return { argv: NO_INIT_COMMAND, asInit: false, stopSignal: 'TERM' };
}
