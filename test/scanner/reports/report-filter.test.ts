import { describe, expect, it } from 'vitest';
import { filterReport } from '../../../src/scanner/reports/report-filter.js';
import { sampleReport } from './report-fixture.js';

const ids = (report: typeof sampleReport) => report.vulnerabilities.map((v) => v.id);
const codes = (report: typeof sampleReport) => report.policy.violations.map((v) => v.code);

describe('filterReport', () => {
  it('keeps everything without criteria', () => {
    expect(filterReport(sampleReport, {})).toEqual(sampleReport);
  });

  it.each([
    [['high'], ['CVE-2023-5363', 'CVE-2021-23337'], ['POLICY_SSH_PASSWORD_AUTH']],
    [['critical'], [], ['POLICY_CLOUD_CREDENTIALS']],
    [['medium', 'low'], ['CVE-2022-25883', 'CVE-2023-6277'], []],
    [['negligible', 'unknown'], [], []],
    [[], [], []],
  ] as const)(
    'keeps severities %j: vulnerabilities %j and policy findings %j',
    (severities, vulnerabilities, policy) => {
      const filtered = filterReport(sampleReport, { severities });
      expect(ids(filtered)).toEqual(vulnerabilities);
      expect(codes(filtered)).toEqual(policy);
    },
  );

  it('drops only vulnerabilities without a fix when ignoring unfixed ones', () => {
    const filtered = filterReport(sampleReport, { ignoreUnfixed: true });
    expect(ids(filtered)).toEqual(['CVE-2023-5363', 'CVE-2021-23337', 'CVE-2022-25883']);
    expect(codes(filtered)).toEqual(codes(sampleReport));
  });

  it('combines both criteria', () => {
    const filtered = filterReport(sampleReport, { severities: ['low'], ignoreUnfixed: true });
    expect(ids(filtered)).toEqual([]);
  });

  it('leaves the gate verdict, the checks and everything else as they were', () => {
    const filtered = filterReport(sampleReport, { severities: ['low'] });
    expect(filtered.gate).toEqual(sampleReport.gate);
    expect(filtered.policy.notRun).toEqual(sampleReport.policy.notRun);
    expect(filtered.policy.ran).toEqual(sampleReport.policy.ran);
    expect(filtered.packages).toEqual(sampleReport.packages);
    expect(sampleReport.vulnerabilities).toHaveLength(4);
  });
});
