import { describe, expect, it } from 'vitest';
import { renderSarifReport, toSarifLog } from '../../../src/scanner/reports/sarif-report.js';
import { scoreCvss3 } from '../../../src/scanner/severity/cvss3.js';
import { expectGolden } from './golden-file.js';
import { sampleReport } from './report-fixture.js';
import { sarifValidator } from './schema-validators.js';

describe('toSarifLog', () => {
  const text = renderSarifReport(sampleReport);
  const log = toSarifLog(sampleReport);
  const run = log.runs[0];
  const validate = sarifValidator();
  const result = (ruleId: string) => run.results.find((r) => r.ruleId === ruleId);
  const rule = (id: string) => run.tool.driver.rules.find((r) => r.id === id);

  it('matches the golden log', () => {
    expectGolden('sample-report.sarif.golden', text);
  });

  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(validate(JSON.parse(text))).toEqual([]);
  });

  it.each([
    ['a log without runs', { ...log, runs: undefined }],
    ['a result without a message', { ...log, runs: [{ ...run, results: [{ ruleId: 'x' }] }] }],
    [
      'an unknown level',
      { ...log, runs: [{ ...run, results: [{ ...run.results[0], level: 'fatal' }] }] },
    ],
  ])('fails validation for %s', (_what, broken) => {
    expect(validate(JSON.parse(JSON.stringify(broken)))).not.toEqual([]);
  });

  it('takes the fixture scores from the CVSS calculator', () => {
    for (const finding of sampleReport.vulnerabilities) {
      if (finding.vector !== null) expect(scoreCvss3(finding.vector).baseScore).toBe(finding.score);
    }
  });

  it('has one rule per vulnerability id and per policy code', () => {
    expect(run.tool.driver).toMatchObject({ name: 'goldsmith', version: '0.1.0' });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'CVE-2023-5363',
      'CVE-2021-23337',
      'CVE-2022-25883',
      'CVE-2023-6277',
      'POLICY_CLOUD_CREDENTIALS',
      'POLICY_SSH_PASSWORD_AUTH',
    ]);
    expect(rule('CVE-2023-5363')).toMatchObject({
      help: {
        text: 'Upgrade libssl3 (source package openssl) from 3.0.9-1 to 3.0.11-1~deb12u2 or later.',
      },
      properties: { 'security-severity': '7.5', tags: ['security', 'vulnerability', 'high'] },
    });
    expect(rule('CVE-2023-6277')?.properties['security-severity']).toBeUndefined();
    expect(rule('POLICY_CLOUD_CREDENTIALS')).toMatchObject({
      shortDescription: { text: 'The image contains cloud credentials' },
      properties: { tags: ['security', 'policy', 'critical'] },
    });
  });

  it.each([
    ['CVE-2023-5363', 'error'],
    ['CVE-2022-25883', 'warning'],
    ['CVE-2023-6277', 'note'],
    ['POLICY_CLOUD_CREDENTIALS', 'error'],
  ])('gives %s the level %s', (ruleId, level) => {
    expect(result(ruleId)?.level).toBe(level);
  });

  it('locates a vulnerability at the file that recorded its package', () => {
    expect(result('CVE-2023-5363')).toMatchObject({
      message: {
        text: 'libssl3 3.0.9-1 (source package openssl) is affected by CVE-2023-5363 (also DSA-5532-1); fixed in 3.0.11-1~deb12u2',
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'var/lib/dpkg/status' } } }],
      properties: { layer: 'base image', gate: 'blocks the build (high severity with a fix)' },
    });
  });

  it('locates a policy violation at its file and line', () => {
    expect(result('POLICY_CLOUD_CREDENTIALS')).toMatchObject({
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'opt/app/.env' },
            region: { startLine: 3 },
          },
        },
      ],
      properties: { layer: 'installer layer', blocking: true },
    });
  });

  it('reports the checks that did not run as notifications', () => {
    expect(run.invocations[0]?.toolExecutionNotifications).toContainEqual({
      level: 'warning',
      message: { text: 'not run: malware-clamav (clamscan not installed)' },
    });
  });
});
