import { describe, expect, it } from 'vitest';

import type { PrivateImageBuild } from '../../src/domain/private-builds/private-build.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
  at,
  MINE,
  OTHER,
} from './store-harnesses.js';

function build(
  id: string,
  accountId: string,
  startTime: string,
  clientToken: string | null = null,
): PrivateImageBuild {
  return {
    id,
    accountId,
    fulfillmentOptionIds: ['fo-1'],
    sourceImageId: 'img-0000000000000000a',
    destinationName: 'acme image',
    destinationDescription: null,
    tags: { team: 'infra' },
    webhookUrl: null,
    clientToken,
    requestHash: 'h',
    status: 'InProgress',
    errorDetail: null,
    findings: [],
    imageId: null,
    scanReportDigest: null,
    products: [{ id: 'prod-1', version: '1.0', title: 'Acme' }],
    internalError: null,
    attempts: 0,
    startTime,
    lastUpdateTime: startTime,
  };
}

function describePrivateBuildContract(engine: string, createHarness: HarnessFactory): void {
  describe(`private build repository contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness, [MINE, OTHER]);

    it('round-trips builds, scoped to their account, newest first', async () => {
      await fresh.store.privateBuilds.insert(build('bld-a', MINE, at(1), 'token'));
      await fresh.store.privateBuilds.insert(build('bld-b', MINE, at(2)));
      await fresh.store.privateBuilds.insert(build('bld-c', OTHER, at(3), 'token'));

      expect(await fresh.store.privateBuilds.get(MINE, 'bld-a')).toEqual(
        build('bld-a', MINE, at(1), 'token'),
      );
      expect(await fresh.store.privateBuilds.get(OTHER, 'bld-a')).toBeUndefined();
      expect(await fresh.store.privateBuilds.get(null, 'bld-c')).toBeDefined();
      expect((await fresh.store.privateBuilds.listForAccount(MINE)).map((b) => b.id)).toEqual([
        'bld-b',
        'bld-a',
      ]);
      expect((await fresh.store.privateBuilds.findByClientToken(MINE, 'token'))?.id).toBe('bld-a');
      expect((await fresh.store.privateBuilds.findByClientToken(OTHER, 'token'))?.id).toBe('bld-c');
      expect(await fresh.store.privateBuilds.countByStatus(MINE, 'InProgress')).toBe(2);
    });

    it('refuses a second build with the same client token in one account', async () => {
      await fresh.store.privateBuilds.insert(build('bld-a', MINE, at(1), 'token'));
      await expect(
        fresh.store.privateBuilds.insert(build('bld-b', MINE, at(2), 'token')),
      ).rejects.toThrow();
    });

    it('applies only the fields an update gives', async () => {
      await fresh.store.privateBuilds.insert(build('bld-a', MINE, at(1)));
      const updated = await fresh.store.privateBuilds.update('bld-a', {
        status: 'Failed',
        errorDetail: { code: 'InstallFailed', message: 'exit 3' },
        lastUpdateTime: at(5),
      });
      expect(updated).toEqual({
        ...build('bld-a', MINE, at(1)),
        status: 'Failed',
        errorDetail: { code: 'InstallFailed', message: 'exit 3' },
        lastUpdateTime: at(5),
      });
      expect(await fresh.store.privateBuilds.countByStatus(MINE, 'InProgress')).toBe(0);
      await expect(
        fresh.store.privateBuilds.update('bld-x', { lastUpdateTime: at(6) }),
      ).rejects.toThrow();
    });
  });
}

describePrivateBuildContract('SQLite', sqliteHarness);
describePrivateBuildContract('PostgreSQL', postgresHarness);
