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
export function obtainSharedDebian12(
  onProgress: (line: string) => void = () => {},
): Promise<DebianRoot> {
  return obtainSharedDebian('debian-12', onProgress);
}

/** The root of a catalog OS version that every test shares, built once per cache. */
export async function obtainSharedDebian(
  id: 'debian-11' | 'debian-12' | 'debian-13',
  onProgress: (line: string) => void = () => {},
): Promise<DebianRoot> {
  const os = findOsVersion(id);
  if (os === undefined) throw new Error(`${id} is missing from the catalog`);
  return new DebianRootCache(testBaseCacheDir).obtain(os, {
    mirrors: await testMirrors(),
    refresh: false,
    onProgress,
  });
}
