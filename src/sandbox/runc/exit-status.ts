import { constants } from 'node:os';

/** How the container's first process ended, as the Sandbox seam reports it. */
export interface ContainerExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/**
 * Decodes runc's exit status. `runc run` exits with the container process's status, and with
 * 128+n when a signal n ended it (the shell convention), so `exit 130` is taken for SIGINT: runc
 * gives no way to tell them apart.
 */
export function containerExit(runcStatus: number): ContainerExit {
  const name = runcStatus > 128 ? SIGNAL_NAMES.get(runcStatus - 128) : undefined;
  return name === undefined
    ? { exitCode: runcStatus, signal: null }
    : { exitCode: null, signal: name };
}
