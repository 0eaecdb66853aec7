import { afterAll, describe, expect, it } from 'vitest';
import { sshdConfigCheck } from '../../../src/scanner/policy/sshd-config-check.js';
import { fixtureRoot, removeTempRoots, tempRoot, writeRootFile } from './fixture-root.js';

afterAll(removeTempRoots);

/** A root with the given files under etc/ssh. */
function sshRoot(files: Record<string, string>): string {
  const root = tempRoot('policy-sshd');
  for (const [name, content] of Object.entries(files))
    writeRootFile(root, `etc/ssh/${name}`, content);
  return root;
}

interface SshdCase {
  readonly name: string;
  /** Files under etc/ssh. */
  readonly files: Record<string, string>;
  readonly expected: readonly { code: string; at: string | undefined; matchBlock?: string }[];
}

const summary = async (root: string) =>
  (await sshdConfigCheck.check(root, {})).map((v) => ({
    code: v.code,
    at: v.evidence.line === undefined ? v.evidence.path : `${v.evidence.path}:${v.evidence.line}`,
    matchBlock: v.evidence.matchBlock,
  }));

describe('sshdConfigCheck', () => {
  it('reads Include files first, honours the first value, and reports Match blocks', async () => {
    expect(await summary(fixtureRoot('sshd-violating'))).toEqual([
      {
        code: 'POLICY_SSH_PASSWORD_AUTH',
        at: 'etc/ssh/sshd_config.d/10-cloud.conf:1',
        matchBlock: undefined,
      },
      {
        code: 'POLICY_SSH_PASSWORD_AUTH',
        at: 'etc/ssh/sshd_config:8',
        matchBlock: 'Match User deploy',
      },
      {
        code: 'POLICY_SSH_ROOT_LOGIN',
        at: 'etc/ssh/sshd_config.d/20-root.conf:1',
        matchBlock: undefined,
      },
    ]);
  });

  it('passes a hardening drop-in that is read before the settings it overrides', async () => {
    expect(await summary(fixtureRoot('sshd-clean'))).toEqual([]);
  });

  it('does nothing when the image has no sshd_config', async () => {
    expect(await summary(tempRoot('policy-sshd'))).toEqual([]);
  });

  it.each<SshdCase>([
    {
      name: 'PasswordAuthentication absent: OpenSSH defaults to yes',
      files: { sshd_config: 'KbdInteractiveAuthentication no\n' },
      expected: [{ code: 'POLICY_SSH_PASSWORD_AUTH', at: 'etc/ssh/sshd_config' }],
    },
    {
      name: 'keyboard-interactive left at its default with UsePAM yes',
      files: { sshd_config: 'PasswordAuthentication no\nUsePAM yes\n' },
      expected: [{ code: 'POLICY_SSH_PASSWORD_AUTH', at: 'etc/ssh/sshd_config' }],
    },
    {
      name: 'ChallengeResponseAuthentication yes (the old alias) with UsePAM yes',
      files: {
        sshd_config: 'PasswordAuthentication no\nChallengeResponseAuthentication yes\nUsePAM yes\n',
      },
      expected: [{ code: 'POLICY_SSH_PASSWORD_AUTH', at: 'etc/ssh/sshd_config:2' }],
    },
    {
      name: 'keyboard-interactive without PAM',
      files: { sshd_config: 'PasswordAuthentication no\nKbdInteractiveAuthentication yes\n' },
      expected: [],
    },
    {
      name: 'PermitRootLogin absent (prohibit-password) or without-password',
      files: {
        sshd_config:
          'PasswordAuthentication no\nMatch Group admins\nPermitRootLogin without-password\n',
      },
      expected: [],
    },
    {
      name: 'PermitRootLogin yes in a Match block, with = and mixed case',
      files: {
        sshd_config:
          'PasswordAuthentication=no\nMatch Address 192.0.2.*\n  permitROOTlogin = YES\n',
      },
      expected: [
        {
          code: 'POLICY_SSH_ROOT_LOGIN',
          at: 'etc/ssh/sshd_config:3',
          matchBlock: 'Match Address 192.0.2.*',
        },
      ],
    },
    {
      name: 'an Include inside a Match block is conditional',
      files: {
        sshd_config: 'PasswordAuthentication no\nMatch User ci\n  Include ci.conf\n',
        'ci.conf': 'PasswordAuthentication yes\n',
      },
      expected: [
        { code: 'POLICY_SSH_PASSWORD_AUTH', at: 'etc/ssh/ci.conf:1', matchBlock: 'Match User ci' },
      ],
    },
    {
      name: 'a Match in an included file ends with that file',
      files: {
        sshd_config: 'Include sshd_config.d/*.conf\nPasswordAuthentication yes\n',
        'sshd_config.d/50-match.conf': 'Match User ci\n  X11Forwarding no\n',
      },
      expected: [{ code: 'POLICY_SSH_PASSWORD_AUTH', at: 'etc/ssh/sshd_config:2' }],
    },
    {
      name: 'a trailing comment is not a value',
      files: { sshd_config: 'PasswordAuthentication no # yes would be wrong\n' },
      expected: [],
    },
  ])('$name', async ({ files, expected }) => {
    const found = await summary(sshRoot(files));
    expect(found).toEqual(expected.map((e) => ({ matchBlock: undefined, ...e })));
  });
});
