import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LogPage } from '../../src/domain/builds/build-service.js';
import type { BuildView } from '../../src/domain/builds/build-view.js';
import type { SupportCase } from '../../src/domain/types.js';
import {
  apiErrorOf,
  startHarness,
  submitGroup,
  waitForGroup,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../support/paths.js';

/** A clock the test moves forward, to reach "four business days later" at once. */
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };

describe('failures on Goldsmith’s side', () => {
  let harness: Harness;
  let seller: TestAccount;
  const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');

  beforeAll(async () => {
    // A mirror nobody answers on, and an empty base cache: base creation must fail.
    harness = await startHarness(
      {
        workers: 1,
        baseCacheDir: tempDir('no-mirror-cache'),
        debianMirror: 'http://127.0.0.1:9/debian',
        debianSecurityMirror: 'http://127.0.0.1:9/debian-security',
        buildRetries: 1,
      },
      undefined,
      clock,
    );
    seller = await harness.createAccount('Acme', ['seller']);
  });
  afterAll(async () => harness?.stop());

  it('retries, then ends in Investigating; only operators see the internal error', async () => {
    const submitted = await submitGroup(
      seller.client,
      'acme_no_base_r1',
      ['debian-11'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Investigating');
    const build = group.builds[0] as BuildView;
    expect(build.state).toBe('Investigating');
    expect(build.attempts).toBe(2);
    expect(build.findings).toEqual([]);
    expect(build.internalError).toBeNull();
    expect(build.investigation?.since).toBe(build.finishedAt);
    expect(Date.parse(build.investigation!.contactAvailableAt)).toBeGreaterThanOrEqual(
      Date.parse(build.finishedAt!) + 4 * 24 * 3600 * 1000,
    );

    const asOperator = await harness.operator.request<BuildView>('GET', `/v1/builds/${build.id}`);
    expect(asOperator.internalError).toMatch(/mmdebstrap|127\.0\.0\.1:9/);

    const page = await seller.client.request<LogPage>(
      'GET',
      `/v1/builds/${build.id}/logs?after=0&limit=1000`,
    );
    const texts = page.lines.map((l) => l.text);
    expect(texts.some((t) => t.includes('retrying'))).toBe(true);
    expect(texts.some((t) => t.includes('investigating'))).toBe(true);
  });

  it('lists Investigating builds for operators only, who can close one with a note to the seller', async () => {
    expect(
      await apiErrorOf(seller.client.request('GET', '/v1/operator/investigations')),
    ).toMatchObject({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });
    const { builds } = await harness.operator.request<{ builds: BuildView[] }>(
      'GET',
      '/v1/operator/investigations',
    );
    expect(builds).toHaveLength(1);
    const build = builds[0]!;
    expect(build.internalError).not.toBeNull();

    const closed = await harness.operator.request<BuildView>(
      'POST',
      `/v1/operator/builds/${build.id}/close`,
      {
        message: 'debian-11 needs a newer installer; resubmit with release 2.5',
      },
    );
    expect(closed.state).toBe('IssuesFound');
    const group = await seller.client.request<{ state: string; builds: BuildView[] }>(
      'GET',
      '/v1/package-groups/acme_no_base_r1',
    );
    expect(group.state).toBe('IssuesFound');
    expect(group.builds[0]!.findings).toEqual([
      expect.objectContaining({
        code: 'OPERATOR_CLOSED',
        message: 'debian-11 needs a newer installer; resubmit with release 2.5',
      }),
    ]);
    expect(
      await apiErrorOf(harness.operator.request('POST', `/v1/operator/builds/${build.id}/retry`)),
    ).toMatchObject({ status: 409, code: 'BUILD_NOT_INVESTIGATING' });
  });

  it('lets the seller contact the operators after four business days, and operators retry the build', async () => {
    const submitted = await submitGroup(
      seller.client,
      'acme_no_base_r2',
      ['debian-11'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    const build = group.builds[0] as BuildView;
    expect(build.state).toBe('Investigating');

    expect(
      await apiErrorOf(
        seller.client.request('POST', `/v1/builds/${build.id}/support-cases`, {
          message: 'still stuck?',
        }),
      ),
    ).toMatchObject({ status: 409, code: 'SUPPORT_CONTACT_TOO_EARLY' });

    offset.ms = Date.parse(build.investigation!.contactAvailableAt) - Date.now() + 1000;
    const opened = await seller.client.request<SupportCase>(
      'POST',
      `/v1/builds/${build.id}/support-cases`,
      {
        message: 'still stuck?',
      },
    );
    expect(opened).toMatchObject({ buildId: build.id, accountId: seller.accountId, state: 'open' });
    const { supportCases } = await harness.operator.request<{ supportCases: SupportCase[] }>(
      'GET',
      '/v1/support-cases',
    );
    expect(supportCases.map((c) => c.id)).toContain(opened.id);
    const other = await harness.createAccount('Other', ['seller']);
    expect(
      (await other.client.request<{ supportCases: SupportCase[] }>('GET', '/v1/support-cases'))
        .supportCases,
    ).toEqual([]);

    const retried = await harness.operator.request<BuildView>(
      'POST',
      `/v1/operator/builds/${build.id}/retry`,
    );
    expect(retried.state).toBe('Building');
    expect(retried.attempts).toBe(0);
    const again = await waitForGroup(seller.client, submitted.id);
    expect(again.builds[0]!.state).toBe('Investigating');
    expect(again.builds[0]!.attempts).toBe(2);
  });
});
