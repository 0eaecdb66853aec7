import type { ChildProcess } from 'node:child_process';

/** How long output may still arrive after a child exits before we stop waiting for its pipes. */
const DRAIN_MS = 2_000;

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Waits for a child to exit and its output pipes to drain. A daemon the child
 * started may hold the pipes open forever, so draining is bounded.
 */
export function waitForChildExit(child: ChildProcess): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const drained = setTimeout(() => resolve({ code, signal }), DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drained);
        resolve({ code, signal });
      });
    });
  });
}
