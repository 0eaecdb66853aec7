import { describe, expect, it } from 'vitest';
import {
  findReportFormat,
  REPORT_FORMATS,
  type ReportFormatName,
} from '../../../src/scanner/reports/report-formats.js';
import type { VulnerabilityFinding } from '../../../src/scanner/scan/scan-report.js';
import { sampleReport } from './report-fixture.js';

/** The part of each format's output that speaks of one vulnerability. */
const ENTRY_OF: Record<
  ReportFormatName,
  (output: string, finding: VulnerabilityFinding) => string
> = {
  table: (output, finding) => {
    // The finding's row and its continuation lines (indented), up to the next row.
    const lines = output.split('\n');
    const start = lines.findIndex((line) => line.includes(` ${finding.id} `));
    const end = lines.findIndex((line, index) => index > start && !line.startsWith(' '));
    return lines.slice(start, end).join('\n');
  },
  json: (output, finding) => {
    const report = JSON.parse(output) as { vulnerabilities: { id: string }[] };
    return JSON.stringify(report.vulnerabilities.find((v) => v.id === finding.id));
  },
  cyclonedx: (output, finding) => {
    const bom = JSON.parse(output) as { vulnerabilities: { id: string }[] };
    return JSON.stringify(bom.vulnerabilities.find((v) => v.id === finding.id));
  },
  spdx: (output, finding) => {
    const document = JSON.parse(output) as {
      packages: { externalRefs?: { referenceType: string; comment?: string }[] }[];
    };
    const refs = document.packages.flatMap((pkg) => pkg.externalRefs ?? []);
    return (
      refs.find((ref) => ref.referenceType === 'advisory' && ref.comment?.startsWith(finding.id))
        ?.comment ?? ''
    );
  },
  sarif: (output, finding) => {
    const log = JSON.parse(output) as { runs: { results: { ruleId: string }[] }[] };
    return JSON.stringify(log.runs[0]?.results.find((r) => r.ruleId === finding.id));
  },
};

describe('REPORT_FORMATS', () => {
  it('has one entry per format, each under its own name', () => {
    expect(Object.keys(REPORT_FORMATS).sort()).toEqual([
      'cyclonedx',
      'json',
      'sarif',
      'spdx',
      'table',
    ]);
    for (const [name, format] of Object.entries(REPORT_FORMATS)) expect(format.name).toBe(name);
  });

  it.each([
    ['table', 'text/plain; charset=utf-8', 'txt'],
    ['json', 'application/json', 'json'],
    ['cyclonedx', 'application/vnd.cyclonedx+json; version=1.6', 'cdx.json'],
    ['spdx', 'application/spdx+json', 'spdx.json'],
    ['sarif', 'application/sarif+json', 'sarif'],
  ])('serves %s as %s, saved as .%s', (name, mediaType, fileExtension) => {
    expect(findReportFormat(name)).toMatchObject({ name, mediaType, fileExtension });
  });

  it('finds no format for an unknown or inherited name', () => {
    expect(findReportFormat('xml')).toBeUndefined();
    expect(findReportFormat('toString')).toBeUndefined();
  });

  describe.each(Object.keys(REPORT_FORMATS) as ReportFormatName[])('%s', (name) => {
    const output = REPORT_FORMATS[name].render(sampleReport);

    it.each(sampleReport.vulnerabilities.map((finding) => [finding.id, finding] as const))(
      'names the package, source, versions and every id of %s',
      (_id, finding) => {
        const entry = ENTRY_OF[name](output, finding);
        expect(entry).toContain(finding.package.name);
        if (finding.package.sourceName !== undefined) {
          expect(entry).toContain(finding.package.sourceName);
        }
        expect(entry).toContain(finding.installedVersion);
        if (finding.fixedVersion === null) expect(entry).toMatch(/no fix|"fixedVersion":null/);
        else expect(entry).toContain(finding.fixedVersion);
        for (const id of [finding.id, ...finding.aliases]) expect(entry).toContain(id);
        for (const advisory of finding.advisories) expect(entry).toContain(advisory.id);
      },
    );

    it('ends with a newline and is deterministic', () => {
      expect(output.endsWith('\n')).toBe(true);
      expect(REPORT_FORMATS[name].render(sampleReport)).toBe(output);
    });
  });
});
