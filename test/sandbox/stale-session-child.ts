// Run by runc-sandbox.test.ts as a separate process (vite-node) that the test kills mid-run, to
// leave a session with a running container behind for cleanupStale.
import { RuncSandbox } from '../../src/sandbox/runc/runc-sandbox.js';

const [stateDir, lowerDir, id] = process.argv.slice(2);
if (stateDir === undefined || lowerDir === undefined || id === undefined) {
  throw new Error('usage: stale-session-child.ts STATE_DIR LOWER_DIR ID');
}
const session = await new RuncSandbox({ stateDir }).prepare({
  id,
  lowerDirs: [lowerDir],
  hostname: id,
  diskLimitBytes: 256 * 1024 * 1024,
});
await session.run({
  argv: ['/bin/sh', '-c', 'echo ready; exec sleep 600'],
  env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  cwd: '/',
  mounts: [],
  inputWaitMs: 0,
  limits: { memoryBytes: 256 * 1024 * 1024, pids: 64, cpus: 1, wallClockMs: 600_000 },
  onLine: (_stream, text) => process.stdout.write(`${text}\n`),
});
