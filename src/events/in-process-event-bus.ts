import {
  consoleEventBusLogger,
  type ClosableEventBus,
  type EventBusLogger,
  type GoldsmithEvent,
} from './event-bus.js';
import { EventSubscribers } from './event-subscribers.js';

/** Events within one process: enough when API and workers share it. */
export class InProcessEventBus implements ClosableEventBus {
  private readonly subscribers: EventSubscribers;
  private closed = false;

  constructor(logger: EventBusLogger = consoleEventBusLogger) {
    this.subscribers = new EventSubscribers(logger);
  }

  publish(event: GoldsmithEvent): void {
    if (!this.closed) this.subscribers.deliver(event);
  }

  subscribe(listener: (event: GoldsmithEvent) => void): () => void {
    return this.subscribers.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
  }
}
