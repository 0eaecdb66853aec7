import { afterAll, describe, expect, it } from 'vitest';
import {
  createClamavCheck,
  DEFAULT_CLAMAV_OPTIONS,
} from '../../../src/scanner/policy/malware-clamav-check.js';
import type { PolicyCheck } from '../../../src/scanner/policy/policy-check.js';
import { POLICY_FINDING_CATALOGUE } from '../../../src/scanner/policy/policy-finding-catalogue.js';
import { POLICY_CHECKS, runPolicyChecks } from '../../../src/scanner/policy/policy-registry.js';
import { osEndOfLifeCheck } from '../../../src/scanner/policy/os-end-of-life-check.js';
import { shadowPasswordCheck } from '../../../src/scanner/policy/shadow-password-check.js';
import { fixtureRoot, removeTempRoots } from './fixture-root.js';

afterAll(removeTempRoots);

describe('runPolicyChecks', () => {
  it('lists every check once', () => {
    const ids = POLICY_CHECKS.map((check) => check.id);
    expect(ids).toEqual([
      'shadow-passwords',
      'sshd-config',
      'authorized-keys',
      'secrets',
      'os-end-of-life',
      'malware-eicar',
      'malware-clamav',
    ]);
  });

  it('says which checks ran and which could not, and adds the layer of each file', async () => {
    const checks = [
      shadowPasswordCheck,
      osEndOfLifeCheck,
      createClamavCheck({ ...DEFAULT_CLAMAV_OPTIONS, searchPath: '' }),
    ];
    const result = await runPolicyChecks(
      fixtureRoot('shadow-violating'),
      {
        layerOf: (relPath) =>
          relPath === 'etc/shadow'
            ? { index: 1, digest: null, role: 'installer' }
            : { index: 0, digest: null, role: 'base' },
      },
      checks,
    );
    expect(result.ran).toEqual([{ checkId: 'shadow-passwords', version: 1 }]);
    expect(result.notRun).toEqual([
      { checkId: 'os-end-of-life', reason: 'no os-release file in the image' },
      { checkId: 'malware-clamav', reason: 'clamscan not installed' },
    ]);
    expect(result.violations.map((v) => [v.code, v.evidence.path, v.layer?.role])).toEqual([
      ['POLICY_BLANK_PASSWORD', 'etc/passwd', 'base'],
      ['POLICY_BLANK_PASSWORD', 'etc/shadow', 'installer'],
      ['POLICY_LOGIN_PASSWORD_HASH', 'etc/shadow', 'installer'],
    ]);
  });

  it('aborts, naming the check, when a check fails for another reason', async () => {
    const broken: PolicyCheck = {
      id: 'broken',
      version: 1,
      title: 'Broken',
      perFile: false,
      check: () => Promise.reject(new Error('EIO: disk gone')),
    };
    await expect(runPolicyChecks(fixtureRoot('shadow-clean'), {}, [broken])).rejects.toThrow(
      'policy check broken failed: Error: EIO: disk gone',
    );
  });

  it('takes severity and remedy from the catalogue', () => {
    for (const [code, kind] of Object.entries(POLICY_FINDING_CATALOGUE)) {
      expect(code).toMatch(/^POLICY_[A-Z_]+$/);
      expect(kind.remedy.length).toBeGreaterThan(20);
    }
  });
});
