/**
 * What the engine behind a SqlStore can do. Engine differences are expressed
 * here and nowhere else; the entry point that opens the engine fills it in.
 */
export interface SqlCapabilities {
  /**
   * `SELECT ... FOR UPDATE SKIP LOCKED`: lets concurrent job claimers pass
   * over each other's rows instead of queueing behind them (PostgreSQL). An
   * engine without it (SQLite) serializes writers anyway.
   */
  readonly supportsSkipLocked: boolean;
}
