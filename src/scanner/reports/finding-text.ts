/**
 * Words every report format shares, so a vulnerability reads the same in a table, a SARIF
 * message and an SPDX comment: binary and source package, installed and fixed versions, every id.
 */
import type { PolicyEvidence } from '../policy/policy-check.js';
import type { GateDecision, VulnerabilityFinding } from '../scan/scan-report.js';

/** Every id of a vulnerability other than its own: aliases, then advisory ids, sorted. */
export function otherIds(finding: VulnerabilityFinding): string[] {
  const ids = new Set<string>([...finding.aliases, ...finding.advisories.map((a) => a.id)]);
  ids.delete(finding.id);
  return [...ids].sort();
}

/** The page osv.dev keeps for an id; it knows CVE, GHSA, DSA/DLA and the ecosystems' ids. */
export function advisoryUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

/** The vulnerability's source package, with its version when that differs from the installed one. */
export function describeSourcePackage(finding: VulnerabilityFinding): string | undefined {
  const { sourceName, sourceVersion } = finding.package;
  if (sourceName === undefined) return undefined;
  if (sourceVersion === undefined || sourceVersion === finding.installedVersion) return sourceName;
  return `${sourceName} ${sourceVersion}`;
}

/** `fixed in 1.2-3` or `no fix available`. */
export function describeFix(finding: VulnerabilityFinding): string {
  return finding.fixedVersion === null ? 'no fix available' : `fixed in ${finding.fixedVersion}`;
}

// E.g. `libssl3 3.0.9-1 (source package openssl) is affected by CVE-2023-5363 (also
// DSA-5532-1); fixed in 3.0.11-1~deb12u2`.
/** One sentence naming the binary and source package, installed and fixed versions and every id. */
export function describeVulnerability(finding: VulnerabilityFinding): string {
  const source = describeSourcePackage(finding);
  const others = otherIds(finding);
  return (
    `${finding.package.name} ${finding.installedVersion}` +
    (source === undefined ? '' : ` (source package ${source})`) +
    ` is affected by ${finding.id}` +
    (others.length === 0 ? '' : ` (also ${others.join(', ')})`) +
    `; ${describeFix(finding)}`
  );
}

/** What to do about a vulnerability, in words. */
export function describeRemedy(finding: VulnerabilityFinding): string {
  const source = finding.package.sourceName;
  const what =
    source === undefined || source === finding.package.name
      ? finding.package.name
      : `${finding.package.name} (source package ${source})`;
  return finding.fixedVersion === null
    ? `No fixed version of ${what} is known yet; ${finding.installedVersion} is installed.`
    : `Upgrade ${what} from ${finding.installedVersion} to ${finding.fixedVersion} or later.`;
}

/** The gate's decision in a word or two: `BLOCKS`, or why the finding is let through. */
export function describeGate(gate: GateDecision): string {
  return gate.blocking ? 'BLOCKS' : gate.reason;
}

/** The gate's decision with its rule or detail, for messages and properties. */
export function describeGateFully(gate: GateDecision): string {
  if (gate.blocking) return `blocks the build (${gate.rule})`;
  return gate.detail === undefined ? gate.reason : `${gate.reason}: ${gate.detail}`;
}

/** A check that could not decide, as every format shows it: `not run: id (reason)`. */
export function describeNotRun(check: {
  readonly checkId: string;
  readonly reason: string;
}): string {
  return `not run: ${check.checkId} (${check.reason})`;
}

/** Where policy evidence was seen: `path:line`, `path`, or undefined. */
export function describeEvidenceLocation(evidence: PolicyEvidence): string | undefined {
  if (evidence.path === undefined) return undefined;
  return evidence.line === undefined ? evidence.path : `${evidence.path}:${evidence.line}`;
}
