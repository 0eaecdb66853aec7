import { spawn } from 'node:child_process';

import { waitForChildExit } from '../util/child-exit.js';

/** How many of the last output lines a failure message carries. */
const TAIL_LINES = 20;
/** mmdebstrap unmounts and cleans up on SIGTERM; after this long it gets SIGKILL. */
const TERM_GRACE_MS = 10_000;
/** How long output may still arrive after mmdebstrap exited. */

/** mmdebstrap did not produce a root; the message ends with its last output lines. */
export class MmdebstrapError extends Error {
  readonly exitCode: number | null;
  readonly outputTail: readonly string[];

  constructor(message: string, exitCode: number | null, outputTail: readonly string[]) {
    super(message);
    this.name = 'MmdebstrapError';
    this.exitCode = exitCode;
    this.outputTail = outputTail;
  }
}

/** One run of mmdebstrap. */
export interface MmdebstrapRunOptions {
  readonly args: readonly string[];
  /** Added to the host's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Every output line of stdout and stderr, in arrival order. */
  readonly onLine: (line: string) => void;
  readonly signal?: AbortSignal;
  /** An open descriptor the run inherits as fd 3, e.g. a lock that must outlive its caller. */
  readonly inheritFd?: number;
  readonly mmdebstrapPath?: string;
}

/**
 * Splits a text stream into lines. Progress output rewrites a line with `\r`; only the text after
 * the last `\r` of a line is kept, which is what a terminal would show.
 */
export function progressLineSplitter(onLine: (line: string) => void): {
  push(chunk: string): void;
  end(): void;
} {
  let pending = '';
  const emit = (raw: string): void => {
    const text = raw.replace(/\r+$/, '');
    const shown = text.slice(text.lastIndexOf('\r') + 1);
    if (shown.trim() !== '') onLine(shown);
  };
  return {
    push(chunk) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        emit(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    end() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}

/**
 * Runs mmdebstrap in a private mount namespace, so the /proc, /sys and /dev mounts it makes in the
 * target vanish with it even when it is killed. Resolves when it exits 0.
 */
export async function runMmdebstrap(options: MmdebstrapRunOptions): Promise<void> {
  options.signal?.throwIfAborted();
  const tail: string[] = [];
  const splitter = progressLineSplitter((line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine(line);
  });
  const child = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      options.mmdebstrapPath ?? 'mmdebstrap',
      ...options.args,
    ],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', options.inheritFd ?? 'ignore'],
      // Its own process group, so an abort reaches apt and dpkg below it too.
      detached: true,
    },
  );
  // Typed as nullable because of the fourth stdio entry; both are pipes.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => splitter.push(chunk));
  }

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    signalGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), TERM_GRACE_MS);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exit = await waitForChildExit(child).catch((error: unknown) => {
      throw new MmdebstrapError(
        `Could not start mmdebstrap: ${error instanceof Error ? error.message : String(error)}`,
        null,
        [],
      );
    });
    splitter.end();
    options.signal?.throwIfAborted();
    if (exit.code !== 0) {
      const status = exit.code === null ? `signal ${exit.signal}` : `status ${exit.code}`;
      throw new MmdebstrapError(
        `mmdebstrap failed with ${status}; its last output:\n${tail.join('\n')}`,
        exit.code,
        [...tail],
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (killTimer !== undefined) clearTimeout(killTimer);
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
