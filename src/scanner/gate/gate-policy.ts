/**
 * The gate's rules: which findings block a build. The default: "critical and high
 * vulnerabilities that have a fix, and every policy violation"; an installation may change the
 * thresholds, accept risks (allow-list) and load VEX statements.
 */
import { SEVERITY_ORDER } from '../scan/scan-report.js';
import type { Severity } from '../severity/severity.js';
import type { AllowListEntry } from './allow-list.js';
import type { VexStatement } from './vex.js';

/** How policy violations count: they stop the build, or are only shown. */
export type PolicyViolationMode = 'block' | 'report';

/** The gate rules of one installation; immutable once built. */
export interface GatePolicy {
  /** Vulnerabilities of these severities block (`unknown` only when listed). */
  readonly blockSeverities: readonly Severity[];
  /** When true, a vulnerability with no fixed version does not block: the seller cannot act on it. */
  readonly requireFix: boolean;
  readonly policyViolations: PolicyViolationMode;
  readonly allowList: readonly AllowListEntry[];
  readonly vex: readonly VexStatement[];
}

/** The default gate: critical and high vulnerabilities with a fix, every policy violation. */
export const DEFAULT_GATE_POLICY: GatePolicy = Object.freeze({
  blockSeverities: Object.freeze<Severity[]>(['critical', 'high']),
  requireFix: true,
  policyViolations: 'block',
  allowList: Object.freeze([]),
  vex: Object.freeze([]),
});

/** `a`, `a or b`, `a, b or c`. */
function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}

/** The severities of `policy` that block, most severe first. */
function blockingSeverities(policy: GatePolicy): Severity[] {
  return SEVERITY_ORDER.filter((severity) => policy.blockSeverities.includes(severity));
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The rules of `policy` in words, for GateSummary.rules and the report's reader. */
export function describeGateRules(policy: GatePolicy): string[] {
  const severities = blockingSeverities(policy);
  const rules = [
    severities.length === 0
      ? 'no vulnerability blocks'
      : policy.requireFix
        ? `${orList(severities)} vulnerabilities with a fix`
        : `${orList(severities)} vulnerabilities, with or without a fix`,
    policy.policyViolations === 'block'
      ? 'every policy violation'
      : 'policy violations reported, not blocking',
  ];
  if (policy.allowList.length > 0) {
    const entries = plural(policy.allowList.length, 'allow-list entry', 'allow-list entries');
    rules.push(`except allow-listed findings (${entries}, each until it expires)`);
  }
  if (policy.vex.length > 0) {
    const statements = plural(policy.vex.length, 'VEX statement', 'VEX statements');
    rules.push(`except findings marked not affected (${statements})`);
  }
  return rules;
}
