import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll } from 'vitest';

import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import type { Image } from '../../../src/domain/types.js';
import { startHarness, type Harness, type TestAccount } from '../../support/goldsmith-harness.js';
import { tempDir } from '../../support/paths.js';
import { writeSmallImage } from './disk-image-fixtures.js';

/**
 * Writes the small two-layer image into the harness server's blobs (its sources under
 * `work/src`) and stores it as an image of `accountId`.
 */
export async function storeSmallImage(
  harness: Harness,
  accountId: string,
  work: string,
): Promise<Image> {
  const blobs = new FsBlobStore(path.join(harness.dataDir, 'blobs'));
  const image = { ...(await writeSmallImage(blobs, path.join(work, 'src'))), accountId };
  await harness.server.store.images.insert(image);
  return image;
}

/** What smallImageEachFile hands a suite: a server, the image's owner, another buyer, the image. */
export interface SmallImageFixture {
  readonly harness: Harness;
  readonly owner: TestAccount;
  readonly other: TestAccount;
  readonly image: Image;
  /** A directory of the suite's own, removed after it. */
  readonly work: string;
}

/**
 * Registers hooks that start a server without workers with two buyers and store the small
 * image as the first one's, once per file, and stop it after.
 */
export function smallImageEachFile(label: string): SmallImageFixture {
  let fixture: SmallImageFixture | undefined;
  beforeAll(async () => {
    const harness = await startHarness({ workers: 0 });
    const owner = await harness.createAccount(`${label} Owner`, ['buyer']);
    const other = await harness.createAccount('Someone Else', ['buyer']);
    const work = tempDir(label.toLowerCase().replace(/\W+/g, '-'));
    const image = await storeSmallImage(harness, owner.accountId, work);
    fixture = { harness, owner, other, image, work };
  });
  afterAll(async () => {
    await fixture?.harness.stop();
    if (fixture !== undefined) await rm(fixture.work, { recursive: true, force: true });
  });
  const current = (): SmallImageFixture => {
    if (fixture === undefined) throw new Error('no fixture outside the suite');
    return fixture;
  };
  return {
    get harness() {
      return current().harness;
    },
    get owner() {
      return current().owner;
    },
    get other() {
      return current().other;
    },
    get image() {
      return current().image;
    },
    get work() {
      return current().work;
    },
  };
}
