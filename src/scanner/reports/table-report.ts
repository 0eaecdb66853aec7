/**
 * The scan report as plain text for a terminal: what was scanned, every vulnerability and policy
 * violation with the layer that brought it and the gate's decision, the checks that could not
 * run, and a one-line verdict.
 */
import { describeLayer } from '../layers/layer-origin.js';
import type { LayerOrigin } from '../layers/layer-origin.js';
import type { PolicySeverity } from '../policy/policy-check.js';
import { SEVERITY_ORDER } from '../scan/scan-report.js';
import type { ScanReport } from '../scan/scan-report.js';
import {
  describeEvidenceLocation,
  describeGate,
  describeNotRun,
  describeSourcePackage,
  otherIds,
} from './finding-text.js';
import { renderTextTable, wrapText } from './text-table-layout.js';
import type { TextColumn, TextRow } from './text-table-layout.js';

/** How the table report is laid out. */
export interface TableReportOptions {
  /** Line width to fit (a terminal's columns); 120 when absent. */
  readonly width?: number;
}

const DEFAULT_WIDTH = 120;

const VULNERABILITY_COLUMNS: readonly TextColumn[] = [
  { header: 'SEVERITY' },
  { header: 'ID' },
  { header: 'PACKAGE', minWidth: 7 },
  { header: 'SOURCE', minWidth: 6 },
  { header: 'INSTALLED', minWidth: 9 },
  { header: 'FIXED', minWidth: 6 },
  { header: 'LAYER', minWidth: 9 },
  { header: 'GATE', minWidth: 6 },
];

const POLICY_COLUMNS: readonly TextColumn[] = [
  { header: 'SEVERITY' },
  { header: 'CODE', minWidth: 12 },
  { header: 'LOCATION', minWidth: 12 },
  { header: 'LAYER', minWidth: 9 },
  { header: 'GATE', minWidth: 6 },
  { header: 'MESSAGE', minWidth: 20, shrinkFirst: true },
];

const LABEL_WIDTH = 12;

/** A header line, `Label:     value`, wrapped under the value. */
function labelled(label: string, value: string, width: number): string[] {
  return wrapText(value, width - LABEL_WIDTH).map(
    (line, index) =>
      `${(index === 0 && label !== '' ? `${label}:` : '').padEnd(LABEL_WIDTH)}${line}`,
  );
}

function layerText(layer: LayerOrigin | undefined): string {
  return layer === undefined ? '-' : describeLayer(layer);
}

function header(report: ScanReport, width: number): string[] {
  const { target, advisoryDatabase: db } = report;
  const targetText =
    `${target.name} (${target.kind})` +
    (target.imageId === undefined || target.imageId === target.name
      ? ''
      : `, image ${target.imageId}`) +
    (target.manifestDigest === undefined ? '' : `, manifest ${target.manifestDigest}`);
  const layers =
    report.layers.length === 0
      ? ['none (a single root filesystem)']
      : report.layers.map(
          (layer) =>
            `${layer.origin.index + 1}. ${describeLayer(layer.origin)}` +
            (layer.origin.digest === null ? '' : ` ${layer.origin.digest}`) +
            (layer.cached ? ' (cached)' : ' (scanned)'),
        );
  return [
    ...wrapText(
      `Scan report by ${report.scanner.name} ${report.scanner.version}, ${report.createdAt}`,
      width,
    ),
    ...labelled('Target', targetText, width),
    ...labelled('OS', report.os === undefined ? 'unknown' : report.os.prettyName, width),
    ...labelled(
      'Advisories',
      `${db.records} records, newest ${db.newestModified ?? 'none'} (database ${db.id})`,
      width,
    ),
    ...labelled('Packages', String(report.packages.length), width),
    ...layers.flatMap((text, index) => labelled(index === 0 ? 'Layers' : '', text, width)),
  ];
}

function vulnerabilitySection(report: ScanReport, width: number): string[] {
  if (report.vulnerabilities.length === 0) return ['Vulnerabilities: none'];
  const rows: TextRow[] = report.vulnerabilities.map((finding) => {
    const notes: string[] = [];
    const others = otherIds(finding);
    if (others.length > 0) notes.push(`also: ${others.join(', ')}`);
    if (!finding.gate.blocking && finding.gate.detail !== undefined) {
      notes.push(`gate: ${finding.gate.reason}: ${finding.gate.detail}`);
    }
    return {
      cells: [
        finding.severity,
        finding.id,
        finding.package.name,
        describeSourcePackage(finding) ?? '-',
        finding.installedVersion,
        finding.fixedVersion ?? 'no fix',
        layerText(finding.layer),
        describeGate(finding.gate),
      ],
      notes,
    };
  });
  return [
    `Vulnerabilities (${report.vulnerabilities.length})`,
    ...renderTextTable(VULNERABILITY_COLUMNS, rows, width, 1),
  ];
}

function policySection(report: ScanReport, width: number): string[] {
  const { violations } = report.policy;
  if (violations.length === 0) return ['Policy violations: none'];
  const rows: TextRow[] = violations.map((finding) => ({
    cells: [
      finding.severity,
      finding.code,
      describeEvidenceLocation(finding.evidence) ?? '-',
      layerText(finding.layer),
      describeGate(finding.gate),
      finding.message,
    ],
    notes: [
      ...(finding.evidence.excerpt === undefined ? [] : [`evidence: ${finding.evidence.excerpt}`]),
      `fix: ${finding.remedy}`,
    ],
  }));
  return [
    `Policy violations (${violations.length})`,
    ...renderTextTable(POLICY_COLUMNS, rows, width, 1),
  ];
}

function checksSection(report: ScanReport, width: number): string[] {
  const { ran, notRun } = report.policy;
  const lines = wrapText(
    `Checks run: ${ran.length === 0 ? 'none' : ran.map((c) => c.checkId).join(', ')}`,
    width,
  );
  if (notRun.length === 0) return [...lines, 'Checks not run: none'];
  lines.push(`Checks not run (${notRun.length}):`);
  for (const check of notRun) lines.push(...indented(describeNotRun(check), width));
  return lines;
}

function indented(text: string, width: number): string[] {
  return wrapText(text, width - 2).map((line) => `  ${line}`);
}

/** Policy severities stop at low (PolicySeverity). */
const POLICY_SEVERITY_ORDER: readonly PolicySeverity[] = ['critical', 'high', 'medium', 'low'];

function summary(report: ScanReport, width: number): string[] {
  const counts = (order: readonly string[], severities: readonly string[]) =>
    order
      .map((severity) => `${severity} ${severities.filter((s) => s === severity).length}`)
      .join(', ');
  const { gate } = report;
  const blocking = gate.blockingVulnerabilities + gate.blockingPolicyViolations;
  const verdict = gate.passed ? 'gate: passed' : `gate: FAILED (${blocking} blocking)`;
  return [
    ...wrapText(
      `Summary: ${report.vulnerabilities.length} vulnerabilities (` +
        `${counts(
          SEVERITY_ORDER,
          report.vulnerabilities.map((v) => v.severity),
        )}); ` +
        `${report.policy.violations.length} policy violations (` +
        `${counts(
          POLICY_SEVERITY_ORDER,
          report.policy.violations.map((v) => v.severity),
        )}); ` +
        verdict,
      width,
    ),
    ...(gate.rules.length === 0 ? [] : wrapText(`Gate rules: ${gate.rules.join('; ')}`, width)),
  ];
}

/** Renders the report as plain text for a terminal, fitted to `width` columns where it can be. */
export function renderTableReport(report: ScanReport, options: TableReportOptions = {}): string {
  const width = Math.max(40, options.width ?? DEFAULT_WIDTH);
  const sections = [
    header(report, width),
    vulnerabilitySection(report, width),
    policySection(report, width),
    checksSection(report, width),
    report.warnings.length === 0
      ? ['Warnings: none']
      : [
          `Warnings (${report.warnings.length}):`,
          ...report.warnings.flatMap((w) => indented(`- ${w}`, width)),
        ],
    summary(report, width),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
