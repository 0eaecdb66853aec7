// Run by pg-event-bus.test.ts as a separate process: publishes on its own bus, as a worker would.
import { PgEventBus } from '../../src/events/pg-event-bus.js';

const [url, namespace, ...buildIds] = process.argv.slice(2);
if (url === undefined || namespace === undefined) {
  throw new Error('usage: pg-event-bus-child.ts URL NAMESPACE BUILD_ID...');
}
const bus = await PgEventBus.open(url, { namespace });
for (const buildId of buildIds) bus.publish({ type: 'build.log', buildId });
// close() sends what was published before it.
await bus.close();
