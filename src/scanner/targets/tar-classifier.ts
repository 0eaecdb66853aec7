import { sniffCompression } from './layer-streams.js';
import type { Compression } from './layer-streams.js';
import { ScanSourceError } from './scan-source-error.js';
import { forEachTarEntry } from './tar-entries.js';

/** What a tar file holds. */
export interface TarKind {
  readonly kind: 'rootfs' | 'oci-archive' | 'docker-archive';
  readonly compression: Compression;
}

/**
 * Names an image archive may hold: an OCI layout (image-spec image-layout.md) or `docker save`
 * output (`manifest.json`, `repositories`, `<id>/layer.tar`, `<id>.json`). The first other
 * name shows a root filesystem, so a root filesystem tar is seldom read past its first entries.
 */
const ARCHIVE_NAME =
  /^(oci-layout|index\.json|manifest\.json|repositories|blobs(\/.*)?|[0-9a-f]{64}(\.json|\/.*)?)$/;

/** Sniffs the compression of `file` and tells an image archive from a root filesystem tar. */
export async function classifyTar(file: string): Promise<TarKind> {
  const compression = await sniffCompression(file);
  const seen = new Set<string>();
  let rootfs = false;
  let count: number;
  try {
    count = await forEachTarEntry(file, compression, async ({ name }) => {
      if (name === '') return 'continue';
      if (!ARCHIVE_NAME.test(name)) {
        rootfs = true;
        return 'stop';
      }
      seen.add(name);
      return 'continue';
    });
  } catch (error) {
    const what = compression === 'none' ? 'a tar' : `a ${compression}-compressed tar`;
    throw new ScanSourceError(file, 'not-a-tar', `is not ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (count === 0) throw new ScanSourceError(file, 'not-a-tar', 'is not a tar: it has no entries');
  if (!rootfs && seen.has('oci-layout') && seen.has('index.json')) {
    return { kind: 'oci-archive', compression };
  }
  if (!rootfs && seen.has('manifest.json')) return { kind: 'docker-archive', compression };
  return { kind: 'rootfs', compression };
}
