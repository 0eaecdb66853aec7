import { authorizedKeysCheck } from './authorized-keys-check.js';
import { createClamavCheck } from './malware-clamav-check.js';
import { malwareEicarCheck } from './malware-eicar-check.js';
import { osEndOfLifeCheck } from './os-end-of-life-check.js';
import { PolicyCheckNotRun } from './policy-check.js';
import type { PolicyCheck, PolicyContext, PolicyViolation } from './policy-check.js';
import { secretsCheck } from './secrets-check.js';
import { shadowPasswordCheck } from './shadow-password-check.js';
import { sshdConfigCheck } from './sshd-config-check.js';

/** Every policy check, in report order. Adding a check is one file and one line here. */
export const POLICY_CHECKS: readonly PolicyCheck[] = [
  shadowPasswordCheck,
  sshdConfigCheck,
  authorizedKeysCheck,
  secretsCheck,
  osEndOfLifeCheck,
  malwareEicarCheck,
  createClamavCheck(),
];

/** What one policy run found, and which checks it could and could not run. */
export interface PolicyRunResult {
  readonly violations: readonly PolicyViolation[];
  /** Checks that ran to the end (with or without violations), with their versions. */
  readonly ran: readonly { readonly checkId: string; readonly version: number }[];
  /** Checks that could not decide: a report shows these instead of passing silently. */
  readonly notRun: readonly { readonly checkId: string; readonly reason: string }[];
}

type CheckOutcome =
  | { readonly check: PolicyCheck; readonly violations: readonly PolicyViolation[] }
  | { readonly check: PolicyCheck; readonly notRunReason: string };

/**
 * Runs `checks` over `root`. A check that cannot decide goes to `notRun`; any other error
 * aborts the run with the check named (an infrastructure failure, not a finding).
 */
export async function runPolicyChecks(
  root: string,
  context: PolicyContext = {},
  checks: readonly PolicyCheck[] = POLICY_CHECKS,
): Promise<PolicyRunResult> {
  const outcomes = await Promise.all(
    checks.map(async (check): Promise<CheckOutcome> => {
      try {
        return { check, violations: await check.check(root, context) };
      } catch (error) {
        if (error instanceof PolicyCheckNotRun) return { check, notRunReason: error.reason };
        throw new Error(`policy check ${check.id} failed: ${String(error)}`, { cause: error });
      }
    }),
  );
  const violations: PolicyViolation[] = [];
  const ran: { checkId: string; version: number }[] = [];
  const notRun: { checkId: string; reason: string }[] = [];
  for (const outcome of outcomes) {
    if ('notRunReason' in outcome) {
      notRun.push({ checkId: outcome.check.id, reason: outcome.notRunReason });
      continue;
    }
    ran.push({ checkId: outcome.check.id, version: outcome.check.version });
    for (const violation of outcome.violations) violations.push(withLayer(violation, context));
  }
  return { violations, ran, notRun };
}

/** Adds the layer that brought the evidence's file, when the context knows it. */
function withLayer(violation: PolicyViolation, context: PolicyContext): PolicyViolation {
  const file = violation.evidence.path;
  const layer = file === undefined ? undefined : context.layerOf?.(file);
  return layer === undefined ? violation : { ...violation, layer };
}
