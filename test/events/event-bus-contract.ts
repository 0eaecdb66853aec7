import { afterEach, describe, expect, it } from 'vitest';

import type {
  ClosableEventBus,
  EventBusLogger,
  GoldsmithEvent,
} from '../../src/events/event-bus.js';
import { recordingLogger } from './recording-logger.js';

/** Opens a fresh bus that logs to `logger`. */
export type EventBusFactory = (logger: EventBusLogger) => Promise<ClosableEventBus>;

const LOG_1: GoldsmithEvent = { type: 'build.log', buildId: 'build-1' };
const LOG_2: GoldsmithEvent = { type: 'build.log', buildId: 'build-2' };
const JOB: GoldsmithEvent = { type: 'job.enqueued', kind: 'os-build' };

/**
 * What every EventBus promises the code in its own process: synchronous
 * delivery in publish order, exact unsubscription, and listeners shielded
 * from each other.
 */
export function eventBusContract(name: string, openBus: EventBusFactory): void {
  describe(`${name} (EventBus contract)`, () => {
    const opened: ClosableEventBus[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });
    async function open() {
      const logger = recordingLogger();
      const bus = await openBus(logger);
      opened.push(bus);
      return { bus, logger };
    }

    it('delivers each event to every subscriber before publish returns', async () => {
      const { bus } = await open();
      const first: GoldsmithEvent[] = [];
      const second: GoldsmithEvent[] = [];
      bus.subscribe((event) => first.push(event));
      bus.subscribe((event) => second.push(event));
      bus.publish(LOG_1);
      expect(first).toEqual([LOG_1]);
      expect(second).toEqual([LOG_1]);
    });

    it('keeps publish order', async () => {
      const { bus } = await open();
      const seen: GoldsmithEvent[] = [];
      bus.subscribe((event) => seen.push(event));
      for (const event of [LOG_1, JOB, LOG_2]) bus.publish(event);
      expect(seen).toEqual([LOG_1, JOB, LOG_2]);
    });

    it('publishes without subscribers', async () => {
      const { bus } = await open();
      expect(() => bus.publish(JOB)).not.toThrow();
    });

    it('stops delivering to a listener once it unsubscribes, and only that registration', async () => {
      const { bus } = await open();
      const seen: string[] = [];
      const listener = (event: GoldsmithEvent) => seen.push(event.type);
      const unsubscribeFirst = bus.subscribe(listener);
      bus.subscribe(listener);
      bus.publish(LOG_1);
      expect(seen).toEqual(['build.log', 'build.log']);
      unsubscribeFirst();
      unsubscribeFirst();
      bus.publish(JOB);
      expect(seen).toEqual(['build.log', 'build.log', 'job.enqueued']);
    });

    it('delivers to the other listeners and logs when one throws', async () => {
      const { bus, logger } = await open();
      const seen: string[] = [];
      bus.subscribe(() => seen.push('before'));
      bus.subscribe(() => {
        throw new Error('listener broke');
      });
      bus.subscribe(() => seen.push('after'));
      expect(() => bus.publish(LOG_1)).not.toThrow();
      expect(seen).toEqual(['before', 'after']);
      expect(logger.entries).toEqual([
        expect.objectContaining({ level: 'error', message: 'event listener failed' }),
      ]);
      bus.publish(LOG_2);
      expect(seen).toEqual(['before', 'after', 'before', 'after']);
    });

    it('skips a listener removed during a delivery and holds a new one until the next event', async () => {
      const { bus } = await open();
      const seen: string[] = [];
      let unsubscribeLate = (): void => undefined;
      bus.subscribe((event) => {
        seen.push(`first ${event.type}`);
        if (event.type !== 'build.log') return;
        unsubscribeLate();
        bus.subscribe((next) => seen.push(`added ${next.type}`));
      });
      unsubscribeLate = bus.subscribe((event) => seen.push(`late ${event.type}`));
      bus.publish(LOG_1);
      bus.publish(JOB);
      expect(seen).toEqual(['first build.log', 'first job.enqueued', 'added job.enqueued']);
    });

    it('delivers nothing after close, without throwing', async () => {
      const { bus } = await open();
      const seen: GoldsmithEvent[] = [];
      bus.subscribe((event) => seen.push(event));
      await bus.close();
      expect(() => bus.publish(LOG_1)).not.toThrow();
      expect(seen).toEqual([]);
      await bus.close();
    });
  });
}
