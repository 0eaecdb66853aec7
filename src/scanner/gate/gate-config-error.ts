/**
 * The one error the gate's configuration inputs throw: the gate configuration file, allow-list
 * entries and VEX documents. A bad configuration aborts loading rather than being half-applied,
 * because a silently dropped allow-list entry or VEX statement changes which builds pass.
 */

/** A gate configuration input that is not valid; the message names the origin and the field. */
export class GateConfigError extends Error {
  /** Builds the error for `origin` (a file path or a label), at `field` when one is to blame. */
  constructor(
    readonly origin: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(field === undefined ? `${origin}: ${problem}` : `${origin}: ${field}: ${problem}`);
    this.name = 'GateConfigError';
  }
}
