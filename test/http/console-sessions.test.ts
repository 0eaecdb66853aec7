import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { Clock } from '../../src/domain/clock.js';
import { ConsoleSessionStore } from '../../src/http/console/console-session-store.js';
import { apiServerPairEachSuite } from '../support/cluster/api-server-pair.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
} from '../store/store-harnesses.js';

const HOUR = 60 * 60 * 1000;
const LIMITS = { idleMs: 8 * HOUR, maxAgeMs: 24 * HOUR, touchEveryMs: 60_000 };

class SteppingClock implements Clock {
  current = Date.UTC(2026, 2, 6, 10);
  now(): Date {
    return new Date(this.current);
  }
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

function describeSessionStore(engine: string, createHarness: HarnessFactory): void {
  describe(`console sessions in the database: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    it('keeps a session under the hash of its cookie value, its API token sealed', async () => {
      const sessions = new ConsoleSessionStore(fresh.store.consoleSessions, new SteppingClock());
      const { id, session } = await sessions.create('gs_token');
      expect(await fresh.store.consoleSessions.get(id)).toBeUndefined();
      const row = await fresh.store.consoleSessions.get(hashOf(id));
      expect(row).toMatchObject({ csrfToken: session.csrfToken });
      expect(JSON.stringify(row)).not.toContain('gs_token');
      expect(JSON.stringify(row)).not.toContain(id);
      expect(await sessions.find(id)).toMatchObject({
        apiToken: 'gs_token',
        csrfToken: session.csrfToken,
      });
      await sessions.delete(id);
      expect(await sessions.find(id)).toBeUndefined();
    });

    it('ends a session unused for the idle limit, and deletes its row', async () => {
      const clock = new SteppingClock();
      const sessions = new ConsoleSessionStore(fresh.store.consoleSessions, clock, LIMITS);
      const { id } = await sessions.create('gs_token');
      // Used every 7 hours, it lives on: each use counts.
      clock.current += 7 * HOUR;
      expect(await sessions.find(id)).toBeDefined();
      clock.current += 7 * HOUR;
      expect(await sessions.find(id)).toBeDefined();
      clock.current += 8 * HOUR + 1;
      expect(await sessions.find(id)).toBeUndefined();
      expect(await fresh.store.consoleSessions.get(hashOf(id))).toBeUndefined();
    });

    it('ends a session at the absolute limit however much it is used', async () => {
      const clock = new SteppingClock();
      const sessions = new ConsoleSessionStore(fresh.store.consoleSessions, clock, LIMITS);
      const { id } = await sessions.create('gs_token');
      for (let hours = 6; hours <= 24; hours += 6) {
        clock.current += 6 * HOUR;
        expect(await sessions.find(id)).toBeDefined();
      }
      clock.current += 1;
      expect(await sessions.find(id)).toBeUndefined();
    });

    it('a sign-in deletes the rows of expired sessions', async () => {
      const clock = new SteppingClock();
      const sessions = new ConsoleSessionStore(fresh.store.consoleSessions, clock, LIMITS);
      const old = await sessions.create('gs_old');
      clock.current += 9 * HOUR;
      await sessions.create('gs_new');
      expect(await fresh.store.consoleSessions.get(hashOf(old.id))).toBeUndefined();
    });
  });
}

describeSessionStore('sqlite', sqliteHarness);
describeSessionStore('postgres', postgresHarness);

describe('console sessions across API servers on one PostgreSQL database', () => {
  const servers = apiServerPairEachSuite();

  it('a session signed in on one server is accepted, and ended, on another', async () => {
    const seller = await servers.first.createAccount('Acme', ['seller']);
    const signIn = await servers.first.server.app.inject({
      method: 'POST',
      url: '/v1/session',
      payload: { token: seller.token },
    });
    expect(signIn.statusCode).toBe(201);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = signIn.json<{ csrfToken: string }>();

    const elsewhere = await servers.second.server.app.inject({
      method: 'GET',
      url: '/v1/session',
      headers: { cookie },
    });
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.json()).toMatchObject({ account: { id: seller.accountId }, csrfToken });

    const signOut = await servers.second.server.app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(signOut.statusCode).toBe(204);
    const after = await servers.first.server.app.inject({
      method: 'GET',
      url: '/v1/session',
      headers: { cookie },
    });
    expect(after.statusCode).toBe(401);
  });
});
