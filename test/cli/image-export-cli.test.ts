import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Image } from '../../src/domain/types.js';
import { storeSmallImage } from '../image/disk/stored-small-image.js';
import { runCli } from '../support/cli-process.js';
import { startHarness, type Harness } from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';

describe('goldsmith image export', () => {
  let harness: Harness;
  let env: Record<string, string>;
  let image: Image;
  let work: string;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    const owner = await harness.createAccount('Cli Export Owner', ['buyer']);
    work = tempDir('export-cli');
    env = { GOLDSMITH_URL: harness.url, GOLDSMITH_TOKEN: owner.token, XDG_CONFIG_HOME: work };
    image = await storeSmallImage(harness, owner.accountId, work);
  });
  afterAll(async () => {
    await harness?.stop();
    execFileSync('rm', ['-rf', work]);
  });

  it('prints a link to the stored export, and its JSON with --json', async () => {
    const json = await runCli(
      ['image', 'export', image.id, '--format', 'oci-archive', '--json'],
      env,
    );
    expect(json.code, json.stderr).toBe(0);
    const link = JSON.parse(json.stdout) as { url: string; digest: string; expiresAt: null };
    expect(link).toMatchObject({
      format: 'oci-archive',
      url: `${harness.url}/v1/images/${image.id}/exports/oci-archive/download`,
      expiresAt: null,
    });

    const plain = await runCli(['image', 'export', image.id, '--format', 'oci'], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(`${link.url}\n`);
    expect(plain.stderr).toContain(`${link.digest},`);
    expect(plain.stderr).toContain('the link needs your Goldsmith token');

    // --output still downloads, and gets the same bytes.
    const file = path.join(work, 'image.tar');
    const downloaded = await runCli(['image', 'export', image.id, '--output', file], env);
    expect(downloaded.code, downloaded.stderr).toBe(0);
    const digest = `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    expect(digest).toBe(link.digest);
  });
});
