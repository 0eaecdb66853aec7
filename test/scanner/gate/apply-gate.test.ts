import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AllowListEntry } from '../../../src/scanner/gate/allow-list.js';
import { applyGate } from '../../../src/scanner/gate/apply-gate.js';
import {
  DEFAULT_GATE_POLICY,
  type GatePolicy,
  describeGateRules,
} from '../../../src/scanner/gate/gate-policy.js';
import { parseVexDocument, type VexStatement } from '../../../src/scanner/gate/vex.js';
import type { GateDecision } from '../../../src/scanner/scan/scan-report.js';
import { ungatedReport, violation, vulnerability } from './gate-report-builder.js';

const NOW = new Date('2024-03-15T12:00:00Z');

const policyWith = (overrides: Partial<GatePolicy>): GatePolicy => ({
  ...DEFAULT_GATE_POLICY,
  ...overrides,
});

const vexFixture = (name: string): VexStatement[] =>
  parseVexDocument(
    JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')),
    name,
  );

/** The decision for one vulnerability under `policy`. */
function decide(finding: ReturnType<typeof vulnerability>, policy: GatePolicy, now = NOW) {
  return applyGate(ungatedReport([finding]), policy, now).report.vulnerabilities[0]?.gate;
}

/** The decision for one policy violation under `policy`. */
function decidePolicy(finding: ReturnType<typeof violation>, policy: GatePolicy) {
  return applyGate(ungatedReport([], [finding]), policy, NOW).report.policy.violations[0]?.gate;
}

describe('applyGate with the default policy', () => {
  it.each<{ name: string; finding: ReturnType<typeof vulnerability>; gate: GateDecision }>([
    {
      name: 'critical with a fix',
      finding: vulnerability({ severity: 'critical' }),
      gate: { blocking: true, rule: 'critical severity with a fix' },
    },
    {
      name: 'high with a fix',
      finding: vulnerability(),
      gate: { blocking: true, rule: 'high severity with a fix' },
    },
    {
      name: 'medium with a fix',
      finding: vulnerability({ severity: 'medium' }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
    {
      name: 'low with a fix',
      finding: vulnerability({ severity: 'low' }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
    {
      name: 'negligible',
      finding: vulnerability({ severity: 'negligible' }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
    {
      name: 'unknown severity',
      finding: vulnerability({ severity: 'unknown' }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
    {
      name: 'high without a fix',
      finding: vulnerability({ fixedVersion: null }),
      gate: { blocking: false, reason: 'no-fix' },
    },
    {
      name: 'critical without a fix',
      finding: vulnerability({ severity: 'critical', fixedVersion: null }),
      gate: { blocking: false, reason: 'no-fix' },
    },
    {
      name: 'medium without a fix',
      finding: vulnerability({ severity: 'medium', fixedVersion: null }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
  ])('$name', ({ finding, gate }) => {
    expect(decide(finding, DEFAULT_GATE_POLICY)).toEqual(gate);
  });

  it.each(['critical', 'high', 'medium', 'low'] as const)(
    'blocks a %s policy violation',
    (severity) => {
      expect(decidePolicy(violation({ severity }), DEFAULT_GATE_POLICY)).toEqual({
        blocking: true,
        rule: 'policy violation',
      });
    },
  );
});

describe('applyGate with configured thresholds', () => {
  it.each<{
    name: string;
    policy: Partial<GatePolicy>;
    finding: ReturnType<typeof vulnerability>;
    gate: GateDecision;
  }>([
    {
      name: 'requireFix off blocks high without a fix',
      policy: { requireFix: false },
      finding: vulnerability({ fixedVersion: null }),
      gate: { blocking: true, rule: 'high severity' },
    },
    {
      name: 'requireFix off blocks high with a fix',
      policy: { requireFix: false },
      finding: vulnerability(),
      gate: { blocking: true, rule: 'high severity' },
    },
    {
      name: 'critical only lets high through',
      policy: { blockSeverities: ['critical'] },
      finding: vulnerability(),
      gate: { blocking: false, reason: 'below-threshold' },
    },
    {
      name: 'medium listed blocks medium',
      policy: { blockSeverities: ['critical', 'high', 'medium'] },
      finding: vulnerability({ severity: 'medium' }),
      gate: { blocking: true, rule: 'medium severity with a fix' },
    },
    {
      name: 'unknown listed blocks unknown',
      policy: { blockSeverities: ['critical', 'high', 'unknown'] },
      finding: vulnerability({ severity: 'unknown' }),
      gate: { blocking: true, rule: 'unknown severity with a fix' },
    },
    {
      name: 'no severities: nothing blocks',
      policy: { blockSeverities: [] },
      finding: vulnerability({ severity: 'critical' }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
  ])('$name', ({ policy, finding, gate }) => {
    expect(decide(finding, policyWith(policy))).toEqual(gate);
  });

  it('reports policy violations without blocking when policyViolations is report', () => {
    expect(decidePolicy(violation(), policyWith({ policyViolations: 'report' }))).toEqual({
      blocking: false,
      reason: 'below-threshold',
    });
  });
});

describe('applyGate with an allow-list', () => {
  const entry = (fields: Partial<AllowListEntry>): AllowListEntry => ({
    id: 'CVE-2023-5363',
    expires: '2024-12-31',
    reason: 'TLS only through the proxy',
    ...fields,
  });
  const allowed: GateDecision = {
    blocking: false,
    reason: 'allow-listed',
    detail: 'TLS only through the proxy (until 2024-12-31)',
  };
  const blocked: GateDecision = { blocking: true, rule: 'high severity with a fix' };

  it.each<{
    name: string;
    entry: AllowListEntry;
    finding?: ReturnType<typeof vulnerability>;
    gate: GateDecision;
  }>([
    { name: 'by id', entry: entry({}), gate: allowed },
    { name: 'by id in another case', entry: entry({ id: 'cve-2023-5363' }), gate: allowed },
    { name: 'by alias', entry: entry({ id: 'DSA-5532-1' }), gate: allowed },
    { name: 'not by another id', entry: entry({ id: 'CVE-2023-5678' }), gate: blocked },
    { name: 'by binary package name', entry: entry({ package: 'libssl3' }), gate: allowed },
    { name: 'by source package name', entry: entry({ package: 'openssl' }), gate: allowed },
    {
      name: 'by purl without version',
      entry: entry({ package: 'pkg:deb/debian/libssl3' }),
      gate: allowed,
    },
    { name: 'not for another package', entry: entry({ package: 'libssl-dev' }), gate: blocked },
    {
      name: 'not for another purl',
      entry: entry({ package: 'pkg:deb/ubuntu/libssl3' }),
      gate: blocked,
    },
    {
      name: 'before the threshold',
      entry: entry({}),
      finding: vulnerability({ severity: 'medium' }),
      gate: allowed,
    },
    {
      name: 'before no-fix',
      entry: entry({}),
      finding: vulnerability({ fixedVersion: null }),
      gate: allowed,
    },
  ])('$name', ({ entry: listed, finding, gate }) => {
    expect(decide(finding ?? vulnerability(), policyWith({ allowList: [listed] }))).toEqual(gate);
  });

  it.each<{ name: string; entry: AllowListEntry; gate: GateDecision }>([
    {
      name: 'a policy code',
      entry: entry({ id: 'POLICY_SSH_PASSWORD_AUTH', reason: 'bastion image' }),
      gate: { blocking: false, reason: 'allow-listed', detail: 'bastion image (until 2024-12-31)' },
    },
    {
      name: 'a policy code at its path',
      entry: entry({ id: 'POLICY_SSH_PASSWORD_AUTH', path: 'etc/ssh/sshd_config.d/10-cloud.conf' }),
      gate: allowed,
    },
    {
      name: 'not a policy code at another path',
      entry: entry({ id: 'POLICY_SSH_PASSWORD_AUTH', path: 'etc/ssh/sshd_config' }),
      gate: { blocking: true, rule: 'policy violation' },
    },
    {
      name: 'not another policy code',
      entry: entry({ id: 'POLICY_SSH_ROOT_LOGIN' }),
      gate: { blocking: true, rule: 'policy violation' },
    },
  ])('allows $name', ({ entry: listed, gate }) => {
    expect(decidePolicy(violation(), policyWith({ allowList: [listed] }))).toEqual(gate);
  });

  it.each([
    { now: '2024-12-31T23:59:59.999Z', gate: allowed, warnings: [] },
    {
      now: '2025-01-01T00:00:00Z',
      gate: blocked,
      warnings: ['allow-list entry CVE-2023-5363 expired on 2024-12-31'],
    },
  ])('applies through the last day, UTC: at $now', ({ now, gate, warnings }) => {
    const result = applyGate(
      ungatedReport([vulnerability()]),
      policyWith({ allowList: [entry({})] }),
      new Date(now),
    );
    expect(result.report.vulnerabilities[0]?.gate).toEqual(gate);
    expect(result.warnings).toEqual(warnings);
    expect(result.report.warnings).toEqual(['ecosystem PyPI: no advisories imported', ...warnings]);
  });

  it('warns once for an expired entry even when nothing matches it, and uses a live one', () => {
    const result = applyGate(
      ungatedReport([vulnerability()]),
      policyWith({
        allowList: [
          entry({ expires: '2024-01-31' }),
          entry({ expires: '2024-01-31', package: 'openssl' }),
          entry({ id: 'CVE-2019-0001', expires: '2023-06-30' }),
          entry({ expires: '2024-06-30', reason: 'renewed' }),
        ],
      }),
      NOW,
    );
    expect(result.warnings).toEqual([
      'allow-list entry CVE-2023-5363 expired on 2024-01-31',
      'allow-list entry CVE-2019-0001 expired on 2023-06-30',
    ]);
    expect(result.report.vulnerabilities[0]?.gate).toEqual({
      blocking: false,
      reason: 'allow-listed',
      detail: 'renewed (until 2024-06-30)',
    });
  });
});

describe('applyGate with VEX statements', () => {
  const openVex = vexFixture('openvex-libssl3.json');
  const cycloneDx = vexFixture('cyclonedx-vex.json');
  const notAffected: GateDecision = {
    blocking: false,
    reason: 'not-affected',
    detail:
      'vulnerable_code_not_in_execute_path: No component of the image calls EVP_EncryptInit_ex2 or EVP_DecryptInit_ex2 with key or IV length parameters.',
  };
  const u2 = 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';
  const libssl3 = vulnerability().package;

  it.each<{ name: string; finding: ReturnType<typeof vulnerability>; gate: GateDecision }>([
    {
      name: 'OpenVEX not_affected for a subcomponent',
      finding: vulnerability(),
      gate: notAffected,
    },
    {
      name: 'matched through the statement alias',
      finding: vulnerability({ id: 'DSA-5532-1', aliases: ['DSA-5532-1'] }),
      gate: notAffected,
    },
    {
      name: 'matched through the finding alias',
      finding: vulnerability({ id: 'GHSA-xxxx', aliases: ['CVE-2023-5363', 'GHSA-xxxx'] }),
      gate: notAffected,
    },
    {
      name: 'not for another package',
      finding: vulnerability({
        package: {
          ...libssl3,
          name: 'libssl-dev',
          purl: 'pkg:deb/debian/libssl-dev@3.0.11-1~deb12u1',
        },
      }),
      gate: { blocking: true, rule: 'high severity with a fix' },
    },
    {
      name: 'an affected statement does not suppress',
      finding: vulnerability({
        id: 'CVE-2024-0727',
        aliases: ['CVE-2024-0727'],
        severity: 'medium',
      }),
      gate: { blocking: false, reason: 'below-threshold' },
    },
    {
      name: 'an affected statement leaves a high finding blocking',
      finding: vulnerability({ id: 'CVE-2024-0727', aliases: ['CVE-2024-0727'] }),
      gate: { blocking: true, rule: 'high severity with a fix' },
    },
    {
      name: 'a versioned statement does not cover another version',
      finding: vulnerability({ id: 'CVE-2023-6129', aliases: ['CVE-2023-6129'] }),
      gate: { blocking: true, rule: 'high severity with a fix' },
    },
    {
      name: 'a versioned statement covers its version',
      finding: vulnerability({
        id: 'CVE-2023-6129',
        aliases: ['CVE-2023-6129'],
        package: { ...libssl3, purl: u2 },
      }),
      gate: { blocking: false, reason: 'not-affected', detail: 'component_not_present' },
    },
  ])('$name', ({ finding, gate }) => {
    expect(decide(finding, policyWith({ vex: openVex }))).toEqual(gate);
  });

  it.each<{ name: string; finding: ReturnType<typeof vulnerability>; gate: GateDecision }>([
    {
      name: 'CycloneDX not_affected through a bom-ref in metadata',
      finding: vulnerability({
        id: 'CVE-2023-45853',
        aliases: ['CVE-2023-45853'],
        severity: 'critical',
        package: {
          type: 'deb',
          name: 'zlib1g',
          sourceName: 'zlib',
          purl: 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12',
          locations: ['var/lib/dpkg/status'],
        },
      }),
      gate: {
        blocking: false,
        reason: 'not-affected',
        detail:
          'code_not_reachable: MiniZip is not built into zlib1g; only the core library is shipped.',
      },
    },
    {
      name: 'CycloneDX false_positive',
      finding: vulnerability({
        id: 'GHSA-35jh-r3h4-6jhm',
        aliases: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
        ecosystem: 'npm',
        package: {
          type: 'npm',
          name: 'lodash',
          purl: 'pkg:npm/lodash@4.17.20',
          locations: ['app/node_modules/lodash/package.json'],
        },
      }),
      gate: {
        blocking: false,
        reason: 'not-affected',
        detail: 'false_positive: lodash is vendored for tests and never loaded.',
      },
    },
    {
      name: 'CycloneDX exploitable does not suppress',
      finding: vulnerability({
        id: 'CVE-2020-14343',
        aliases: ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4'],
        severity: 'critical',
        ecosystem: 'PyPI',
        package: {
          type: 'python',
          name: 'PyYAML',
          purl: 'pkg:pypi/pyyaml@5.3.1',
          locations: ['usr/lib/python3/dist-packages/PyYAML-5.3.1.dist-info/METADATA'],
        },
      }),
      gate: { blocking: true, rule: 'critical severity with a fix' },
    },
  ])('$name', ({ finding, gate }) => {
    expect(decide(finding, policyWith({ vex: cycloneDx }))).toEqual(gate);
  });

  const statement = (status: VexStatement['status'], timestamp?: string): VexStatement => ({
    vulnerability: 'CVE-2023-5363',
    aliases: [],
    products: ['pkg:deb/debian/libssl3'],
    status,
    ...(status === 'not_affected' ? { justification: 'component_not_present' } : {}),
    ...(timestamp === undefined ? {} : { timestamp }),
    origin: 'vex.json',
  });
  const suppressed: GateDecision = {
    blocking: false,
    reason: 'not-affected',
    detail: 'component_not_present',
  };
  const blocked: GateDecision = { blocking: true, rule: 'high severity with a fix' };

  it.each<{ name: string; vex: VexStatement[]; gate: GateDecision }>([
    {
      name: 'a newer affected statement wins',
      vex: [
        statement('not_affected', '2024-01-01T00:00:00Z'),
        statement('affected', '2024-02-01T00:00:00Z'),
      ],
      gate: blocked,
    },
    {
      name: 'a newer not_affected statement wins',
      vex: [
        statement('affected', '2024-02-01T00:00:00Z'),
        statement('not_affected', '2024-02-02T00:00:00+00:00'),
      ],
      gate: suppressed,
    },
    {
      name: 'an older statement given later loses',
      vex: [
        statement('not_affected', '2024-03-01T00:00:00Z'),
        statement('under_investigation', '2024-01-01T00:00:00Z'),
      ],
      gate: suppressed,
    },
    {
      name: 'without timestamps the last given wins',
      vex: [statement('not_affected'), statement('affected')],
      gate: blocked,
    },
  ])('$name', ({ vex, gate }) => {
    expect(decide(vulnerability(), policyWith({ vex }))).toEqual(gate);
  });

  it('puts VEX before the allow-list', () => {
    const allowList = [{ id: 'CVE-2023-5363', expires: '2030-01-01', reason: 'accepted' }];
    expect(decide(vulnerability(), policyWith({ vex: openVex, allowList }))).toEqual(notAffected);
  });
});

describe('applyGate summary', () => {
  it('counts blocking findings, keeps the rest of the report, and states the rules', () => {
    const input = ungatedReport(
      [
        vulnerability({ severity: 'critical' }),
        vulnerability({ id: 'CVE-2024-0727', aliases: ['CVE-2024-0727'] }),
        vulnerability({ id: 'CVE-2023-6237', aliases: ['CVE-2023-6237'], severity: 'medium' }),
      ],
      [
        violation(),
        violation({
          code: 'POLICY_AUTHORIZED_KEYS',
          evidence: { path: 'root/.ssh/authorized_keys' },
        }),
      ],
    );
    const allowList = [
      { id: 'POLICY_AUTHORIZED_KEYS', expires: '2030-01-01', reason: 'support key' },
    ];
    const { report, warnings } = applyGate(input, policyWith({ allowList }), NOW);
    expect(warnings).toEqual([]);
    expect(report.gate).toEqual({
      passed: false,
      blockingVulnerabilities: 2,
      blockingPolicyViolations: 1,
      rules: [
        'critical or high vulnerabilities with a fix',
        'every policy violation',
        'except allow-listed findings (1 allow-list entry, each until it expires)',
      ],
    });
    expect(report).toEqual({
      ...input,
      vulnerabilities: input.vulnerabilities.map((v) => ({ ...v, gate: expect.any(Object) })),
      policy: {
        ...input.policy,
        violations: input.policy.violations.map((v) => ({ ...v, gate: expect.any(Object) })),
      },
      gate: report.gate,
    });
    expect(report.policy.violations.map((v) => v.gate.blocking)).toEqual([true, false]);
    expect(report.vulnerabilities.map((v) => v.gate.blocking)).toEqual([true, true, false]);
  });

  it('passes a report with nothing blocking', () => {
    const { report } = applyGate(
      ungatedReport([vulnerability({ severity: 'medium' })]),
      DEFAULT_GATE_POLICY,
      NOW,
    );
    expect(report.gate).toMatchObject({
      passed: true,
      blockingVulnerabilities: 0,
      blockingPolicyViolations: 0,
    });
  });
});

describe('describeGateRules', () => {
  it.each<{ policy: Partial<GatePolicy>; rules: string[] }>([
    {
      policy: {},
      rules: ['critical or high vulnerabilities with a fix', 'every policy violation'],
    },
    {
      policy: {
        blockSeverities: ['medium', 'critical', 'high'],
        requireFix: false,
        policyViolations: 'report',
      },
      rules: [
        'critical, high or medium vulnerabilities, with or without a fix',
        'policy violations reported, not blocking',
      ],
    },
    {
      policy: { blockSeverities: ['critical'] },
      rules: ['critical vulnerabilities with a fix', 'every policy violation'],
    },
    {
      policy: { blockSeverities: [] },
      rules: ['no vulnerability blocks', 'every policy violation'],
    },
    {
      policy: {
        allowList: [
          { id: 'CVE-1', expires: '2030-01-01', reason: 'a' },
          { id: 'CVE-2', expires: '2030-01-01', reason: 'b' },
        ],
        vex: [
          {
            vulnerability: 'CVE-3',
            aliases: [],
            products: ['pkg:npm/a'],
            status: 'not_affected',
            origin: 'v.json',
          },
        ],
      },
      rules: [
        'critical or high vulnerabilities with a fix',
        'every policy violation',
        'except allow-listed findings (2 allow-list entries, each until it expires)',
        'except findings marked not affected (1 VEX statement)',
      ],
    },
  ])('$rules', ({ policy, rules }) => {
    expect(describeGateRules(policyWith(policy))).toEqual(rules);
  });
});
