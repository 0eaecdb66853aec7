import type { Readable } from 'node:stream';
import { isDigest } from '../../blobs/blob-store.js';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { Store } from '../../store/store.js';
import { configLabels, isRecord } from './image-config.js';
import { ScanSourceError } from './scan-source-error.js';
import type { ScanSource } from './scan-source.js';
import { layerCompression, sourceLayer } from './source-layer.js';

/** Largest config we parse. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Opens a Goldsmith image by id: its layers and config from the blob store. */
export async function openImageSource(
  imageId: string,
  store: Store,
  blobs: BlobStore,
): Promise<ScanSource> {
  // The scanner runs for the operator, who may scan any account's image.
  const image = await store.images.get(null, imageId);
  if (image === undefined) {
    throw new ScanSourceError(imageId, 'image-not-found', 'no such image in the store');
  }
  const layers = image.layers.map((layer) => {
    const digest = layer.digest;
    if (!isDigest(digest))
      throw new ScanSourceError(imageId, 'malformed', `layer digest ${digest}`);
    return sourceLayer(imageId, {
      digest,
      compression: layerCompression(imageId, layer.mediaType, digest),
      diffId: layer.diffId,
      applyWhiteouts: true,
      open: async (): Promise<Readable> => blobs.get(digest),
    });
  });
  return {
    target: {
      kind: 'image',
      name: imageId,
      imageId: image.id,
      manifestDigest: image.manifestDigest,
    },
    layers,
    labels: configLabels(await readConfig(imageId, blobs, image.configDigest)),
    close: async () => undefined,
  };
}

async function readConfig(
  imageId: string,
  blobs: BlobStore,
  configDigest: string,
): Promise<Record<string, unknown>> {
  const info = isDigest(configDigest) ? await blobs.stat(configDigest) : undefined;
  if (info === undefined || !isDigest(configDigest)) {
    throw new ScanSourceError(
      imageId,
      'missing-blob',
      `config ${configDigest} is not in the blob store`,
    );
  }
  if (info.size > MAX_CONFIG_BYTES) {
    throw new ScanSourceError(imageId, 'malformed', `config ${configDigest} is too large`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(configDigest)) chunks.push(chunk as Buffer);
  const config: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (!isRecord(config)) {
    throw new ScanSourceError(imageId, 'malformed', `config ${configDigest} is not a JSON object`);
  }
  return config;
}
