import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack } from 'tar-stream';
import { isDigest } from '../blobs/blob-store.js';
import type { BlobStore, Digest } from '../blobs/blob-store.js';
import { CREATED_ANNOTATION, canonicalJson } from './oci-image-writer.js';
import type { JsonValue } from './oci-image-writer.js';
import { OCI_MANIFEST_MEDIA_TYPE } from './oci-types.js';

const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
const OCI_LAYOUT_FILE = canonicalJson({ imageLayoutVersion: '1.0.0' });
/** Largest manifest we parse; real ones are a few KiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * `ref` grammar of the image-spec annotation `org.opencontainers.image.ref.name`:
 * components of alphanumerics joined by `-._:@+` or `--`, separated by `/`.
 */
const REF_NAME =
  /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
}

interface ImageBlobs {
  readonly manifest: Descriptor;
  readonly created: string | undefined;
  /** Config, layers and manifest, each once. */
  readonly all: readonly Descriptor[];
}

/**
 * Writes an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/*`) for one manifest
 * into `targetDir`, tagged `refName`; an existing layout there keeps its other images.
 * Blobs are hardlinked from the store when it keeps them on the same filesystem, else copied.
 */
export async function exportOciLayout(
  blobs: BlobStore,
  manifestDigest: string,
  targetDir: string,
  refName: string,
): Promise<void> {
  checkRefName(refName);
  const image = await readImageBlobs(blobs, manifestDigest);
  const blobDir = path.join(targetDir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  for (const descriptor of image.all) await exportBlob(blobs, descriptor, blobDir);
  await writeFile(path.join(targetDir, 'oci-layout'), OCI_LAYOUT_FILE);
  const others = (await readIndexManifests(targetDir)).filter((entry) => refOf(entry) !== refName);
  const index = indexJson([...others, manifestEntry(image.manifest, refName)]);
  // Replace index.json atomically: a reader sees the old or the new list, never half of one.
  const temp = path.join(targetDir, `.index.json.${randomBytes(6).toString('hex')}`);
  await writeFile(temp, index);
  await rename(temp, path.join(targetDir, 'index.json'));
}

/**
 * The same layout as exportOciLayout, for one image, as a tar stream (what `skopeo copy
 * oci-archive:` and `podman load` read). Fails before streaming if a blob is missing.
 */
export async function streamOciArchive(
  blobs: BlobStore,
  manifestDigest: string,
  refName: string,
): Promise<Readable> {
  checkRefName(refName);
  const image = await readImageBlobs(blobs, manifestDigest);
  for (const descriptor of image.all) {
    if ((await blobs.stat(descriptor.digest))?.size !== descriptor.size) {
      throw new Error(`blob ${descriptor.digest} (${descriptor.size} bytes) is missing`);
    }
  }
  const mtime = new Date(image.created === undefined ? 0 : Date.parse(image.created) || 0);
  const archive = tarPack();
  const fill = async (): Promise<void> => {
    const base = { uid: 0, gid: 0, mtime };
    archive.entry({ ...base, name: 'oci-layout', mode: 0o644 }, OCI_LAYOUT_FILE);
    archive.entry(
      { ...base, name: 'index.json', mode: 0o644 },
      indexJson([manifestEntry(image.manifest, refName)]),
    );
    archive.entry({ ...base, name: 'blobs/', type: 'directory', mode: 0o755 });
    archive.entry({ ...base, name: 'blobs/sha256/', type: 'directory', mode: 0o755 });
    for (const descriptor of image.all) {
      const name = `blobs/sha256/${hexOf(descriptor.digest)}`;
      const entry = archive.entry({ ...base, name, mode: 0o644, size: descriptor.size });
      await pipeline(await blobs.get(descriptor.digest), entry);
    }
    archive.finalize();
  };
  fill().catch((error: unknown) => {
    archive.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  // tar-stream packs into a streamx stream; callers get a Node one (errors carry over).
  return Readable.from(archive, { objectMode: false });
}

function checkRefName(refName: string): void {
  if (!REF_NAME.test(refName)) throw new Error(`not a valid OCI ref name: ${refName}`);
}

function manifestEntry(manifest: Descriptor, refName: string): JsonValue {
  return {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.size,
    annotations: { [REF_NAME_ANNOTATION]: refName },
  };
}

function indexJson(manifests: readonly JsonValue[]): string {
  return canonicalJson({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests });
}

function refOf(entry: JsonValue): string | undefined {
  if (!isRecord(entry) || !isRecord(entry['annotations'])) return undefined;
  const ref = entry['annotations'][REF_NAME_ANNOTATION];
  return typeof ref === 'string' ? ref : undefined;
}

async function readIndexManifests(targetDir: string): Promise<JsonValue[]> {
  let text: string;
  try {
    text = await readFile(path.join(targetDir, 'index.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const index: unknown = JSON.parse(text);
  if (!isRecord(index) || !Array.isArray(index['manifests'])) {
    throw new Error(`${targetDir}/index.json is not an OCI image index`);
  }
  return index['manifests'] as JsonValue[];
}

async function exportBlob(
  blobs: BlobStore,
  descriptor: Descriptor,
  blobDir: string,
): Promise<void> {
  const target = path.join(blobDir, hexOf(descriptor.digest));
  // Content-addressed: a file of the right size under this name already holds these bytes.
  if ((await stat(target).catch(() => undefined))?.size === descriptor.size) return;
  const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
  try {
    const source = await blobs.localPath(descriptor.digest);
    if (source !== undefined) {
      try {
        await link(source, temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // EXDEV: another filesystem; EPERM: fs.protected_hardlinks or a filesystem without links.
        if (code !== 'EXDEV' && code !== 'EPERM') throw error;
        await copyFile(source, temp);
      }
    } else {
      await pipeline(await blobs.get(descriptor.digest), createWriteStream(temp, { flags: 'wx' }));
    }
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Reads and checks the manifest, listing the blobs an image consists of. */
async function readImageBlobs(blobs: BlobStore, manifestDigest: string): Promise<ImageBlobs> {
  if (!isDigest(manifestDigest)) throw new Error(`not a sha256 digest: ${manifestDigest}`);
  const info = await blobs.stat(manifestDigest);
  if (info === undefined) throw new Error(`manifest ${manifestDigest} is not in the blob store`);
  if (info.size > MAX_MANIFEST_BYTES) throw new Error(`manifest ${manifestDigest} is too large`);
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(manifestDigest)) chunks.push(chunk as Buffer);
  const manifest: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (!isRecord(manifest) || manifest['schemaVersion'] !== 2) {
    throw new Error(`blob ${manifestDigest} is not an image manifest`);
  }
  const config = parseDescriptor(manifest['config'], manifestDigest);
  const layersValue = manifest['layers'];
  if (!Array.isArray(layersValue)) throw new Error(`manifest ${manifestDigest} has no layers list`);
  const layers = layersValue.map((layer: unknown) => parseDescriptor(layer, manifestDigest));
  const mediaType = manifest['mediaType'];
  const manifestDescriptor: Descriptor = {
    mediaType: typeof mediaType === 'string' ? mediaType : OCI_MANIFEST_MEDIA_TYPE,
    digest: manifestDigest,
    size: info.size,
  };
  const annotations = manifest['annotations'];
  const created = isRecord(annotations) ? annotations[CREATED_ANNOTATION] : undefined;
  const unique = new Map<string, Descriptor>();
  for (const descriptor of [config, ...layers, manifestDescriptor]) {
    unique.set(descriptor.digest, descriptor);
  }
  return {
    manifest: manifestDescriptor,
    created: typeof created === 'string' ? created : undefined,
    all: [...unique.values()],
  };
}

function parseDescriptor(value: unknown, manifestDigest: string): Descriptor {
  if (
    isRecord(value) &&
    typeof value['mediaType'] === 'string' &&
    typeof value['digest'] === 'string' &&
    isDigest(value['digest']) &&
    typeof value['size'] === 'number' &&
    Number.isSafeInteger(value['size']) &&
    value['size'] >= 0
  ) {
    return { mediaType: value['mediaType'], digest: value['digest'], size: value['size'] };
  }
  throw new Error(`manifest ${manifestDigest} has a malformed descriptor`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hexOf(digest: Digest): string {
  return digest.slice('sha256:'.length);
}
