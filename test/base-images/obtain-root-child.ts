// Run by debian-root-cache.test.ts as a separate process (vite-node), to contend for the cache lock.
import { DebianRootCache } from '../../src/base-images/debian-root-cache.js';
import { debian12, testMirrors } from './shared-debian-root.js';

const cacheDir = process.argv[2];
if (cacheDir === undefined) throw new Error('usage: obtain-root-child.ts CACHE_DIR');
const root = await new DebianRootCache(cacheDir).obtain(debian12(), {
  mirrors: await testMirrors(),
  refresh: false,
  onProgress: () => {},
});
process.stdout.write(`${JSON.stringify(root)}\n`);
