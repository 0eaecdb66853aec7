import type { Clock } from '../domain/clock.js';
import { isoAfter } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import type { Store } from '../store/store.js';

/** What a store lease needs: the store, the clock and how long one holding lasts. */
export interface StoreLeaseDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly leaseMs: number;
}

/**
 * Runs `work` holding the store lease `name`, renewing it; waits while another
 * process or build holds it, so work on one host root is done once.
 */
export async function withStoreLease<T>(
  deps: StoreLeaseDeps,
  name: string,
  progress: (line: string) => void,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const owner = newId('lease');
  const { store, clock, leaseMs } = deps;
  let announced = false;
  for (;;) {
    signal?.throwIfAborted();
    const now = clock.now();
    if (await store.leases.acquire(name, owner, now.toISOString(), isoAfter(now, leaseMs))) break;
    if (!announced) progress(`waiting for ${name} being prepared by another build`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const renew = setInterval(
    () => {
      const now = clock.now();
      void store.leases
        .acquire(name, owner, now.toISOString(), isoAfter(now, leaseMs))
        .catch(() => undefined);
    },
    Math.max(1000, leaseMs / 3),
  );
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await store.leases.release(name, owner);
  }
}
