/**
 * Every output format of a scan report, in one explicit registry: adding a format is one file
 * plus one line here.
 */
import type { ScanReport } from '../scan/scan-report.js';
import { renderCycloneDxReport } from './cyclonedx-report.js';
import { renderJsonReport } from './json-report.js';
import { renderSarifReport } from './sarif-report.js';
import { renderSpdxReport } from './spdx-report.js';
import { renderTableReport } from './table-report.js';

/** The names `--format` accepts. */
export type ReportFormatName = 'table' | 'json' | 'cyclonedx' | 'spdx' | 'sarif';

/** One output format: how to name, serve and render it. */
export interface ReportFormat {
  readonly name: ReportFormatName;
  /** The media type to serve it with (RFC 6838). */
  readonly mediaType: string;
  /** The file name extension to save it with, without the leading dot. */
  readonly fileExtension: string;
  render(report: ScanReport): string;
}

/** The output formats by name. */
export const REPORT_FORMATS: Readonly<Record<ReportFormatName, ReportFormat>> = {
  table: {
    name: 'table',
    mediaType: 'text/plain; charset=utf-8',
    fileExtension: 'txt',
    render: (report) => renderTableReport(report),
  },
  json: {
    name: 'json',
    mediaType: 'application/json',
    fileExtension: 'json',
    render: renderJsonReport,
  },
  cyclonedx: {
    name: 'cyclonedx',
    mediaType: 'application/vnd.cyclonedx+json; version=1.6',
    fileExtension: 'cdx.json',
    render: renderCycloneDxReport,
  },
  spdx: {
    name: 'spdx',
    mediaType: 'application/spdx+json',
    fileExtension: 'spdx.json',
    render: renderSpdxReport,
  },
  sarif: {
    name: 'sarif',
    mediaType: 'application/sarif+json',
    fileExtension: 'sarif',
    render: renderSarifReport,
  },
};

/** The format of that name, or undefined when there is none. */
export function findReportFormat(name: string): ReportFormat | undefined {
  return Object.hasOwn(REPORT_FORMATS, name) ? REPORT_FORMATS[name as ReportFormatName] : undefined;
}
