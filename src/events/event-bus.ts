import type { BuildState } from '../domain/types.js';

export type GoldsmithEvent =
  | {
      readonly type: 'build.updated';
      readonly accountId: string;
      readonly buildId: string;
      readonly packageGroupId: string;
      readonly state: BuildState;
    }
  | {
      readonly type: 'private-build.updated';
      readonly accountId: string;
      readonly buildId: string;
      readonly status: string;
    }
  | { readonly type: 'build.log'; readonly buildId: string }
  | { readonly type: 'job.enqueued'; readonly kind: string }
  /**
   * Events from other processes may have been missed (the bus lost its link
   * and has it again): whoever caches state re-reads it from the store, and
   * idle workers look at the queue. Only ever delivered locally.
   */
  | { readonly type: 'events.resynced' };

/** Fan-out of what happens, to live views (SSE, CLI watch) and idle workers. */
export interface EventBus {
  /**
   * Delivers the event to this process's subscribers before returning, and
   * never throws: events are hints, the store is the source of truth.
   */
  publish(event: GoldsmithEvent): void;
  /** Returns the function that ends the subscription. */
  subscribe(listener: (event: GoldsmithEvent) => void): () => void;
}

/** An event bus as its owner (the composition root) holds it. */
export interface ClosableEventBus extends EventBus {
  /** Sends what was already published, then drops every subscriber and connection. */
  close(): Promise<void>;
}

/** The part of a logger the event buses use (pino's signature). */
export interface EventBusLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** Writes to stderr, for a bus opened before the application's logger exists. */
export const consoleEventBusLogger: EventBusLogger = {
  info: (object, message) => console.info(message, object),
  warn: (object, message) => console.warn(message, object),
  error: (object, message) => console.error(message, object),
};
