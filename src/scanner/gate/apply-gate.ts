/**
 * The gate: gives each finding of a scan its {@link GateDecision} and sums them up. Precedence,
 * per the issue: a VEX not_affected statement first (the finding is not real), then the
 * allow-list (the risk is accepted), then the thresholds.
 */
import type {
  GateDecision,
  PolicyFinding,
  ScanReport,
  UngatedScanReport,
  UngatedVulnerability,
  VulnerabilityFinding,
} from '../scan/scan-report.js';
import type { PolicyViolation } from '../policy/policy-check.js';
import { type AllowListEntry, isAllowListEntryActive } from './allow-list.js';
import { type GatePolicy, describeGateRules } from './gate-policy.js';
import { type ParsedPurl, parsePurl, purlMatches } from './purl-match.js';
import type { VexStatement } from './vex.js';

/** A report with the gate's decisions, and what the gate has to say about its configuration. */
export interface GateResult {
  readonly report: ScanReport;
  readonly warnings: string[];
}

/** A VEX statement prepared for matching: ids folded, purls parsed once. */
interface IndexedStatement {
  readonly statement: VexStatement;
  readonly ids: ReadonlySet<string>;
  readonly products: readonly ParsedPurl[];
  readonly time: number;
}

/** Vulnerability ids compare case-insensitively: `cve-2023-5363` is `CVE-2023-5363`. */
const foldId = (id: string): string => id.toUpperCase();

function indexStatements(statements: readonly VexStatement[]): IndexedStatement[] {
  return statements.map((statement) => ({
    statement,
    ids: new Set([statement.vulnerability, ...statement.aliases].map(foldId)),
    products: statement.products
      .map(parsePurl)
      .filter((purl): purl is ParsedPurl => purl !== undefined),
    time: statement.timestamp === undefined ? -Infinity : Date.parse(statement.timestamp),
  }));
}

/**
 * The statement that decides for `finding`: among those naming one of its ids and its package,
 * the newest (OpenVEX §Statement: later statements supersede earlier ones); on a tie, the one
 * given last.
 */
function decidingStatement(
  finding: UngatedVulnerability,
  statements: readonly IndexedStatement[],
): VexStatement | undefined {
  const purl = parsePurl(finding.package.purl);
  if (purl === undefined) return undefined;
  const ids = [finding.id, ...finding.aliases].map(foldId);
  let best: IndexedStatement | undefined;
  for (const candidate of statements) {
    if (!ids.some((id) => candidate.ids.has(id))) continue;
    if (!candidate.products.some((product) => purlMatches(product, purl))) continue;
    if (best === undefined || candidate.time >= best.time) best = candidate;
  }
  return best?.statement;
}

/** True when a vulnerability entry names this package by binary or source name, or by purl. */
function entryCoversPackage(entry: AllowListEntry, finding: UngatedVulnerability): boolean {
  if (entry.package === undefined) return true;
  if (entry.package.startsWith('pkg:')) return purlMatches(entry.package, finding.package.purl);
  return entry.package === finding.package.name || entry.package === finding.package.sourceName;
}

function allowListed(entry: AllowListEntry): GateDecision {
  return {
    blocking: false,
    reason: 'allow-listed',
    detail: `${entry.reason} (until ${entry.expires})`,
  };
}

function decideVulnerability(
  finding: UngatedVulnerability,
  policy: GatePolicy,
  statements: readonly IndexedStatement[],
  activeEntries: readonly AllowListEntry[],
): GateDecision {
  const statement = decidingStatement(finding, statements);
  if (statement?.status === 'not_affected') {
    return {
      blocking: false,
      reason: 'not-affected',
      ...(statement.justification === undefined ? {} : { detail: statement.justification }),
    };
  }
  const ids = new Set([finding.id, ...finding.aliases].map(foldId));
  const entry = activeEntries.find(
    (candidate) => ids.has(foldId(candidate.id)) && entryCoversPackage(candidate, finding),
  );
  if (entry !== undefined) return allowListed(entry);
  // `unknown` is below every threshold unless the installation lists it.
  if (!policy.blockSeverities.includes(finding.severity)) {
    return { blocking: false, reason: 'below-threshold' };
  }
  if (policy.requireFix) {
    // A seller cannot upgrade to a version that does not exist yet.
    if (finding.fixedVersion === null) return { blocking: false, reason: 'no-fix' };
    return { blocking: true, rule: `${finding.severity} severity with a fix` };
  }
  return { blocking: true, rule: `${finding.severity} severity` };
}

function decidePolicy(
  violation: PolicyViolation,
  policy: GatePolicy,
  activeEntries: readonly AllowListEntry[],
): GateDecision {
  const entry = activeEntries.find(
    (candidate) =>
      candidate.id === violation.code &&
      (candidate.path === undefined || candidate.path === violation.evidence.path),
  );
  if (entry !== undefined) return allowListed(entry);
  if (policy.policyViolations === 'report') return { blocking: false, reason: 'below-threshold' };
  return { blocking: true, rule: 'policy violation' };
}

/**
 * Applies `policy` to a scan at time `now` (allow-list expiry is judged against it): every
 * finding gets its decision, the summary counts blocking ones, and gate warnings (expired
 * allow-list entries) are returned and appended to the report's warnings.
 */
export function applyGate(report: UngatedScanReport, policy: GatePolicy, now: Date): GateResult {
  const warnings: string[] = [];
  const activeEntries: AllowListEntry[] = [];
  for (const entry of policy.allowList) {
    if (isAllowListEntryActive(entry, now)) activeEntries.push(entry);
    else warnings.push(`allow-list entry ${entry.id} expired on ${entry.expires}`);
  }
  const statements = indexStatements(policy.vex);

  const vulnerabilities: VulnerabilityFinding[] = report.vulnerabilities.map((finding) => ({
    ...finding,
    gate: decideVulnerability(finding, policy, statements, activeEntries),
  }));
  const violations: PolicyFinding[] = report.policy.violations.map((violation) => ({
    ...violation,
    gate: decidePolicy(violation, policy, activeEntries),
  }));

  const blockingVulnerabilities = vulnerabilities.filter((v) => v.gate.blocking).length;
  const blockingPolicyViolations = violations.filter((v) => v.gate.blocking).length;
  const uniqueWarnings = [...new Set(warnings)];
  return {
    report: {
      ...report,
      vulnerabilities,
      policy: { ...report.policy, violations },
      warnings: [...report.warnings, ...uniqueWarnings],
      gate: {
        passed: blockingVulnerabilities === 0 && blockingPolicyViolations === 0,
        blockingVulnerabilities,
        blockingPolicyViolations,
        rules: describeGateRules(policy),
      },
    },
    warnings: uniqueWarnings,
  };
}
