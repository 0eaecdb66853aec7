import type { ScanReport } from '../scan/scan-report.js';

/** Renders the report in Goldsmith's own form as pretty JSON text, ending with a newline. */
export function renderJsonReport(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
