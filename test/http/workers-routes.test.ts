import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WorkerRecord } from '../../src/domain/workers/worker-record.js';
import { startHarness, type Harness, type TestAccount } from '../support/goldsmith-harness.js';

describe('GET /v1/workers on a server running its own workers', () => {
  let harness: Harness;
  let seller: TestAccount;

  beforeAll(async () => {
    harness = await startHarness({ workers: 2 });
    seller = await harness.createAccount('Acme', ['seller']);
  });
  afterAll(async () => harness?.stop());

  it('lists the server’s pool, role server, for operators only', async () => {
    const { workers } = await harness.operator.request<{ workers: WorkerRecord[] }>(
      'GET',
      '/v1/workers',
    );
    expect(workers).toEqual([
      expect.objectContaining({
        role: 'server',
        pid: process.pid,
        concurrency: 2,
        busy: 0,
        draining: false,
        capabilities: { platforms: ['linux'], osFamilies: ['debian'], isolation: ['container'] },
      }),
    ]);
    await expect(seller.client.request('GET', '/v1/workers')).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });
  });

  it('counts the registry’s workers by state in /metrics', async () => {
    const reply = await harness.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(reply.body).toMatch(/^goldsmith_cluster_workers\{state="idle"\} 1$/m);
    expect(reply.body).toMatch(/^goldsmith_cluster_workers\{state="busy"\} 0$/m);
    expect(reply.body).toMatch(/^goldsmith_cluster_workers\{state="draining"\} 0$/m);
  });

  it('describes the route in the OpenAPI document', async () => {
    const reply = await harness.server.app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = reply.json<{ paths: Record<string, { get?: { tags?: string[] } }> }>();
    expect(doc.paths['/v1/workers']?.get?.tags).toEqual(['operators']);
  });
});
