/**
 * The scan report as a SARIF 2.1.0 log, for code-scanning dashboards: one rule per vulnerability
 * id and per policy code, one result per finding, located at the file that recorded the package
 * (or held the policy evidence). Checks not run and warnings are tool notifications.
 */
import { describeLayer } from '../layers/layer-origin.js';
import { POLICY_FINDING_CATALOGUE } from '../policy/policy-finding-catalogue.js';
import type { PolicyFindingKind } from '../policy/policy-finding-catalogue.js';
import { SEVERITY_ORDER } from '../scan/scan-report.js';
import type {
  AnySeverity,
  PolicyFinding,
  ScanReport,
  VulnerabilityFinding,
} from '../scan/scan-report.js';
import {
  advisoryUrl,
  describeGateFully,
  describeNotRun,
  describeRemedy,
  describeVulnerability,
  otherIds,
} from './finding-text.js';

/** A SARIF message or multiformat message string. */
export interface SarifText {
  readonly text: string;
}

/** A SARIF reportingDescriptor: what one rule checks. */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifText;
  readonly fullDescription: SarifText;
  readonly helpUri?: string;
  readonly help: SarifText;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: {
    readonly 'security-severity'?: string;
    readonly tags: readonly string[];
  };
}

/** SARIF result levels Goldsmith uses. */
export type SarifLevel = 'error' | 'warning' | 'note';

/** One finding as a SARIF result. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifText;
  readonly locations?: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string };
      readonly region?: { readonly startLine: number };
    };
  }[];
  readonly properties: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** The subset of a SARIF 2.1.0 log that Goldsmith writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: 'goldsmith';
          readonly version: string;
          readonly rules: readonly SarifRule[];
        };
      };
      readonly invocations: readonly {
        readonly executionSuccessful: boolean;
        readonly toolExecutionNotifications: readonly {
          readonly level: SarifLevel;
          readonly message: SarifText;
        }[];
      }[];
      readonly results: readonly SarifResult[];
      readonly properties: Readonly<Record<string, string | number | boolean>>;
    },
  ];
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Critical and high must be fixed, medium should be; everything else is for information. */
function levelOf(severity: AnySeverity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

function worst(severities: readonly AnySeverity[]): AnySeverity {
  return SEVERITY_ORDER.find((severity) => severities.includes(severity)) ?? 'unknown';
}

function vulnerabilityRule(id: string, findings: readonly VulnerabilityFinding[]): SarifRule {
  const first = findings[0];
  const scores = findings.flatMap((f) => (f.score === null ? [] : [f.score]));
  const severity = worst(findings.map((f) => f.severity));
  const packages = [...new Set(findings.map((f) => f.package.name))].join(', ');
  const ids = [...new Set(findings.flatMap((f) => [f.id, ...otherIds(f)]))];
  return {
    id,
    name: id,
    shortDescription: { text: `${id}: ${first?.summary ?? `vulnerability in ${packages}`}` },
    fullDescription: {
      text: `${first?.summary ?? id} (${ids.join(', ')}), in ${packages}.`,
    },
    helpUri: advisoryUrl(id),
    help: { text: findings.map(describeRemedy).join('\n') },
    defaultConfiguration: { level: levelOf(severity) },
    properties: {
      ...(scores.length === 0 ? {} : { 'security-severity': Math.max(...scores).toFixed(1) }),
      tags: ['security', 'vulnerability', severity],
    },
  };
}

function policyKind(code: string): PolicyFindingKind | undefined {
  return Object.hasOwn(POLICY_FINDING_CATALOGUE, code)
    ? (POLICY_FINDING_CATALOGUE as Readonly<Record<string, PolicyFindingKind>>)[code]
    : undefined;
}

function policyRule(code: string, findings: readonly PolicyFinding[]): SarifRule {
  const kind = policyKind(code);
  const severity = worst(findings.map((f) => f.severity));
  return {
    id: code,
    name: code,
    shortDescription: { text: kind?.title ?? code },
    fullDescription: { text: kind?.rule ?? findings[0]?.message ?? code },
    help: { text: kind?.remedy ?? findings[0]?.remedy ?? code },
    defaultConfiguration: { level: levelOf(severity) },
    properties: { tags: ['security', 'policy', severity] },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function vulnerabilityResult(finding: VulnerabilityFinding, ruleIndex: number): SarifResult {
  const uri = finding.package.locations[0];
  return {
    ruleId: finding.id,
    ruleIndex,
    level: levelOf(finding.severity),
    message: { text: describeVulnerability(finding) },
    ...(uri === undefined
      ? {}
      : { locations: [{ physicalLocation: { artifactLocation: { uri } } }] }),
    properties: {
      package: finding.package.name,
      ...(finding.package.sourceName === undefined
        ? {}
        : { sourcePackage: finding.package.sourceName }),
      ...(finding.package.sourceVersion === undefined
        ? {}
        : { sourceVersion: finding.package.sourceVersion }),
      installedVersion: finding.installedVersion,
      fixedVersion: finding.fixedVersion ?? 'none',
      purl: finding.package.purl,
      ids: [finding.id, ...otherIds(finding)],
      severity: finding.severity,
      ...(finding.layer === undefined ? {} : { layer: describeLayer(finding.layer) }),
      gate: describeGateFully(finding.gate),
      blocking: finding.gate.blocking,
    },
  };
}

function policyResult(finding: PolicyFinding, ruleIndex: number): SarifResult {
  const { path, line } = finding.evidence;
  return {
    ruleId: finding.code,
    ruleIndex,
    level: levelOf(finding.severity),
    message: {
      text:
        finding.message +
        (finding.evidence.excerpt === undefined ? '' : ` (${finding.evidence.excerpt})`),
    },
    ...(path === undefined
      ? {}
      : {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: path },
                ...(line === undefined ? {} : { region: { startLine: line } }),
              },
            },
          ],
        }),
    properties: {
      checkId: finding.checkId,
      severity: finding.severity,
      ...(finding.layer === undefined ? {} : { layer: describeLayer(finding.layer) }),
      gate: describeGateFully(finding.gate),
      blocking: finding.gate.blocking,
    },
  };
}

/** Builds the SARIF 2.1.0 log of a scan report. */
export function toSarifLog(report: ScanReport): SarifLog {
  const vulnerabilityGroups = groupBy(report.vulnerabilities, (f) => f.id);
  const policyGroups = groupBy(report.policy.violations, (f) => f.code);
  const rules = [
    ...[...vulnerabilityGroups].map(([id, findings]) => vulnerabilityRule(id, findings)),
    ...[...policyGroups].map(([code, findings]) => policyRule(code, findings)),
  ];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const { gate } = report;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'goldsmith', version: report.scanner.version, rules } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...report.policy.notRun.map((check) => ({
                level: 'warning' as const,
                message: { text: describeNotRun(check) },
              })),
              ...report.warnings.map((text) => ({ level: 'note' as const, message: { text } })),
            ],
          },
        ],
        results: [
          ...report.vulnerabilities.map((f) => vulnerabilityResult(f, ruleIndex.get(f.id) ?? 0)),
          ...report.policy.violations.map((f) => policyResult(f, ruleIndex.get(f.code) ?? 0)),
        ],
        properties: {
          target: report.target.name,
          createdAt: report.createdAt,
          advisoryDatabase: report.advisoryDatabase.id,
          gatePassed: gate.passed,
          blockingFindings: gate.blockingVulnerabilities + gate.blockingPolicyViolations,
        },
      },
    ],
  };
}

/** Renders the report as SARIF 2.1.0 JSON text. */
export function renderSarifReport(report: ScanReport): string {
  return `${JSON.stringify(toSarifLog(report), null, 2)}\n`;
}
