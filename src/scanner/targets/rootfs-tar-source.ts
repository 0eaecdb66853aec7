import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileDigest } from './layer-streams.js';
import type { Compression } from './layer-streams.js';
import type { ScanSource } from './scan-source.js';
import { sourceLayer } from './source-layer.js';

/**
 * Opens a root filesystem tar as one layer named by the file's sha256. Its `.wh.` names are
 * ordinary files (a root filesystem has no layers below to delete from).
 */
export async function openRootfsTar(spec: string, compression: Compression): Promise<ScanSource> {
  const digest = await fileDigest(spec);
  return {
    target: { kind: 'rootfs-tar', name: spec },
    layers: [
      sourceLayer(spec, {
        digest,
        compression,
        applyWhiteouts: false,
        open: async (): Promise<Readable> => createReadStream(spec),
      }),
    ],
    labels: {},
    close: async () => undefined,
  };
}
