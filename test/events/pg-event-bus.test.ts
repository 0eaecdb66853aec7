import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

import type { EventBusLogger, GoldsmithEvent } from '../../src/events/event-bus.js';
import { eventChannel, PgEventBus, type PgEventBusOptions } from '../../src/events/pg-event-bus.js';
import { POSTGRES_URL, randomSchema } from '../store/store-harnesses.js';
import { repoRoot } from '../support/paths.js';
import { eventBusContract } from './event-bus-contract.js';
import { recordingLogger } from './recording-logger.js';

eventBusContract('PgEventBus', (logger: EventBusLogger) =>
  PgEventBus.open(POSTGRES_URL, { namespace: randomSchema(), logger }),
);

const JOB: GoldsmithEvent = { type: 'job.enqueued', kind: 'os-build' };

function buildLog(buildId: string): GoldsmithEvent {
  return { type: 'build.log', buildId };
}

/** Polls until the condition holds; the test's timeout is the only limit. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

/** Runs SQL on a connection of its own, as an operator or another tool would. */
async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('PgEventBus across connections', { timeout: 60_000 }, () => {
  const opened: PgEventBus[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  /** A bus on its own connections (as another process would have) and what it hears. */
  async function openBus(namespace: string, options: PgEventBusOptions = {}, url = POSTGRES_URL) {
    const logger = recordingLogger();
    const bus = await PgEventBus.open(url, { namespace, logger, ...options });
    opened.push(bus);
    const seen: GoldsmithEvent[] = [];
    bus.subscribe((event) => seen.push(event));
    return { bus, seen, logger };
  }

  it("hears the other bus's events in order, and its own only once", async () => {
    const namespace = randomSchema();
    const a = await openBus(namespace);
    const b = await openBus(namespace);
    a.bus.publish(buildLog('from-a-1'));
    a.bus.publish(buildLog('from-a-2'));
    await waitFor(() => b.seen.length >= 2);
    b.bus.publish(JOB);
    // NOTIFYs reach a listener in commit order, so any echo of a's events would come before this.
    await waitFor(() => a.seen.length >= 3);
    expect(a.seen).toEqual([buildLog('from-a-1'), buildLog('from-a-2'), JOB]);
    expect(b.seen).toEqual([buildLog('from-a-1'), buildLog('from-a-2'), JOB]);
    expect([...a.logger.entries, ...b.logger.entries]).toEqual([]);
  });

  it('keeps namespaces apart', async () => {
    const [first, second] = [randomSchema(), randomSchema()];
    const firstSender = await openBus(first);
    const firstListener = await openBus(first);
    const secondSender = await openBus(second);
    const secondListener = await openBus(second);
    firstSender.bus.publish(buildLog('first'));
    await waitFor(() => firstListener.seen.length >= 1);
    secondSender.bus.publish(buildLog('second'));
    await waitFor(() => secondListener.seen.length >= 1);
    expect(firstListener.seen).toEqual([buildLog('first')]);
    expect(secondListener.seen).toEqual([buildLog('second')]);
  });

  it('refuses a namespace that is not a plain lowercase identifier', async () => {
    await expect(PgEventBus.open(POSTGRES_URL, { namespace: 'Bad"name' })).rejects.toThrow(
      /invalid event namespace/,
    );
    await expect(PgEventBus.open(POSTGRES_URL, { namespace: 'n'.repeat(47) })).rejects.toThrow(
      /invalid event namespace/,
    );
  });

  it('skips and logs malformed notifications, and keeps only known fields', async () => {
    const namespace = randomSchema();
    const listener = await openBus(namespace);
    const sender = await openBus(namespace);
    const malformed = [
      'not json',
      '',
      'null',
      '[]',
      '{"event":{"type":"build.log","buildId":"b"}}',
      '{"origin":"x"}',
      '{"origin":"x","event":{"type":"build.log","buildId":7}}',
      '{"origin":"x","event":{"type":"no.such.event"}}',
      '{"origin":"x","event":{"type":"events.resynced"}}',
      '{"origin":"x","event":{"type":"build.updated","accountId":"a","buildId":"b",' +
        '"packageGroupId":"g","state":"Exploded"}}',
    ];
    await withAdmin(async (admin) => {
      for (const payload of malformed) {
        await admin.query('select pg_notify($1, $2)', [eventChannel(namespace), payload]);
      }
      const extra = { origin: 'x', event: { type: 'job.enqueued', kind: 'k', secret: 's' } };
      await admin.query('select pg_notify($1, $2)', [
        eventChannel(namespace),
        JSON.stringify(extra),
      ]);
    });
    sender.bus.publish(JOB);
    await waitFor(() => listener.seen.length >= 2);
    expect(listener.seen).toEqual([{ type: 'job.enqueued', kind: 'k' }, JOB]);
    expect(listener.logger.entries).toHaveLength(malformed.length);
    for (const entry of listener.logger.entries) {
      expect(entry).toMatchObject({
        level: 'warn',
        message: 'skipped a malformed event notification',
      });
    }
  });

  it('delivers an event too large for NOTIFY locally only, and logs it', async () => {
    const namespace = randomSchema();
    const sender = await openBus(namespace);
    const listener = await openBus(namespace);
    const huge = buildLog('x'.repeat(8000));
    sender.bus.publish(huge);
    sender.bus.publish(JOB);
    await waitFor(() => listener.seen.length >= 1);
    expect(listener.seen).toEqual([JOB]);
    expect(sender.seen).toEqual([huge, JOB]);
    expect(sender.logger.entries).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/too large/) }),
    ]);
  });

  it('reconnects listeners whose connections were killed, and tells subscribers to resync', async () => {
    const namespace = randomSchema();
    const reconnect = { reconnectDelayMs: 10, maxReconnectDelayMs: 100 };
    const listener = await openBus(namespace, reconnect);
    const sender = await openBus(namespace, reconnect);
    sender.bus.publish(JOB);
    await waitFor(() => listener.seen.length >= 1);

    const terminated = await withAdmin(async (admin) => {
      const { rows } = await admin.query<{ terminated: boolean }>(
        `select pg_terminate_backend(pid) as terminated from pg_stat_activity
          where application_name = 'goldsmith event listener' and query = $1`,
        [`LISTEN "${eventChannel(namespace)}"`],
      );
      return rows;
    });
    // Both buses listen on the channel; both lose their listener, as on a database restart.
    expect(terminated).toEqual([{ terminated: true }, { terminated: true }]);

    // Events sent before the new LISTEN are lost by design; keep sending until one arrives.
    for (let n = 0; !listener.seen.some((e) => e.type === 'build.log'); n += 1) {
      sender.bus.publish(buildLog(`after-${n}`));
      await sleep(20);
    }
    expect(listener.seen).toContainEqual({ type: 'events.resynced' });
    expect(listener.seen.filter((e) => e.type === 'events.resynced')).toHaveLength(1);
    expect(listener.logger.entries.map((e) => [e.level, e.message])).toEqual(
      expect.arrayContaining([
        ['warn', 'lost the event listener connection; reconnecting'],
        ['info', 'event listener reconnected'],
      ]),
    );
    // Each bus resyncs its own subscribers; a resync never travels to the other.
    await waitFor(() => sender.seen.some((e) => e.type === 'events.resynced'));
    expect(sender.seen.filter((e) => e.type === 'events.resynced')).toHaveLength(1);
  });

  it('logs, and never throws, when a publish cannot reach PostgreSQL, and recovers', async () => {
    const role = `goldsmith_test_${randomBytes(6).toString('hex')}`;
    await withAdmin((admin) => admin.query(`create role "${role}" login`));
    try {
      const url = new URL(POSTGRES_URL);
      url.username = role;
      const namespace = randomSchema();
      const publisher = await openBus(namespace, {}, url.toString());
      const listener = await openBus(namespace);
      // The listener is connected; the publishing connection opens on first use, now refused.
      await withAdmin((admin) => admin.query(`alter role "${role}" nologin`));
      expect(() => publisher.bus.publish(buildLog('lost-1'))).not.toThrow();
      publisher.bus.publish(buildLog('lost-2'));
      expect(publisher.seen).toEqual([buildLog('lost-1'), buildLog('lost-2')]);
      await waitFor(() => publisher.logger.entries.length >= 1);
      expect(publisher.logger.entries[0]).toMatchObject({
        level: 'error',
        message: expect.stringMatching(/cannot send events/),
      });

      await withAdmin((admin) => admin.query(`alter role "${role}" login`));
      publisher.bus.publish(buildLog('sent'));
      await waitFor(() => listener.seen.length >= 1);
      expect(listener.seen).toEqual([buildLog('sent')]);
      await waitFor(() => publisher.logger.entries.length >= 2);
      expect(publisher.logger.entries[1]).toMatchObject({
        level: 'info',
        object: expect.objectContaining({ dropped: 2 }),
      });
      await publisher.bus.close();
    } finally {
      await withAdmin((admin) => admin.query(`drop role "${role}"`));
    }
  });

  it('hears the events of a bus in another process', async () => {
    const namespace = randomSchema();
    const parent = await openBus(namespace);
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      [
        path.join(repoRoot, 'test/events/pg-event-bus-child.ts'),
        POSTGRES_URL,
        namespace,
        'c1',
        'c2',
        'c3',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    expect(code).toBe(0);
    await waitFor(() => parent.seen.length >= 3);
    expect(parent.seen).toEqual([buildLog('c1'), buildLog('c2'), buildLog('c3')]);
  });
});
