import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSecret } from '../../../src/scanner/policy/root-walk.js';
import { secretsCheck } from '../../../src/scanner/policy/secrets-check.js';
import { fixtureRoot, removeTempRoots, tempRoot } from './fixture-root.js';

afterAll(removeTempRoots);

let privateKey = '';

beforeAll(() => {
  const keyFile = path.join(tempRoot('policy-key'), 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', keyFile]);
  privateKey = readFileSync(keyFile, 'utf8');
});

const summary = async (root: string) =>
  (await secretsCheck.check(root, {})).map((v) => ({
    code: v.code,
    at: `${v.evidence.path}:${v.evidence.line}`,
    excerpt: v.evidence.excerpt,
  }));

describe('secretsCheck', () => {
  it('reports private keys, host keys and cloud credentials with line and masked secret', async () => {
    const root = fixtureRoot('secrets-violating', {
      'opt/app/deploy_key': privateKey,
      'etc/ssh/ssh_host_ed25519_key': privateKey,
    });
    expect(await summary(root)).toEqual([
      {
        code: 'POLICY_CLOUD_CREDENTIALS',
        at: 'etc/app/storage.env:1',
        excerpt: expect.stringContaining('AccountKey=Eby8************Gw==;') as string,
      },
      {
        code: 'POLICY_SSH_HOST_KEYS',
        at: 'etc/ssh/ssh_host_ed25519_key:1',
        excerpt: '-----BEGIN OPENSSH PRIVATE KEY-----',
      },
      {
        code: 'POLICY_CLOUD_CREDENTIALS',
        at: 'home/alice/.aws/credentials:2',
        excerpt: 'aws_access_key_id = AKIA************MPLE',
      },
      {
        code: 'POLICY_PRIVATE_KEY',
        at: 'opt/app/deploy_key:1',
        excerpt: '-----BEGIN OPENSSH PRIVATE KEY-----',
      },
      {
        code: 'POLICY_CLOUD_CREDENTIALS',
        at: 'opt/app/service-account.json:5',
        excerpt: expect.stringMatching(/^"private_key": "----\*{12}--\\n",$/) as string,
      },
    ]);
  });

  it('never shows a secret in clear', async () => {
    const root = fixtureRoot('secrets-violating');
    const text = JSON.stringify(await secretsCheck.check(root, {}));
    expect(text).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(text).not.toContain('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq');
  });

  it('skips documentation, packaged test suites, binaries and look-alikes', async () => {
    const root = fixtureRoot('secrets-clean', {
      'usr/share/doc/openssh-client/examples/id_ed25519': privateKey,
      'usr/lib/python3/dist-packages/paramiko/tests/test_ed25519.key': privateKey,
      'opt/app/bin/agent': Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]),
        Buffer.from(privateKey),
      ]),
      'proc/1/environ': privateKey,
    });
    expect(await summary(root)).toEqual([]);
  });

  it('still reads test directories outside the distribution trees', async () => {
    const root = fixtureRoot('secrets-clean', { 'opt/app/tests/fixture.key': privateKey });
    expect((await summary(root)).map((v) => v.at)).toEqual(['opt/app/tests/fixture.key:1']);
  });

  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'AKIA************MPLE'],
    ['hunter2hunter', 'hu*********er'],
    ['short', '*****'],
    ['a'.repeat(60), `aaaa${'*'.repeat(12)}aaaa`],
  ])('masks %s as %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
