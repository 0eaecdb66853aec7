import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from './layer-streams.js';
import { ScanSourceError } from './scan-source-error.js';
import { forEachTarEntry } from './tar-entries.js';

/** One regular file of an image archive, unpacked. */
export interface UnpackedMember {
  readonly file: string;
  /** `sha256:...` of its bytes, computed as it was written. */
  readonly digest: string;
  readonly size: number;
}

/** The members of an image archive that were asked for. */
export interface UnpackedArchive {
  /** The member named `name` (following the archive's own links), or undefined when absent. */
  find(name: string): UnpackedMember | undefined;
}

/** How many links a lookup follows before it gives up (a loop). */
const MAX_LINK_HOPS = 16;

/**
 * Unpacks the regular files of the archive `file` whose names `wanted` accepts into `workDir`,
 * each under a made-up name, so no member name ever becomes a path; symlinks and hardlinks
 * (`docker save` links repeated layers) are remembered as links between member names.
 */
export async function unpackArchive(
  spec: string,
  file: string,
  compression: Compression,
  workDir: string,
  wanted: (name: string) => boolean,
): Promise<UnpackedArchive> {
  const members = new Map<string, UnpackedMember>();
  const links = new Map<string, string>();
  let counter = 0;
  await forEachTarEntry(file, compression, async ({ name, header, body }) => {
    const member = checkedName(spec, name);
    if (header.type === 'symlink' || header.type === 'link') {
      const base = header.type === 'symlink' ? path.posix.dirname(member) : '.';
      const target = path.posix.normalize(path.posix.join(base, header.linkname ?? ''));
      // A link out of the archive leads nowhere: find() reports it as absent.
      if (!target.startsWith('../') && target !== '..' && !path.posix.isAbsolute(target)) {
        links.set(member, target);
      }
      return 'continue';
    }
    if ((header.type !== 'file' && header.type !== 'contiguous-file') || !wanted(member)) {
      return 'continue';
    }
    counter += 1;
    const target = path.join(workDir, `member-${counter}`);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    await pipeline(body, tap, createWriteStream(target, { flags: 'wx' }));
    members.set(member, { file: target, digest: `sha256:${hash.digest('hex')}`, size });
    links.delete(member);
    return 'continue';
  });
  return {
    find(name: string): UnpackedMember | undefined {
      let current = path.posix.normalize(name);
      for (let hop = 0; hop <= MAX_LINK_HOPS; hop += 1) {
        const found = members.get(current);
        if (found !== undefined) return found;
        const next = links.get(current);
        if (next === undefined) return undefined;
        current = next;
      }
      return undefined;
    },
  };
}

function checkedName(spec: string, name: string): string {
  const parts = name.split('/');
  if (name.startsWith('/') || parts.includes('..')) {
    throw new ScanSourceError(
      spec,
      'unsafe-entry',
      `archive member ${JSON.stringify(name)} escapes the archive`,
    );
  }
  return parts.filter((part) => part !== '' && part !== '.').join('/');
}
