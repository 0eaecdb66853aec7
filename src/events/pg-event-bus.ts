import { randomUUID } from 'node:crypto';

import pg from 'pg';

import {
  consoleEventBusLogger,
  type ClosableEventBus,
  type EventBusLogger,
  type GoldsmithEvent,
} from './event-bus.js';
import { encodeEventMessage, parseEventMessage } from './event-message.js';
import { EventSubscribers } from './event-subscribers.js';

/** Options for a PostgreSQL event bus. */
export interface PgEventBusOptions {
  /**
   * Only buses of the same namespace hear each other (one channel each);
   * lets several Goldsmiths or test runs share one database, like a store schema.
   */
  readonly namespace?: string;
  readonly logger?: EventBusLogger;
  /** First wait before reconnecting a lost listener; it doubles with each failure. */
  readonly reconnectDelayMs?: number;
  /** Longest wait between reconnection attempts. */
  readonly maxReconnectDelayMs?: number;
}

const CHANNEL_PREFIX = 'goldsmith_events';
/** Lowercase, so the quoted LISTEN identifier and pg_notify's text name the same channel. */
const NAMESPACE = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates longer identifiers (NAMEDATALEN - 1), which would merge channels. */
const MAX_CHANNEL_LENGTH = 63;
/** NOTIFY refuses a payload of 8000 bytes or more (the default build's limit). */
const MAX_PAYLOAD_BYTES = 7999;
/** How long a publish may wait for a connection before it is dropped and logged. */
const PUBLISH_CONNECT_TIMEOUT_MS = 10_000;
const LISTENER_APPLICATION_NAME = 'goldsmith event listener';

/** The LISTEN/NOTIFY channel of a namespace. */
export function eventChannel(namespace?: string): string {
  if (namespace === undefined) return CHANNEL_PREFIX;
  const channel = `${CHANNEL_PREFIX}_${namespace}`;
  if (!NAMESPACE.test(namespace) || channel.length > MAX_CHANNEL_LENGTH) {
    throw new Error(`invalid event namespace ${JSON.stringify(namespace)}`);
  }
  return channel;
}

/**
 * Events shared by every process on one PostgreSQL database, over
 * LISTEN/NOTIFY: API servers see what builds on any worker do. Local
 * subscribers hear a publish at once; other processes hear it when the
 * NOTIFY arrives. Delivery is best effort (a notification sent while a
 * listener is reconnecting is lost), so after each reconnection the bus
 * delivers `events.resynced` locally and consumers re-read the store.
 */
export class PgEventBus implements ClosableEventBus {
  /** Tags what this bus sends, so its listener skips the echo. */
  private readonly origin = randomUUID();
  private readonly subscribers: EventSubscribers;
  private readonly logger: EventBusLogger;
  private readonly channel: string;
  /** One connection, so NOTIFYs leave (and arrive) in the order they were published. */
  private readonly publisher: pg.Pool;
  private readonly sending = new Set<Promise<void>>();
  private droppedWhileFailing = 0;
  private listener: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  /** Connects, LISTENs on the namespace's channel, and returns the bus once it hears. */
  static async open(url: string, options: PgEventBusOptions = {}): Promise<PgEventBus> {
    const bus = new PgEventBus(url, options);
    try {
      await bus.connectListener();
    } catch (error) {
      await bus.close();
      throw new Error(`cannot listen for events on channel ${bus.channel}`, { cause: error });
    }
    return bus;
  }

  private constructor(
    private readonly url: string,
    private readonly options: PgEventBusOptions,
  ) {
    this.channel = eventChannel(options.namespace);
    this.logger = options.logger ?? consoleEventBusLogger;
    this.subscribers = new EventSubscribers(this.logger);
    this.publisher = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: PUBLISH_CONNECT_TIMEOUT_MS,
      application_name: 'goldsmith event publisher',
    });
    // An idle client whose server went away emits 'error' on the pool; unheard,
    // Node would crash. The pool drops it and the next publish reconnects.
    this.publisher.on('error', () => undefined);
  }

  publish(event: GoldsmithEvent): void {
    if (this.closing !== undefined) return;
    this.subscribers.deliver(event);
    // A resync speaks of this bus's own link; other processes have their own.
    if (event.type === 'events.resynced') return;
    const payload = encodeEventMessage({ origin: this.origin, event });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      this.logger.error(
        { eventType: event.type, bytes: Buffer.byteLength(payload), channel: this.channel },
        'event too large for NOTIFY; other processes will not hear it',
      );
      return;
    }
    const sent: Promise<void> = this.publisher
      .query('select pg_notify($1, $2)', [this.channel, payload])
      .then(
        () => this.publishRecovered(),
        (error: unknown) => this.publishFailed(error, event),
      )
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }

  subscribe(listener: (event: GoldsmithEvent) => void): () => void {
    return this.subscribers.add(listener);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.subscribers.clear();
    clearTimeout(this.reconnectTimer);
    // What was published before close still goes out, e.g. from a short-lived CLI.
    await Promise.allSettled([...this.sending, this.connecting]);
    const listener = this.listener;
    this.listener = undefined;
    await Promise.allSettled([listener?.end(), this.publisher.end()]);
  }

  /** Logs the first failure of an outage only: a busy build would flood the log. */
  private publishFailed(error: unknown, event: GoldsmithEvent): void {
    this.droppedWhileFailing += 1;
    if (this.droppedWhileFailing > 1) return;
    this.logger.error(
      { err: error, eventType: event.type, channel: this.channel },
      'cannot send events to other processes; they catch up from the store',
    );
  }

  private publishRecovered(): void {
    if (this.droppedWhileFailing === 0) return;
    this.logger.info(
      { dropped: this.droppedWhileFailing, channel: this.channel },
      'sending events to other processes again',
    );
    this.droppedWhileFailing = 0;
  }

  private connectListener(): Promise<void> {
    this.connecting = this.listen().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: PUBLISH_CONNECT_TIMEOUT_MS,
    });
    client.on('error', (error) => this.listenerLost(client, error));
    client.on('end', () => this.listenerLost(client, undefined));
    client.on('notification', (notification) => this.receive(notification));
    try {
      await client.connect();
      // The channel is checked to be a plain lowercase identifier.
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closing !== undefined) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private listenerLost(client: pg.Client, error: Error | undefined): void {
    // 'error' and 'end' both report one loss; a client not yet listening is the caller's.
    if (client !== this.listener) return;
    this.listener = undefined;
    void client.end().catch(() => undefined);
    if (this.closing !== undefined) return;
    this.logger.warn(
      { err: error, channel: this.channel },
      'lost the event listener connection; reconnecting',
    );
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    const first = this.options.reconnectDelayMs ?? 250;
    const longest = this.options.maxReconnectDelayMs ?? 10_000;
    const base = Math.min(first * 2 ** attempt, longest);
    // Jitter, so the workers of a restarted database do not reconnect in lockstep.
    const delay = base / 2 + (Math.random() * base) / 2;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connectListener().then(
        () => {
          if (this.closing !== undefined) return;
          this.logger.info({ channel: this.channel, attempt }, 'event listener reconnected');
          this.subscribers.deliver({ type: 'events.resynced' });
        },
        (error: unknown) => {
          if (this.closing !== undefined) return;
          this.logger.warn(
            { err: error, channel: this.channel, attempt },
            'cannot reconnect the event listener; retrying',
          );
          this.scheduleReconnect(attempt + 1);
        },
      );
    }, delay);
  }

  private receive(notification: pg.Notification): void {
    if (this.closing !== undefined || notification.channel !== this.channel) return;
    const payload = notification.payload ?? '';
    const message = parseEventMessage(payload);
    if (message === undefined) {
      this.logger.warn(
        {
          channel: this.channel,
          payload: payload.slice(0, 200),
          senderPid: notification.processId,
        },
        'skipped a malformed event notification',
      );
      return;
    }
    // This bus delivered its own events locally when they were published.
    if (message.origin === this.origin) return;
    this.subscribers.deliver(message.event);
  }
}
