import { randomBytes } from 'node:crypto';

import type { NetworkSnapshot } from './network-types.js';
import type { SinkNetwork } from './sink-network.js';

/** A network ready for a build, with its state before the build touched it. */
export interface PreparedNetwork {
  readonly network: SinkNetwork;
  readonly before: NetworkSnapshot;
}

/**
 * Sink networks made ahead of time, so a build does not wait the ~0.2 s it
 * takes to set up namespaces, veth, firewall rules and the recorder. Each
 * network serves one build and is destroyed after it: an installer may have
 * changed it.
 */
export class SinkNetworkPool {
  private readonly ready: Promise<PreparedNetwork>[] = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly create: (id: string) => Promise<SinkNetwork>,
  ) {}

  /** A fresh network: a prepared one when there is one, else made now. Refills the pool. */
  async acquire(): Promise<PreparedNetwork> {
    const prepared = this.ready.shift();
    this.refill();
    if (prepared !== undefined) {
      // A network that failed to come up in the background is replaced by a new try.
      const ready = await prepared.catch(() => undefined);
      if (ready !== undefined) return ready;
    }
    return this.prepare();
  }

  /** Destroys the networks not handed out; later acquires make networks on demand. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.ready.splice(0);
    await Promise.all(
      pending.map(async (p) => (await p.catch(() => undefined))?.network.destroy()),
    );
  }

  private refill(): void {
    while (!this.closed && this.ready.length < this.size) {
      const next = this.prepare();
      // Failures surface at acquire time; keep them from being unhandled meanwhile.
      next.catch(() => undefined);
      this.ready.push(next);
    }
  }

  private async prepare(): Promise<PreparedNetwork> {
    const network = await this.create(poolId());
    try {
      return { network, before: await network.snapshot() };
    } catch (error) {
      await network.destroy();
      throw error;
    }
  }
}

function poolId(): string {
  return `pool-${randomBytes(6).toString('hex')}`;
}
