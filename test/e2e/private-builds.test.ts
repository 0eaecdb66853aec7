import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ImageRootCache } from '../../src/base-images/image-root-cache.js';
import type { Digest } from '../../src/blobs/blob-store.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { systemClock } from '../../src/domain/clock.js';
import type { GoldImageView } from '../../src/domain/gold-images/gold-image-service.js';
import type { Image } from '../../src/domain/types.js';
import { obtainSharedDebian12 } from '../base-images/shared-debian-root.js';
import {
  apiErrorOf,
  startHarness,
  submitGroup,
  waitForGroup,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { signRequest } from '../support/sigv4-signer.js';
import { publishProduct } from '../private-builds/private-build-fixtures.js';

interface BuildBody {
  id: string;
  status: string;
  destinationImage: { id: string | null; name: string };
  errorDetail: { code: string; message: string } | null;
  standardOutputUrl: string;
  standardErrorUrl: string;
}

describe('a buyer’s private image build through the real sandbox', () => {
  let harness: Harness;
  let seller: TestAccount;
  let buyer: TestAccount;
  let stranger: TestAccount;
  let goldImageId: string;

  async function waitForBuild(id: string): Promise<BuildBody> {
    const deadline = Date.now() + 900_000;
    for (;;) {
      const build = await buyer.client.request<BuildBody>('GET', `/v1/private-image-builds/${id}`);
      if (build.status !== 'InProgress') return build;
      if (Date.now() > deadline) throw new Error(`build ${id} still InProgress`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  beforeAll(async () => {
    harness = await startHarness({ workers: 2 });
    seller = await harness.createAccount('Acme Software', ['seller']);
    buyer = await harness.createAccount('Buyer One', ['buyer']);
    stranger = await harness.createAccount('Buyer Two', ['buyer']);

    // The agent installs on the seller's base; the second one fails where the gold marker is.
    const agent = await writeTempFile(
      'install.sh',
      '#!/bin/sh\nset -e\nmkdir -p /opt/acme\necho "acme agent 2.4" > /opt/acme/VERSION\necho "installing acme agent"\n',
    );
    const picky = await writeTempFile(
      'install.sh',
      '#!/bin/sh\nif [ -e /etc/acme-gold-marker ]; then echo "refusing gold images" >&2; exit 3; fi\necho ok\n',
    );
    const groups = [];
    for (const [name, file] of [
      ['acme_private_r1', agent],
      ['acme_picky_r1', picky],
    ] as const) {
      const submitted = await submitGroup(seller.client, name, ['debian-12'], [file]);
      const group = await waitForGroup(seller.client, submitted.id);
      expect(group.state).toBe('Successful');
      groups.push(group);
    }
    const { productId } = await publishProduct(harness.server.store, {
      sellerAccountId: seller.accountId,
      title: 'Acme Agent',
      options: groups.map((g, i) => ({
        id: `fo-e2e-${i}`,
        packageGroupId: g.id,
        packageGroupName: g.name,
        osVersions: ['debian-12'],
      })),
    });
    await buyer.client.request('POST', `/v1/products/${productId}/subscriptions`, {
      acceptTerms: true,
    });

    // A gold image: the shared debian-12 root plus a marker file.
    const root = await obtainSharedDebian12();
    const extra = tempDir('gold-extra');
    mkdirSync(path.join(extra, 'etc'));
    writeFileSync(path.join(extra, 'etc/acme-gold-marker'), 'gold\n');
    const tarball = path.join(tempDir('gold-tar'), 'gold.tar');
    execFileSync('tar', [
      '-C',
      root.rootDir,
      '-cf',
      tarball,
      '.',
      '-C',
      extra,
      './etc/acme-gold-marker',
    ]);
    const gold = await buyer.client.uploadFile<GoldImageView>(
      'POST',
      '/v1/gold-images?fileName=gold.tar&name=acme-gold',
      tarball,
    );
    expect(gold.osVersion).toBe('debian-12');
    goldImageId = gold.id;
  }, 1_800_000);
  afterAll(async () => harness?.stop());

  it('installs the product onto the gold image as a private image only the buyer sees', async () => {
    const started = await buyer.client.request<BuildBody>('POST', '/v1/private-image-builds', {
      fulfillmentOptionIds: ['fo-e2e-0'],
      sourceImageId: goldImageId,
      destinationImageName: 'acme on gold',
      destinationImageDescription: 'the agent on our gold image',
      tags: { team: 'infra' },
      webhookUrl: 'http://127.0.0.1:9/goldsmith-hook',
    });
    const build = await waitForBuild(started.id);
    expect(build.status).toBe('Succeeded');
    expect(build.errorDetail).toBeNull();
    // The webhook was told of the start and of the end.
    const deliveries = await harness.server.store.webhooks.listDeliveries(buyer.accountId, 10);
    expect(deliveries.filter((d) => d.eventId === build.id).map((d) => d.eventType)).toEqual([
      'private-image-build.status-changed',
      'private-image-build.status-changed',
    ]);
    const imageId = build.destinationImage.id!;
    const image = await buyer.client.request<Image>('GET', `/v1/private-images/${imageId}`);
    expect(image).toMatchObject({ kind: 'private', parentImageId: goldImageId });
    const stored = await harness.server.store.images.get(null, imageId);
    expect(stored?.accountId).toBe(buyer.accountId);
    const listed = await buyer.client.request<{ images: Image[] }>('GET', '/v1/private-images');
    expect(listed.images.map((i) => i.id)).toEqual([imageId]);

    // Its layers hold both the gold marker and the product.
    const blobs = new FsBlobStore(path.join(harness.dataDir, 'blobs'));
    const roots = new ImageRootCache({
      store: harness.server.store,
      blobs,
      clock: systemClock,
      leaseMs: 60_000,
      cacheDir: tempDir('private-roots'),
    });
    const rootDir = await roots.ensure(image, () => {});
    expect(readFileSync(path.join(rootDir, 'etc/acme-gold-marker'), 'utf8')).toBe('gold\n');
    expect(readFileSync(path.join(rootDir, 'opt/acme/VERSION'), 'utf8')).toBe('acme agent 2.4\n');
    const config = JSON.parse(await text(await blobs.get(image.configDigest as Digest))) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toMatchObject({
      AWSMarketplaceFulfillmentID: 'fo-e2e-0',
      'org.goldsmith.image-kind': 'private',
      'org.opencontainers.image.title': 'acme on gold',
      team: 'infra',
    });

    // The installer's output through the expiring link, without a token.
    const stdout = await fetch(build.standardOutputUrl);
    expect(stdout.status).toBe(200);
    expect(await stdout.text()).toContain('installing acme agent');
    const logs = await buyer.client.download(`/v1/private-image-builds/${build.id}/logs`);
    expect(await text(logs)).toContain('installing acme agent');

    // Nobody else sees the build, its logs or its image.
    for (const route of [
      `/v1/private-image-builds/${build.id}`,
      `/v1/private-image-builds/${build.id}/logs?stream=stderr`,
      `/v1/private-images/${imageId}`,
      `/v1/images/${imageId}`,
    ]) {
      expect((await apiErrorOf(stranger.client.request('GET', route))).status).toBe(404);
    }
    // Operators investigate sellers' builds, but a buyer's private image is not theirs to read.
    for (const route of [`/v1/images/${imageId}`, `/v1/images/${imageId}/oci-archive`]) {
      expect((await apiErrorOf(harness.operator.request('GET', route))).status).toBe(404);
    }
    const theirs = await stranger.client.request<{ images: Image[] }>('GET', '/v1/private-images');
    expect(theirs.images).toEqual([]);

    // DescribeBuilds over the AWS protocol shows the result in the model's shape.
    const key = await buyer.client.request<{ accessKeyId: string; secretAccessKey: string }>(
      'POST',
      '/v1/access-keys',
    );
    const body = JSON.stringify({ BuildIds: [build.id] });
    const signed = await signRequest(
      {
        host: 'goldsmith.test',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSMPImageBuilding.DescribeBuilds',
        },
        body,
      },
      { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, date: new Date() },
    );
    const described = await harness.server.app.inject({
      method: 'POST',
      url: signed.url,
      headers: signed.headerMap,
      payload: body,
    });
    expect(described.statusCode).toBe(200);
    expect(described.json()).toEqual({
      Builds: [
        expect.objectContaining({
          BuildId: build.id,
          Status: 'Succeeded',
          DestinationImage: {
            Id: imageId,
            Name: 'acme on gold',
            Description: 'the agent on our gold image',
          },
          FulfillmentOptionIds: ['fo-e2e-0'],
          StartTime: expect.any(Number),
          LastUpdateTime: expect.any(Number),
        }),
      ],
    });

    // The buyer exports the private image as a qcow2 disk and launches it as an instance.
    const disk = path.join(tempDir('private-export'), 'private.qcow2');
    await pipeline(
      await buyer.client.download(`/v1/images/${imageId}/disk?format=qcow2`),
      createWriteStream(disk),
    );
    const info = JSON.parse(
      execFileSync('qemu-img', ['info', '--output=json', disk]).toString(),
    ) as { format: string };
    expect(info.format).toBe('qcow2');
    execFileSync('qemu-img', ['check', disk]);
    for (const route of [`/v1/images/${imageId}/disk?format=raw`]) {
      expect((await apiErrorOf(stranger.client.request('GET', route))).status).toBe(404);
    }

    const instance = await buyer.client.request<{ id: string; state: string }>(
      'POST',
      '/v1/instances',
      { imageId, command: ['/bin/sh', '-c', 'cat /etc/acme-gold-marker /opt/acme/VERSION'] },
    );
    let consoleText = '';
    for (;;) {
      const current = await buyer.client.request<{ state: string; stateReason?: string }>(
        'GET',
        `/v1/instances/${instance.id}`,
      );
      const page = await buyer.client.request<{ lines: { text: string }[] }>(
        'GET',
        `/v1/instances/${instance.id}/console?after=0`,
      );
      consoleText = page.lines.map((line) => line.text).join('\n');
      if (current.state === 'stopped') break;
      if (current.state === 'failed') throw new Error(`instance failed: ${current.stateReason}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(consoleText).toContain('gold');
    expect(consoleText).toContain('acme agent 2.4');
    expect(
      (await apiErrorOf(stranger.client.request('GET', `/v1/instances/${instance.id}`))).status,
    ).toBe(404);
    await buyer.client.request('POST', `/v1/instances/${instance.id}/terminate`);
  }, 900_000);

  it('ends in Failed with InstallFailed when the installer fails on the gold image', async () => {
    const started = await buyer.client.request<BuildBody>('POST', '/v1/private-image-builds', {
      fulfillmentOptionIds: ['fo-e2e-1'],
      sourceImageId: goldImageId,
      destinationImageName: 'picky on gold',
    });
    const build = await waitForBuild(started.id);
    expect(build.status).toBe('Failed');
    expect(build.errorDetail?.code).toBe('InstallFailed');
    expect(build.destinationImage.id).toBeNull();
    const stderr = await fetch(build.standardErrorUrl);
    expect(await stderr.text()).toContain('refusing gold images');
  }, 900_000);
  it('ends in InternalError after the retries when our side fails (a source image whose layer is gone)', async () => {
    const broken = `img-${'e'.repeat(17)}`;
    await harness.server.store.images.insert({
      id: broken,
      accountId: buyer.accountId,
      kind: 'gold',
      osVersion: 'debian-12',
      manifestDigest: `sha256:${'e'.repeat(64)}`,
      configDigest: `sha256:${'f'.repeat(64)}`,
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: `sha256:${'d'.repeat(64)}`,
          diffId: `sha256:${'c'.repeat(64)}`,
          size: 10,
        },
      ],
      parentImageId: null,
      sbomDigest: null,
      scanReportDigest: null,
      createdAt: new Date().toISOString(),
    });
    const started = await buyer.client.request<BuildBody>('POST', '/v1/private-image-builds', {
      fulfillmentOptionIds: ['fo-e2e-0'],
      sourceImageId: broken,
      destinationImageName: 'broken source',
    });
    const build = await waitForBuild(started.id);
    expect(build.status).toBe('InternalError');
    const stored = await harness.server.store.privateBuilds.get(null, build.id);
    expect(stored?.attempts).toBe(3);
    expect(stored?.internalError).toBeTruthy();
  }, 120_000);
});
