import { describe, expect, it } from 'vitest';

import { InProcessEventBus } from '../../src/events/in-process-event-bus.js';
import { openEventBus } from '../../src/events/open-event-bus.js';
import { PgEventBus } from '../../src/events/pg-event-bus.js';
import { POSTGRES_URL, randomSchema } from '../store/store-harnesses.js';

describe('openEventBus', () => {
  it.each(['sqlite:/tmp/goldsmith.db', '/var/lib/goldsmith/goldsmith.db'])(
    'keeps events in process for %s',
    async (setting) => {
      const bus = await openEventBus(setting);
      expect(bus).toBeInstanceOf(InProcessEventBus);
      await bus.close();
    },
  );

  it('shares events through PostgreSQL for a postgres:// URL', async () => {
    const bus = await openEventBus(` ${POSTGRES_URL} `, { namespace: randomSchema() });
    expect(bus).toBeInstanceOf(PgEventBus);
    await bus.close();
  });
});
