import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiErrorOf,
  startHarness,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';

describe('instances over HTTP, on a server without workers', () => {
  let harness: Harness;
  let buyer: TestAccount;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    buyer = await harness.createAccount('Buyer', ['buyer']);
  });
  afterAll(async () => harness?.stop());

  it('refuses to launch: only a process with the sandbox runs instances', async () => {
    expect(
      await apiErrorOf(
        buyer.client.request('POST', '/v1/instances', { imageId: 'img-00000000000000000' }),
      ),
    ).toEqual({ status: 503, code: 'INSTANCE_HOST_UNAVAILABLE' });
  });

  it('validates the launch body', async () => {
    for (const body of [
      {},
      { imageId: 'img-1', command: [] },
      { imageId: 'img-1', command: ['x'.repeat(4097)] },
    ]) {
      expect(await apiErrorOf(buyer.client.request('POST', '/v1/instances', body))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('lists nothing and finds no unknown instance', async () => {
    expect(await buyer.client.request('GET', '/v1/instances')).toEqual({ instances: [] });
    for (const [method, route] of [
      ['GET', '/v1/instances/i-00000000000000000'],
      ['GET', '/v1/instances/i-00000000000000000/console'],
      ['POST', '/v1/instances/i-00000000000000000/stop'],
      ['POST', '/v1/instances/i-00000000000000000/terminate'],
    ] as const) {
      expect(await apiErrorOf(buyer.client.request(method, route))).toEqual({
        status: 404,
        code: 'INSTANCE_NOT_FOUND',
      });
    }
  });

  it('describes every instance route in /openapi.json', async () => {
    const spec = await buyer.client.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/openapi.json',
    );
    expect(Object.keys(spec.paths['/v1/instances'] ?? {}).sort()).toEqual(['get', 'post']);
    for (const route of ['/{instanceId}', '/{instanceId}/console']) {
      expect(spec.paths[`/v1/instances${route}`]).toHaveProperty('get');
    }
    for (const route of ['/{instanceId}/stop', '/{instanceId}/terminate']) {
      expect(spec.paths[`/v1/instances${route}`]).toHaveProperty('post');
    }
  });
});
