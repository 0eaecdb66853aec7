/**
 * Signatures already accepted, each kept until the end of its validity
 * window, so a captured request cannot be sent again. Per process: servers
 * behind one load balancer each keep their own.
 */
export class ReplayCache {
  readonly #expiries = new Map<string, number>();
  readonly #sweepAt: number;

  /** `sweepAt`: entries above which expired ones are swept on the next insert. */
  constructor(sweepAt = 10_000) {
    this.#sweepAt = sweepAt;
  }

  /**
   * Records `signature` as used until `expiresAtMs`; false when it was
   * already recorded and has not expired, that is, for a replay.
   */
  claim(signature: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.#expiries.get(signature);
    if (known !== undefined && known > nowMs) return false;
    if (this.#expiries.size >= this.#sweepAt) this.sweep(nowMs);
    this.#expiries.set(signature, expiresAtMs);
    return true;
  }

  /** Drops expired entries. */
  sweep(nowMs: number): void {
    for (const [signature, expiry] of this.#expiries) {
      if (expiry <= nowMs) this.#expiries.delete(signature);
    }
  }

  /** How many signatures are held. */
  get size(): number {
    return this.#expiries.size;
  }
}
