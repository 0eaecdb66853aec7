import { Readable } from 'node:stream';
import { isDigest } from '../blobs/blob-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { OCI_CONFIG_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE } from './oci-types.js';
import type { ImageSpec, WrittenImage } from './oci-types.js';

/** A JSON value, as canonicalJson accepts it. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** The image-spec annotation carrying the image's creation date. */
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/**
 * Writes the OCI config and manifest of `spec` as canonical JSON blobs (the layers must already
 * be in `blobs`) and returns their digests; the same spec always gives the same digests.
 */
export async function writeImage(spec: ImageSpec, blobs: BlobStore): Promise<WrittenImage> {
  checkSpec(spec);
  for (const layer of spec.layers) {
    const stored = isDigest(layer.digest) ? await blobs.stat(layer.digest) : undefined;
    if (stored === undefined || stored.size !== layer.size) {
      throw new Error(`layer ${layer.digest} (${layer.size} bytes) is not in the blob store`);
    }
  }
  const config: JsonValue = {
    architecture: spec.architecture,
    os: spec.os,
    created: spec.created,
    config: { Labels: { ...spec.labels } },
    rootfs: { type: 'layers', diff_ids: spec.layers.map((layer) => layer.diffId) },
    // umoci 0.4.7 crashes on history entries without `created`, so every entry has one.
    history: spec.history.map((entry) => ({
      created: entry.created,
      created_by: entry.createdBy,
      comment: entry.comment,
      empty_layer: entry.emptyLayer === true ? true : undefined,
    })),
  };
  const configBlob = await putJson(blobs, config);
  const manifest: JsonValue = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: OCI_CONFIG_MEDIA_TYPE, digest: configBlob.digest, size: configBlob.size },
    layers: spec.layers.map((layer) => ({
      mediaType: layer.mediaType,
      digest: layer.digest,
      size: layer.size,
    })),
    annotations: { [CREATED_ANNOTATION]: spec.created },
  };
  const manifestBlob = await putJson(blobs, manifest);
  return {
    manifestDigest: manifestBlob.digest,
    configDigest: configBlob.digest,
    manifestSize: manifestBlob.size,
  };
}

/** Goldsmith's image id for a manifest digest: `img-` and the digest's first 17 hex digits. */
export function imageIdFromManifestDigest(digest: string): string {
  if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return `img-${digest.slice('sha256:'.length, 'sha256:'.length + 17)}`;
}

/**
 * JSON with object keys sorted by code unit and no whitespace, so equal values serialize to
 * equal bytes (and so equal digests); keys whose value is undefined are left out.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${(value as readonly JsonValue[]).map((item) => canonicalJson(item)).join(',')}]`;
  }
  const record = value as { readonly [key: string]: JsonValue | undefined };
  const members = Object.keys(record)
    .sort()
    .flatMap((key) => {
      const member = record[key];
      return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
    });
  return `{${members.join(',')}}`;
}

function checkSpec(spec: ImageSpec): void {
  const dates = [spec.created, ...spec.history.map((entry) => entry.created)];
  for (const date of dates) {
    if (Number.isNaN(Date.parse(date))) throw new Error(`not an RFC 3339 date: ${date}`);
  }
  // Docker and umoci pair each non-empty history entry with one layer, in order.
  const layered = spec.history.filter((entry) => entry.emptyLayer !== true).length;
  if (layered !== spec.layers.length) {
    throw new Error(
      `image has ${spec.layers.length} layers but ${layered} history entries that add a layer`,
    );
  }
}

async function putJson(
  blobs: BlobStore,
  value: JsonValue,
): Promise<{ digest: `sha256:${string}`; size: number }> {
  return blobs.put(Readable.from([Buffer.from(canonicalJson(value), 'utf8')]));
}
