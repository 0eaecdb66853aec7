import { beforeEach, describe, expect, it } from 'vitest';

import type { ImageExport } from '../../src/domain/images/image-export.js';
import type { Image } from '../../src/domain/types.js';
import {
  at,
  freshStoreEachTest,
  MINE,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
} from './store-harnesses.js';

const IMAGE: Image = {
  id: 'img-0123456789abcdef0',
  accountId: MINE,
  kind: 'private',
  osVersion: 'debian-12',
  manifestDigest: `sha256:${'1'.repeat(64)}`,
  configDigest: `sha256:${'2'.repeat(64)}`,
  layers: [],
  parentImageId: null,
  sbomDigest: null,
  scanReportDigest: null,
  createdAt: at(0),
};

function exportOf(overrides: Partial<ImageExport> = {}): ImageExport {
  return {
    imageId: IMAGE.id,
    format: 'qcow2',
    digest: `sha256:${'a'.repeat(64)}`,
    // Beyond 32 bits, as a disk export may be: PostgreSQL's bigint must come back as a number.
    size: 6 * 1024 ** 3 + 7,
    createdAt: at(10),
    ...overrides,
  };
}

/** The ImageExportRepository contract: every store implementation must pass all of it. */
function describeImageExportContract(engine: string, createHarness: HarnessFactory): void {
  describe(`image export contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness, [MINE]);
    beforeEach(async () => {
      await fresh.store.images.insert(IMAGE);
    });

    it('keeps one export per image and format', async () => {
      const { imageExports } = fresh.store;
      expect(await imageExports.get(IMAGE.id, 'qcow2')).toBeUndefined();
      await imageExports.save(exportOf());
      await imageExports.save(exportOf({ format: 'oci-archive', size: 10 }));
      expect(await imageExports.get(IMAGE.id, 'qcow2')).toEqual(exportOf());
      expect(await imageExports.get(IMAGE.id, 'oci-archive')).toEqual(
        exportOf({ format: 'oci-archive', size: 10 }),
      );
      expect(await imageExports.get(IMAGE.id, 'raw')).toBeUndefined();
    });

    it('replaces the export of the same image and format', async () => {
      const { imageExports } = fresh.store;
      await imageExports.save(exportOf());
      const remade = exportOf({ digest: `sha256:${'b'.repeat(64)}`, size: 5, createdAt: at(20) });
      await imageExports.save(remade);
      expect(await imageExports.get(IMAGE.id, 'qcow2')).toEqual(remade);
    });
  });
}

describeImageExportContract('sqlite', sqliteHarness);
describeImageExportContract('postgres', postgresHarness);
