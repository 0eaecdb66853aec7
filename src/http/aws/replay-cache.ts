import type { CoordinationRepository } from '../../store/store.js';

/**
 * Signatures already accepted, each kept until the end of its validity
 * window, so a captured request cannot be sent again. Kept in the database,
 * so a request accepted by one API server is refused by every other.
 */
export class ReplayCache {
  readonly #signatures: CoordinationRepository;
  readonly #sweepEvery: number;
  #claimsSinceSweep = 0;

  /** `sweepEvery`: claims by this process between deletions of expired signatures. */
  constructor(signatures: CoordinationRepository, sweepEvery = 1000) {
    this.#signatures = signatures;
    this.#sweepEvery = sweepEvery;
  }

  /**
   * Records `signature` as used until `expiresAtMs`; false when it was
   * already recorded, by any server, and has not expired: a replay.
   */
  async claim(signature: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const now = new Date(nowMs).toISOString();
    this.#claimsSinceSweep += 1;
    if (this.#claimsSinceSweep >= this.#sweepEvery) {
      this.#claimsSinceSweep = 0;
      // Each server sweeps now and then, so the table holds about one window of requests.
      await this.#signatures.deleteExpiredSignatures(now);
    }
    return this.#signatures.claimSignature(signature, new Date(expiresAtMs).toISOString(), now);
  }
}
