import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_CHECKS, runPolicyChecks } from '../../../src/scanner/policy/policy-registry.js';
import type { PolicyRunResult } from '../../../src/scanner/policy/policy-registry.js';
import { obtainSharedDebian12 } from '../../base-images/shared-debian-root.js';

/**
 * The debian-12 base as the project builds it. openssh-server's postinst generates host keys
 * and Debian's sshd_config leaves PasswordAuthentication at OpenSSH's default (yes); the base
 * recipe removes the keys (each instance makes its own at first boot) and turns passwords off
 * in sshd_config.d, so the base passes every policy. Root is locked (`*`).
 */
describe('policy checks on the debian-12 base root', () => {
  let result: PolicyRunResult;

  beforeAll(async () => {
    const root = (await obtainSharedDebian12()).rootDir;
    result = await runPolicyChecks(root, { now: new Date('2026-11-27T00:00:00Z') });
  });

  it('passes every policy: no host keys, sshd takes keys only, root locked', () => {
    expect(result.violations.map((v) => [v.code, v.evidence.path, v.evidence.line])).toEqual([]);
  });

  it('accounts for every check: ran, or not run with a reason', () => {
    const accounted = [...result.ran, ...result.notRun].map((entry) => entry.checkId).sort();
    expect(accounted).toEqual(POLICY_CHECKS.map((check) => check.id).sort());
    expect(result.ran.map((entry) => entry.checkId)).toEqual(
      expect.arrayContaining(['shadow-passwords', 'sshd-config', 'secrets', 'os-end-of-life']),
    );
  });
});
