import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { unpackArchive } from './archive-unpacker.js';
import type { UnpackedArchive, UnpackedMember } from './archive-unpacker.js';
import { configDiffIds, configLabels, configPlatform, isRecord } from './image-config.js';
import { sniffCompression } from './layer-streams.js';
import type { Compression } from './layer-streams.js';
import { ScanSourceError } from './scan-source-error.js';
import type { ScanSource } from './scan-source.js';
import { sourceLayer } from './source-layer.js';

/** Largest manifest.json or config we parse. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/**
 * Opens a `docker save` archive (`manifest.json` naming a config and layer tars) holding one
 * image. Each layer is named by the sha256 of its tar as stored (for Docker's uncompressed
 * layer tars, the diff id), checked with the config's diff ids as it is extracted.
 */
export async function openDockerArchive(
  spec: string,
  compression: Compression,
  workDir: string,
  close: () => Promise<void>,
): Promise<ScanSource> {
  const unpacked = await unpackArchive(spec, spec, compression, workDir, () => true);
  const manifest = await readJson(spec, unpacked, 'manifest.json');
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new ScanSourceError(spec, 'malformed', 'manifest.json lists no image');
  }
  if (manifest.length > 1) {
    const tags = manifest.map((entry: unknown) =>
      isRecord(entry) && Array.isArray(entry['RepoTags']) ? entry['RepoTags'].join(',') : '?',
    );
    throw new ScanSourceError(
      spec,
      'ambiguous-index',
      `manifest.json lists ${manifest.length} images (${tags.join('; ')}); save one image to scan it`,
    );
  }
  const entry: unknown = manifest[0];
  const configName = isRecord(entry) ? entry['Config'] : undefined;
  const layerNames = isRecord(entry) ? entry['Layers'] : undefined;
  if (
    typeof configName !== 'string' ||
    !Array.isArray(layerNames) ||
    !layerNames.every((name): name is string => typeof name === 'string')
  ) {
    throw new ScanSourceError(spec, 'malformed', 'manifest.json has no Config and Layers');
  }
  const config = await readJson(spec, unpacked, configName);
  if (!isRecord(config))
    throw new ScanSourceError(spec, 'malformed', `${configName} is not an object`);
  const diffIds = configDiffIds(config, layerNames.length);
  const layers = [];
  for (const [i, name] of layerNames.entries()) {
    const member = memberOf(spec, unpacked, name);
    layers.push(
      sourceLayer(spec, {
        digest: member.digest,
        compression: await sniffCompression(member.file),
        diffId: diffIds?.[i],
        applyWhiteouts: true,
        open: async (): Promise<Readable> => createReadStream(member.file),
      }),
    );
  }
  const platform = configPlatform(config);
  // ScanTarget has no kind of its own for `docker save` output; it is an image archive.
  return {
    target: { kind: 'oci-archive', name: spec },
    layers,
    labels: configLabels(config),
    ...(platform === undefined ? {} : { platform }),
    close,
  };
}

function memberOf(spec: string, unpacked: UnpackedArchive, name: string): UnpackedMember {
  const member = unpacked.find(name);
  if (member === undefined) {
    throw new ScanSourceError(spec, 'missing-blob', `the archive has no ${name}`);
  }
  return member;
}

async function readJson(spec: string, unpacked: UnpackedArchive, name: string): Promise<unknown> {
  const member = memberOf(spec, unpacked, name);
  if (member.size > MAX_JSON_BYTES)
    throw new ScanSourceError(spec, 'malformed', `${name} is too large`);
  try {
    return JSON.parse(await readFile(member.file, 'utf8'));
  } catch (error) {
    throw new ScanSourceError(spec, 'malformed', `${name} is not JSON`, { cause: error });
  }
}
