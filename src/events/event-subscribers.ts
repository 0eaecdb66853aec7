import type { EventBusLogger, GoldsmithEvent } from './event-bus.js';

interface Subscription {
  readonly listener: (event: GoldsmithEvent) => void;
  active: boolean;
}

/**
 * The local half every event bus shares, so all buses deliver alike: in
 * subscription order, synchronously, each listener shielded from the others.
 */
export class EventSubscribers {
  private subscriptions: Subscription[] = [];

  constructor(private readonly logger: EventBusLogger) {}

  /** Adds a listener; the returned function removes this registration only. */
  add(listener: (event: GoldsmithEvent) => void): () => void {
    const subscription: Subscription = { listener, active: true };
    // Copy on write: a delivery under way keeps iterating its own snapshot.
    this.subscriptions = [...this.subscriptions, subscription];
    return () => {
      if (!subscription.active) return;
      subscription.active = false;
      this.subscriptions = this.subscriptions.filter((s) => s !== subscription);
    };
  }

  /** Calls every listener; one that throws is logged and the rest still hear the event. */
  deliver(event: GoldsmithEvent): void {
    for (const subscription of this.subscriptions) {
      // Removed by an earlier listener of this same delivery.
      if (!subscription.active) continue;
      try {
        subscription.listener(event);
      } catch (error) {
        this.logger.error({ err: error, eventType: event.type }, 'event listener failed');
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    for (const subscription of this.subscriptions) subscription.active = false;
    this.subscriptions = [];
  }
}
