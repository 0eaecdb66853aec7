import { resolveDebianMirrors } from '../../src/base-images/apt-sources.js';
import type { DebianMirrors } from '../../src/base-images/apt-sources.js';
import { DebianRootCache } from '../../src/base-images/debian-root-cache.js';
import type { DebianRoot } from '../../src/base-images/debian-root-cache.js';
import { findOsVersion } from '../../src/domain/catalog/os-catalog.js';
import type { OsVersion } from '../../src/domain/catalog/os-catalog.js';
import { testBaseCacheDir } from '../support/paths.js';

/** The catalog's Debian 12. */
export function debian12(): OsVersion {
  const os = findOsVersion('debian-12');
  if (os === undefined) throw new Error('debian-12 is missing from the catalog');
  return os;
}

/** The mirrors tests bootstrap from: the host's, unless the environment configures them. */
export function testMirrors(): Promise<DebianMirrors> {
  return resolveDebianMirrors({
    archive: process.env['GOLDSMITH_DEBIAN_MIRROR'],
    security: process.env['GOLDSMITH_DEBIAN_SECURITY_MIRROR'],
  });
}

/** The debian-12 root every test shares: built once per cache, by whichever test asks first. */
export async function obtainSharedDebian12(
  onProgress: (line: string) => void = () => {},
): Promise<DebianRoot> {
  return new DebianRootCache(testBaseCacheDir).obtain(debian12(), {
    mirrors: await testMirrors(),
    refresh: false,
    onProgress,
  });
}
