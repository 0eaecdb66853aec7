import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../support/cli-process.js';
import { startHarness, type Harness, type TestAccount } from '../support/goldsmith-harness.js';

describe('goldsmith access-key', () => {
  let harness: Harness;
  let buyer: TestAccount;
  let env: Record<string, string>;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    buyer = await harness.createAccount('Buyer', ['buyer']);
    env = { GOLDSMITH_URL: harness.url, GOLDSMITH_TOKEN: buyer.token };
  });
  afterAll(async () => harness?.stop());

  it('creates a key printing exactly accessKeyId and secretAccessKey with --json, lists and deletes it', async () => {
    const created = await runCli(['access-key', 'create', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as Record<string, string>;
    expect(Object.keys(key)).toEqual(['accessKeyId', 'secretAccessKey']);
    expect(key['accessKeyId']).toMatch(/^GSKA[A-Z2-7]{16}$/);
    expect(key['secretAccessKey']).toHaveLength(40);

    const plain = await runCli(['access-key', 'create'], env);
    expect(plain.stdout).toMatch(/^accessKeyId: GSKA\w{16}\nsecretAccessKey: \S{40}\n/);

    const listed = await runCli(['access-key', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(key['accessKeyId']);
    expect(listed.stdout).not.toContain(key['secretAccessKey']);

    const deleted = await runCli(['access-key', 'delete', key['accessKeyId']!], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    const again = await runCli(['access-key', 'delete', key['accessKeyId']!], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ACCESS_KEY_NOT_FOUND');
  });
});
