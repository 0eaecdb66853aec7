import { EventEmitter } from 'node:events';

import type { EventBus, GoldsmithEvent } from './event-bus.js';

/** Events within one process: enough when API and workers share it. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open live view is one listener; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  publish(event: GoldsmithEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: GoldsmithEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
