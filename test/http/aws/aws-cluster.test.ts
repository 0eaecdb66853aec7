import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { GoldImageView } from '../../../src/domain/gold-images/gold-image-service.js';
import { tarRoot, writeRootDir } from '../../domain/gold-images/gold-image-fixtures.js';
import { apiServerPairEachSuite } from '../../support/cluster/api-server-pair.js';
import type { Harness, TestAccount } from '../../support/goldsmith-harness.js';
import { tempDir } from '../../support/paths.js';
import { signRequest } from '../../support/sigv4-signer.js';
import { subscribedBuyer } from './subscribed-buyer.js';

/*
 * Two API servers on one PostgreSQL database and one keys directory, as behind a load balancer:
 * what one accepted, the other refuses; what one links to, the other serves.
 */
describe('the AWS JSON protocol across API servers on one PostgreSQL database', () => {
  const servers = apiServerPairEachSuite();
  let buyer: TestAccount;
  let key: { accessKeyId: string; secretAccessKey: string };
  let buildId: string;

  /** A signed AWS JSON call, as a client addressing `host` sends it. */
  const signedCall = async (operation: string, input: unknown, host = 'goldsmith.test') => {
    const body = JSON.stringify(input);
    const signed = await signRequest(
      {
        host,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSMPImageBuilding.${operation}`,
        },
        body,
      },
      { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, date: new Date() },
    );
    return { url: signed.url, headers: signed.headerMap, payload: body };
  };
  const send = async (server: Harness, call: Awaited<ReturnType<typeof signedCall>>) => {
    const response = await server.server.app.inject({ method: 'POST', ...call });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };

  beforeAll(async () => {
    buyer = await subscribedBuyer(servers.first);
    const rootfs = tarRoot(writeRootDir(), path.join(tempDir('aws-cluster'), 'rootfs.tar'));
    const goldImage = await buyer.client.uploadFile<GoldImageView>(
      'POST',
      '/v1/gold-images?fileName=rootfs.tar&name=gold',
      rootfs,
    );
    key = await buyer.client.request('POST', '/v1/access-keys');
    const started = await send(
      servers.first,
      await signedCall('StartBuild', {
        FulfillmentOptionIds: ['fo-debian'],
        SourceImageId: goldImage.id,
        DestinationImageName: 'acme on gold',
      }),
    );
    expect(started.status).toBe(200);
    buildId = String(started.body['BuildId']);
  }, 60_000);

  it('refuses on one server a signed request already accepted by another', async () => {
    const call = await signedCall('DescribeBuilds', { MaxResults: 1 });
    expect((await send(servers.first, call)).status).toBe(200);
    expect(await send(servers.second, call)).toEqual({
      status: 403,
      body: {
        __type: 'InvalidSignatureException',
        message: expect.stringContaining('already been received'),
      },
    });
    expect((await send(servers.first, call)).status).toBe(403);
  });

  it('links build logs on the host the caller reached, served by any server', async () => {
    for (const operation of ['DescribeBuilds', 'ListBuilds']) {
      const described = await send(
        servers.second,
        await signedCall(operation, { MaxResults: 1 }, 'goldsmith.example.test'),
      );
      expect(described.status).toBe(200);
      const [build] = described.body['Builds'] as Record<string, unknown>[];
      for (const [member, stream] of [
        ['StandardOutputUrl', 'stdout'],
        ['StandardErrorUrl', 'stderr'],
      ] as const) {
        const link = new URL(String(build![member]));
        expect(link.origin, operation).toBe('http://goldsmith.example.test');
        expect(link.pathname).toBe(`/v1/private-image-builds/${buildId}/logs`);
        expect(link.searchParams.get('stream')).toBe(stream);
        // Signed by the second server, verified by the first: they share the link key.
        const fetched = await fetch(`${servers.first.url}${link.pathname}${link.search}`);
        expect(fetched.status, `${operation} ${member}`).toBe(200);
      }
    }
  });
});
