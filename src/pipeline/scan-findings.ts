import { makeFinding } from '../domain/findings/finding-catalogue.js';
import type { Finding, FindingSeverity } from '../domain/types.js';
import { describeLayer } from '../scanner/layers/layer-origin.js';
import type { ScanReport } from '../scanner/scan/scan-report.js';
import type { Severity } from '../scanner/severity/severity.js';

/** How many blocking vulnerabilities become findings; the report lists them all. */
const MAX_VULNERABILITY_FINDINGS = 50;

const FINDING_SEVERITY: Readonly<Record<Severity, FindingSeverity>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  negligible: 'info',
  unknown: 'info',
};

/**
 * The findings of a gated scan: one per blocking policy violation and one per blocking
 * vulnerability (the most severe first, at most MAX_VULNERABILITY_FINDINGS), each naming the
 * layer that brought it, so a seller sees at once whether the problem is theirs.
 */
export function scanFindings(report: ScanReport): Finding[] {
  const findings: Finding[] = [];
  for (const violation of report.policy.violations) {
    if (!violation.gate.blocking) continue;
    const layer = violation.layer === undefined ? '' : ` (${describeLayer(violation.layer)})`;
    findings.push({
      code: violation.code,
      severity: violation.severity,
      message: `${violation.message}${layer}`,
      remedy: violation.remedy,
      evidence: {
        ...violation.evidence,
        ...(violation.layer === undefined ? {} : { layer: violation.layer.role ?? 'image' }),
      },
    });
  }
  const blocking = report.vulnerabilities.filter((v) => v.gate.blocking);
  for (const v of blocking.slice(0, MAX_VULNERABILITY_FINDINGS)) {
    const source =
      v.package.sourceName !== undefined && v.package.sourceName !== v.package.name
        ? ` (source ${v.package.sourceName} ${v.package.sourceVersion ?? ''})`.replace(' )', ')')
        : '';
    const layer = v.layer === undefined ? '' : `, ${describeLayer(v.layer)}`;
    const finding = makeFinding(
      'VULNERABLE_PACKAGE',
      `${v.id} (${v.severity}) in ${v.package.name} ${v.installedVersion}${source}: fixed in ${v.fixedVersion ?? 'no version yet'}${layer}`,
      {
        id: v.id,
        aliases: v.aliases,
        package: v.package.name,
        sourcePackage: v.package.sourceName ?? null,
        installedVersion: v.installedVersion,
        fixedVersion: v.fixedVersion,
        severity: v.severity,
        severitySource: v.severitySource,
        layer: v.layer?.role ?? null,
        ...(v.summary === undefined ? {} : { summary: v.summary }),
      },
    );
    findings.push({ ...finding, severity: FINDING_SEVERITY[v.severity] });
  }
  if (blocking.length > MAX_VULNERABILITY_FINDINGS) {
    const more = blocking.length - MAX_VULNERABILITY_FINDINGS;
    const last = findings.at(-1)!;
    findings[findings.length - 1] = {
      ...last,
      message: `${last.message}; and ${more} more blocking vulnerabilities in the scan report`,
    };
  }
  return findings;
}
