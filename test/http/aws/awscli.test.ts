import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { GoldImageView } from '../../../src/domain/gold-images/gold-image-service.js';
import { tarRoot, writeRootDir } from '../../domain/gold-images/gold-image-fixtures.js';
import { startHarness, type Harness, type TestAccount } from '../../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../../support/paths.js';
import { subscribedBuyer } from './subscribed-buyer.js';

const run = promisify(execFile);
const MODEL = path.join(
  repoRoot,
  '..',
  'shared',
  'reference',
  'marketplaceimagebuild-2017-12-15.normal.json',
);
/** Debian's AWS CLI (package awscli), not one a user may have on PATH. */
const AWS = '/usr/bin/aws';
const SERVICE = 'goldsmith-imagebuild';

/**
 * The AWS CLI, given the build API's model with `aws configure add-model`, pointed at a running
 * Goldsmith with `--endpoint-url`: it signs with SigV4 and speaks the JSON protocol itself.
 */
describe('the AWS CLI against Goldsmith’s build API', () => {
  let harness: Harness;
  let buyer: TestAccount;
  let goldImageId: string;
  let env: NodeJS.ProcessEnv;

  const aws = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(
        AWS,
        [SERVICE, ...args, '--endpoint-url', harness.url, '--output', 'json'],
        { env },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    buyer = await subscribedBuyer(harness);
    const rootfs = tarRoot(writeRootDir(), path.join(tempDir('awscli'), 'rootfs.tar'));
    goldImageId = (
      await buyer.client.uploadFile<GoldImageView>(
        'POST',
        '/v1/gold-images?fileName=rootfs.tar',
        rootfs,
      )
    ).id;
    const key = await buyer.client.request<{ accessKeyId: string; secretAccessKey: string }>(
      'POST',
      '/v1/access-keys',
    );
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: tempDir('awscli-home'),
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    };
    await run(
      AWS,
      ['configure', 'add-model', '--service-model', `file://${MODEL}`, '--service-name', SERVICE],
      { env },
    );
  });
  afterAll(async () => harness?.stop());

  it('starts a build and describes it', async () => {
    const started = await aws(
      'start-build',
      '--fulfillment-option-ids',
      'fo-debian',
      '--source-image-id',
      goldImageId,
      '--destination-image-name',
      'acme from the aws cli',
      '--client-token',
      'awscli-1',
    );
    expect(started.code, started.stderr).toBe(0);
    const { BuildId } = JSON.parse(started.stdout) as { BuildId: string };
    expect(BuildId).toMatch(/^bld-/);

    const described = await aws('describe-builds', '--build-ids', BuildId);
    expect(described.code, described.stderr).toBe(0);
    const { Builds } = JSON.parse(described.stdout) as {
      Builds: { BuildId: string; Status: string; SourceImage: { Id: string } }[];
    };
    expect(Builds).toEqual([
      expect.objectContaining({
        BuildId,
        Status: 'InProgress',
        SourceImage: expect.objectContaining({ Id: goldImageId }),
      }),
    ]);
  });

  it('reports the model’s errors by name', async () => {
    const refused = await aws(
      'start-build',
      '--fulfillment-option-ids',
      'fo-debian',
      '--source-image-id',
      'img-00000000000000000',
      '--destination-image-name',
      'acme from the aws cli',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('InvalidSourceImageIdException');
  });

  it('is refused with a wrong secret', async () => {
    const saved = env;
    env = { ...env, AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) };
    try {
      const refused = await aws('describe-builds');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('InvalidSignatureException');
    } finally {
      env = saved;
    }
  });
});
