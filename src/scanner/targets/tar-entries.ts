import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { decompressed } from './layer-streams.js';
import type { Compression } from './layer-streams.js';

/** One member of a tar as tar-stream reads it; `body` must be consumed or resumed. */
export interface TarEntry {
  /** The member name without leading `./` or trailing `/`. */
  readonly name: string;
  readonly header: Header;
  /** The member's bytes; left unread, they are skipped. */
  readonly body: AsyncIterable<unknown>;
}

/**
 * Calls `visit` for each member of the (possibly compressed) tar `file`, in order, until it
 * returns `stop`; returns how many members it saw. Rejects with tar-stream's or the
 * decompressor's error when the file is not such a tar.
 */
export async function forEachTarEntry(
  file: string,
  compression: Compression,
  visit: (entry: TarEntry) => Promise<'continue' | 'stop'>,
): Promise<number> {
  const extract = tarExtract();
  const feeding = pipeline(decompressed(createReadStream(file), compression), extract);
  let count = 0;
  let stopped = false;
  const reading = (async () => {
    for await (const body of extract) {
      count += 1;
      const header = body.header;
      const name = header.name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      const verdict = await visit({ name, header, body });
      body.resume();
      if (verdict === 'stop') {
        stopped = true;
        break;
      }
    }
  })();
  const [fed, read] = await Promise.allSettled([feeding, reading]);
  if (read.status === 'rejected') throw read.reason;
  // Stopping early closes the stream under the feeder: that is no failure.
  if (fed.status === 'rejected' && !stopped) throw fed.reason;
  return count;
}
