// Run by sink-network.test.ts as a separate process (vite-node) that the test kills, to leave a
// sink network behind for cleanupStaleNetworks.
import { createSinkNetwork } from '../../../src/sandbox/network/sink-network.js';

const [stateDir, id] = process.argv.slice(2);
if (stateDir === undefined || id === undefined) {
  throw new Error('usage: stale-network-child.ts STATE_DIR ID');
}
const network = await createSinkNetwork(id, { stateDir });
process.stdout.write(`ready ${network.buildNamespace} ${network.sinkNamespace}\n`);
setInterval(() => undefined, 60_000);
