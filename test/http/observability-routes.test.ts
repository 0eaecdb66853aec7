import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHarness, type Harness } from '../support/goldsmith-harness.js';

/** The value of a series in Prometheus's text format, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health, readiness and metrics', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
  });
  afterAll(async () => harness?.stop());

  it('answers liveness and readiness without a token', async () => {
    const health = await fetch(`${harness.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${harness.url}/v1/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('reports the queue from the store, HTTP latencies by route, and the workers', async () => {
    const seller = await harness.createAccount('Metrics Seller', ['seller']);
    // A queued job: a base refresh asked for while no worker runs.
    await harness.operator.request('POST', '/v1/base-images/debian-12/refresh');
    await seller.client.request('GET', '/v1/package-groups');

    const response = await fetch(`${harness.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'goldsmith_queue_jobs{kind="base-refresh",state="queued"}')).toBe(1);
    expect(
      sample(text, 'goldsmith_queue_oldest_job_age_seconds{kind="base-refresh",state="queued"}'),
    ).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'goldsmith_workers')).toBe(0);
    expect(sample(text, 'goldsmith_workers_busy')).toBe(0);
    // Routes are labelled by their pattern, so ids never make series of their own.
    expect(
      sample(
        text,
        'goldsmith_http_request_duration_seconds_count{method="GET",route="/v1/package-groups",status="200"}',
      ),
    ).toBe(1);
    expect(text).toContain('# TYPE goldsmith_build_phase_duration_seconds histogram');
    expect(text).toContain('goldsmith_process_resident_memory_bytes');
  });
});
