import { hidesLower, type LayerChanges } from '../layers/layer-changes.js';
import type { PolicyCheck, PolicyContext, PolicyViolation } from './policy-check.js';
import { POLICY_CHECKS, runPolicyChecks, type PolicyRunResult } from './policy-registry.js';

/**
 * The policy results of a root made of the layers below (already checked: `lower`) and one more
 * layer. Checks that judge each file on its own look at the files the layer changed and keep
 * the lower results for files it left alone; the others (accounts, sshd, OS) check the whole
 * root again, since one changed file can change their verdict on every other.
 */
export async function runPolicyOverLower(
  root: string,
  lower: PolicyRunResult,
  changes: LayerChanges,
  context: PolicyContext = {},
  checks: readonly PolicyCheck[] = POLICY_CHECKS,
): Promise<PolicyRunResult> {
  const changed = new Set(changes.paths.map((p) => p.relPath));
  const perFile = checks.filter((check) => check.perFile);
  const [whole, files] = await Promise.all([
    runPolicyChecks(
      root,
      context,
      checks.filter((check) => !check.perFile),
    ),
    runPolicyChecks(root, { ...context, onlyFiles: changed }, perFile),
  ]);
  const ranPerFile = new Set(files.ran.map((r) => r.checkId));
  const kept = lower.violations.filter(
    (v) =>
      ranPerFile.has(v.checkId) &&
      (v.evidence.path === undefined ||
        (!changed.has(v.evidence.path) && !hidesLower(changes, v.evidence.path))),
  );
  const order = new Map(checks.map((check, index) => [check.id, index]));
  const byCheck = (a: { checkId: string }, b: { checkId: string }) =>
    (order.get(a.checkId) ?? 0) - (order.get(b.checkId) ?? 0);
  return {
    violations: [...whole.violations, ...kept, ...files.violations].sort(
      (a, b) => byCheck(a, b) || compareEvidence(a, b),
    ),
    ran: [...whole.ran, ...files.ran].sort(byCheck),
    notRun: [...whole.notRun, ...files.notRun].sort(byCheck),
  };
}

function compareEvidence(a: PolicyViolation, b: PolicyViolation): number {
  const pathA = a.evidence.path ?? '';
  const pathB = b.evidence.path ?? '';
  if (pathA !== pathB) return pathA < pathB ? -1 : 1;
  return (a.evidence.line ?? 0) - (b.evidence.line ?? 0);
}
