import { describe, expect, it } from 'vitest';
import { filterReport } from '../../../src/scanner/reports/report-filter.js';
import { renderTableReport } from '../../../src/scanner/reports/table-report.js';
import type { ScanReport } from '../../../src/scanner/scan/scan-report.js';
import { expectGolden } from './golden-file.js';
import { sampleReport } from './report-fixture.js';

describe('renderTableReport', () => {
  const text = renderTableReport(sampleReport);

  it('matches the golden report', () => {
    expectGolden('sample-report.txt.golden', text);
  });

  it('matches the golden report at 80 columns, no line wider', () => {
    const narrow = renderTableReport(sampleReport, { width: 80 });
    expectGolden('sample-report-80.txt.golden', narrow);
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('shows the checks that did not run, with the reason', () => {
    expect(text).toContain('not run: malware-clamav (clamscan not installed)');
  });

  it('names the layer and cache state of each layer', () => {
    expect(text).toMatch(/1\. base image sha256:5d0da3dc\S+ \(cached\)/);
    expect(text).toMatch(/2\. installer layer sha256:a7f3e1c2\S+ \(scanned\)/);
  });

  it('shows policy evidence masked as the check gave it, with file and line', () => {
    expect(text).toContain('opt/app/.env:3');
    expect(text).toContain('AWS_SECRET_ACCESS_KEY=wJal********EKEY');
  });

  it('ends with the counts and the verdict', () => {
    expect(text).toContain('high 2, medium 1, low 1');
    expect(text).toContain('gate: FAILED (4 blocking)');
  });

  it('says the gate passed, and that sections are empty, for a clean image', () => {
    const clean: ScanReport = {
      ...filterReport(sampleReport, { severities: [] }),
      policy: { violations: [], ran: sampleReport.policy.ran, notRun: [] },
      warnings: [],
      gate: { passed: true, blockingVulnerabilities: 0, blockingPolicyViolations: 0, rules: [] },
    };
    const cleanText = renderTableReport(clean);
    expect(cleanText).toContain('Vulnerabilities: none');
    expect(cleanText).toContain('Policy violations: none');
    expect(cleanText).toContain('Checks not run: none');
    expect(cleanText).toContain('gate: passed');
  });
});
