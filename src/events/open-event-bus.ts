import type { ClosableEventBus, EventBusLogger } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { PgEventBus } from './pg-event-bus.js';

/** Options for the event bus of a database. */
export interface OpenEventBusOptions {
  /** Isolates PostgreSQL buses sharing a database; ignored for SQLite. */
  readonly namespace?: string;
  readonly logger?: EventBusLogger;
}

/**
 * Opens the event bus that fits a database setting (as `openStore` takes it):
 * PostgreSQL URLs share events between every process on that database; a
 * SQLite file has one process, so its events stay in process.
 */
export async function openEventBus(
  databaseSetting: string,
  options: OpenEventBusOptions = {},
): Promise<ClosableEventBus> {
  const setting = databaseSetting.trim();
  // The setting's validity is openStore's concern; this only mirrors its engine choice.
  if (/^postgres(ql)?:\/\//i.test(setting)) return PgEventBus.open(setting, options);
  return new InProcessEventBus(options.logger);
}
