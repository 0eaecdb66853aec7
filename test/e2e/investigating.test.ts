import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LogPage } from '../../src/domain/builds/build-service.js';
import type { OsBuild } from '../../src/domain/types.js';
import {
  startHarness,
  submitGroup,
  waitForGroup,
  type Harness,
} from '../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../support/paths.js';

describe('failures on Goldsmith’s side', () => {
  let harness: Harness;

  beforeAll(async () => {
    // A mirror nobody answers on, and an empty base cache: base creation must fail.
    harness = await startHarness({
      workers: 1,
      baseCacheDir: tempDir('no-mirror-cache'),
      debianMirror: 'http://127.0.0.1:9/debian',
      debianSecurityMirror: 'http://127.0.0.1:9/debian-security',
      jobMaxAttempts: 2,
    });
  });
  afterAll(async () => harness?.stop());

  it('retries, then ends in Investigating; only operators see the internal error', async () => {
    const seller = await harness.createAccount('Acme', ['seller']);
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const submitted = await submitGroup(
      seller.client,
      'acme_no_base_r1',
      ['debian-11'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Investigating');
    const build = group.builds[0]!;
    expect(build.state).toBe('Investigating');
    expect(build.attempts).toBe(2);
    expect(build.findings).toEqual([]);
    expect(build.internalError).toBeNull();
    expect(build.finishedAt).not.toBeNull();

    const asOperator = await harness.operator.request<OsBuild>('GET', `/v1/builds/${build.id}`);
    expect(asOperator.internalError).toMatch(/mmdebstrap|127\.0\.0\.1:9/);

    const page = await seller.client.request<LogPage>(
      'GET',
      `/v1/builds/${build.id}/logs?after=0&limit=1000`,
    );
    const texts = page.lines.map((l) => l.text);
    expect(texts.some((t) => t.includes('retrying'))).toBe(true);
    expect(texts.some((t) => t.includes('investigating'))).toBe(true);
  });
});
