import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isDigest } from '../../blobs/blob-store.js';
import { OCI_MANIFEST_MEDIA_TYPE } from '../../image/oci-types.js';
import type { ScanTarget } from '../scan/scan-report.js';
import { configLabels, configDiffIds, configPlatform, isRecord } from './image-config.js';
import { ScanSourceError } from './scan-source-error.js';
import type { ScanSource } from './scan-source.js';
import { layerCompression, sourceLayer } from './source-layer.js';

/** Where the files of an OCI image layout are: a directory, or an unpacked OCI archive. */
export interface LayoutFiles {
  /** The local file holding `relPath` (`index.json`, `blobs/sha256/<hex>`), or undefined. */
  find(relPath: string): Promise<string | undefined>;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: { readonly os: string; readonly architecture: string };
  readonly refName?: string;
}

const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
const DOCKER_LIST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
/** Largest index, manifest or config we parse; real ones are a few KiB. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Indexes nested deeper than this are refused (a loop, or abuse). */
const MAX_INDEX_DEPTH = 4;

/** The files of the layout directory `dir`. */
export function layoutDirectoryFiles(dir: string): LayoutFiles {
  return {
    async find(relPath: string): Promise<string | undefined> {
      const file = path.join(dir, relPath);
      const info = await stat(file).catch(() => undefined);
      return info?.isFile() === true ? file : undefined;
    },
  };
}

/**
 * Opens the one image of an OCI layout: the single manifest its index.json names (following
 * nested indexes), or among several the one for linux/amd64. Checks every layer's media type
 * and presence now; each layer blob's digest is checked as it is extracted.
 */
export async function openOciLayout(
  spec: string,
  target: ScanTarget,
  files: LayoutFiles,
  close: () => Promise<void>,
): Promise<ScanSource> {
  const layout = new LayoutReader(spec, files);
  const index = await layout.readJson('index.json', undefined);
  const manifestDescriptor = pickManifest(spec, await layout.manifestsOf(index, 'index.json', 0));
  const manifest = await layout.readJson(
    blobPath(spec, manifestDescriptor.digest),
    manifestDescriptor,
  );
  const config = parseDescriptor(spec, manifest['config'], 'the manifest config');
  const layersValue = manifest['layers'];
  if (!Array.isArray(layersValue)) {
    throw new ScanSourceError(
      spec,
      'malformed',
      `manifest ${manifestDescriptor.digest} has no layers`,
    );
  }
  const descriptors = layersValue.map((value: unknown) => parseDescriptor(spec, value, 'a layer'));
  const configJson = await layout.readJson(blobPath(spec, config.digest), config);
  const diffIds = configDiffIds(configJson, descriptors.length);
  const layers = [];
  for (const [i, descriptor] of descriptors.entries()) {
    const compression = layerCompression(spec, descriptor.mediaType, descriptor.digest);
    const file = await layout.blobFile(descriptor);
    layers.push(
      sourceLayer(spec, {
        digest: descriptor.digest,
        compression,
        diffId: diffIds?.[i],
        applyWhiteouts: true,
        open: async (): Promise<Readable> => createReadStream(file),
      }),
    );
  }
  const platform = configPlatform(configJson);
  return {
    target: { ...target, manifestDigest: manifestDescriptor.digest },
    layers,
    labels: configLabels(configJson),
    ...(platform === undefined ? {} : { platform }),
    close,
  };
}

class LayoutReader {
  constructor(
    private readonly spec: string,
    private readonly files: LayoutFiles,
  ) {}

  /** The blob a descriptor names, present and of the size it says. */
  async blobFile(descriptor: Descriptor): Promise<string> {
    const file = await this.files.find(blobPath(this.spec, descriptor.digest));
    const size = file === undefined ? undefined : (await stat(file)).size;
    if (file === undefined || size !== descriptor.size) {
      const problem =
        file === undefined ? 'is missing' : `has ${size} bytes, not ${descriptor.size}`;
      throw new ScanSourceError(this.spec, 'missing-blob', `blob ${descriptor.digest} ${problem}`);
    }
    return file;
  }

  /** A JSON object of the layout; a blob's digest and size are checked against `descriptor`. */
  async readJson(
    relPath: string,
    descriptor: Descriptor | undefined,
  ): Promise<Record<string, unknown>> {
    const file =
      descriptor === undefined ? await this.files.find(relPath) : await this.blobFile(descriptor);
    if (file === undefined) {
      throw new ScanSourceError(this.spec, 'malformed', `the OCI layout has no ${relPath}`);
    }
    if ((await stat(file)).size > MAX_JSON_BYTES) {
      throw new ScanSourceError(this.spec, 'malformed', `${relPath} is too large`);
    }
    const bytes = await readFile(file);
    if (descriptor !== undefined) {
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (actual !== descriptor.digest) {
        throw new ScanSourceError(
          this.spec,
          'digest-mismatch',
          `blob ${descriptor.digest} has digest ${actual}`,
        );
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new ScanSourceError(this.spec, 'malformed', `${relPath} is not JSON`, { cause: error });
    }
    if (!isRecord(value)) {
      throw new ScanSourceError(this.spec, 'malformed', `${relPath} is not a JSON object`);
    }
    return value;
  }

  /** The image manifests an index names, following nested indexes; other artifacts are left out. */
  async manifestsOf(
    index: Record<string, unknown>,
    where: string,
    depth: number,
  ): Promise<Descriptor[]> {
    const list = index['manifests'];
    if (!Array.isArray(list)) {
      throw new ScanSourceError(this.spec, 'malformed', `${where} is not an image index`);
    }
    const found: Descriptor[] = [];
    for (const value of list) {
      const descriptor = parseDescriptor(this.spec, value, `an entry of ${where}`);
      if (
        descriptor.mediaType === OCI_INDEX_MEDIA_TYPE ||
        descriptor.mediaType === DOCKER_LIST_MEDIA_TYPE
      ) {
        if (depth >= MAX_INDEX_DEPTH) {
          throw new ScanSourceError(
            this.spec,
            'malformed',
            `indexes nest deeper than ${MAX_INDEX_DEPTH}`,
          );
        }
        const nested = await this.readJson(blobPath(this.spec, descriptor.digest), descriptor);
        found.push(...(await this.manifestsOf(nested, `index ${descriptor.digest}`, depth + 1)));
      } else if (
        descriptor.mediaType === OCI_MANIFEST_MEDIA_TYPE ||
        descriptor.mediaType === DOCKER_MANIFEST_MEDIA_TYPE
      ) {
        found.push(descriptor);
      }
    }
    return found;
  }
}

/** The only manifest, or the only linux/amd64 one among several. */
function pickManifest(spec: string, manifests: readonly Descriptor[]): Descriptor {
  const [only] = manifests;
  if (only === undefined) {
    throw new ScanSourceError(spec, 'malformed', 'index.json names no image manifest');
  }
  if (manifests.length === 1) return only;
  const amd64 = manifests.filter(
    (m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64',
  );
  const [preferred] = amd64;
  if (preferred !== undefined && amd64.length === 1) return preferred;
  const described = manifests.map((m) => {
    const platform =
      m.platform === undefined ? 'no platform' : `${m.platform.os}/${m.platform.architecture}`;
    return `${m.digest} (${platform}${m.refName === undefined ? '' : `, ${m.refName}`})`;
  });
  throw new ScanSourceError(
    spec,
    'ambiguous-index',
    `index.json names ${manifests.length} image manifests and ${amd64.length} for linux/amd64, ` +
      `so which to scan is ambiguous: ${described.join('; ')}`,
  );
}

function parseDescriptor(spec: string, value: unknown, what: string): Descriptor {
  if (
    isRecord(value) &&
    typeof value['mediaType'] === 'string' &&
    typeof value['digest'] === 'string' &&
    typeof value['size'] === 'number' &&
    Number.isSafeInteger(value['size']) &&
    value['size'] >= 0
  ) {
    const platform = value['platform'];
    const annotations = value['annotations'];
    const refName = isRecord(annotations) ? annotations[REF_NAME_ANNOTATION] : undefined;
    return {
      mediaType: value['mediaType'],
      digest: value['digest'],
      size: value['size'],
      ...(isRecord(platform) &&
      typeof platform['os'] === 'string' &&
      typeof platform['architecture'] === 'string'
        ? { platform: { os: platform['os'], architecture: platform['architecture'] } }
        : {}),
      ...(typeof refName === 'string' ? { refName } : {}),
    };
  }
  throw new ScanSourceError(spec, 'malformed', `${what} is not a valid OCI descriptor`);
}

/** `blobs/<algorithm>/<hex>` of a digest (image-layout.md); only sha256 is supported. */
function blobPath(spec: string, digest: string): string {
  if (!isDigest(digest)) {
    throw new ScanSourceError(spec, 'malformed', `digest ${digest} is not a sha256 digest`);
  }
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}
