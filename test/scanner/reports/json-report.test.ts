import { describe, expect, it } from 'vitest';
import { renderJsonReport } from '../../../src/scanner/reports/json-report.js';
import { sampleReport } from './report-fixture.js';

describe('renderJsonReport', () => {
  it('round-trips the report as indented JSON', () => {
    const text = renderJsonReport(sampleReport);
    expect(JSON.parse(text)).toEqual(sampleReport);
    expect(text).toContain('\n  "reportVersion": 1,\n');
  });
});
