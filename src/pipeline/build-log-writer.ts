import type { Clock } from '../domain/clock.js';
import type { LogLine, LogStream } from '../domain/types.js';
import type { EventBus } from '../events/event-bus.js';
import type { LogRepository } from '../store/store.js';

const FLUSH_INTERVAL_MS = 200;
const FLUSH_LINES = 500;
/** Longer lines are cut: one runaway line must not fill the database. */
const MAX_LINE_CHARS = 8192;

/**
 * Collects a build's output lines with their timestamps and writes them in
 * batches, so a chatty installer costs few transactions while a reader still
 * sees its output within a fraction of a second.
 */
export class BuildLogWriter {
  private pending: Omit<LogLine, 'seq'>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly buildId: string,
    private readonly logs: LogRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Records one line now; it is written shortly after. */
  write(stream: LogStream, text: string): void {
    const cut = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…[line cut]` : text;
    this.pending.push({ at: this.clock.now().toISOString(), stream, text: cut });
    if (this.pending.length >= FLUSH_LINES) this.schedule(0);
    else this.schedule(FLUSH_INTERVAL_MS);
  }

  /** Progress of our own, shown among the installer's lines. */
  system(text: string): void {
    this.write('system', text);
  }

  /** Writes everything recorded so far; throws if a write failed. */
  async flush(): Promise<void> {
    this.drain();
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule(delayMs: number): void {
    if (delayMs === 0) {
      this.drain();
      return;
    }
    this.timer ??= setTimeout(() => this.drain(), delayMs);
  }

  private drain(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.chain = this.chain.then(async () => {
      try {
        await this.logs.append(this.buildId, batch);
        this.events.publish({ type: 'build.log', buildId: this.buildId });
      } catch (error) {
        this.failure ??= error;
      }
    });
  }
}
