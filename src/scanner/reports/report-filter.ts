import type { ScanReport } from '../scan/scan-report.js';
import type { Severity } from '../severity/severity.js';

/** What a reader asked to see: `--severity` and `--ignore-unfixed`. */
export interface ReportFilter {
  /** Keep only findings of these severities (vulnerabilities and policy violations); all when absent. */
  readonly severities?: readonly Severity[];
  /** Drop vulnerabilities no advisory names a fixed version for. */
  readonly ignoreUnfixed?: boolean;
}

// The gate summary is left as it was: it is the gate's verdict on the whole image, and hiding
// findings must not make a build look clean.
/** Narrows a report to the findings of the given severities, with a fix when asked. */
export function filterReport(report: ScanReport, filter: ReportFilter): ScanReport {
  const wanted = filter.severities === undefined ? undefined : new Set(filter.severities);
  const keeps = (severity: Severity): boolean => wanted === undefined || wanted.has(severity);
  return {
    ...report,
    vulnerabilities: report.vulnerabilities.filter(
      (finding) =>
        keeps(finding.severity) &&
        !(filter.ignoreUnfixed === true && finding.fixedVersion === null),
    ),
    policy: {
      ...report.policy,
      violations: report.policy.violations.filter((finding) => keeps(finding.severity)),
    },
  };
}
