import type { LayerOrigin } from '../layers/layer-origin.js';

/** How urgent a policy violation is, on the same scale as vulnerabilities. */
export type PolicySeverity = 'critical' | 'high' | 'medium' | 'low';

/** What a check needs besides the root: where files came from, and the clock. */
export interface PolicyContext {
  /** The layer that brought `relPath` (relative to the root, no leading `/`). */
  layerOf?(relPath: string): LayerOrigin | undefined;
  /** The time end-of-life dates are compared with; the current time when absent. */
  readonly now?: Date;
  /**
   * When given, checks that judge each file on its own (`perFile`) look only at these files
   * (relative paths): the layer below was checked already and its results are reused.
   */
  readonly onlyFiles?: ReadonlySet<string>;
}

/** Where a violation was seen. Excerpts never carry a secret in clear. */
export interface PolicyEvidence {
  /** File relative to the scanned root, e.g. `etc/ssh/sshd_config`. */
  readonly path?: string;
  /** 1-based line in `path`. */
  readonly line?: number;
  /** The offending text, secrets masked. */
  readonly excerpt?: string;
  /** The sshd `Match` block the setting is in, e.g. `Match User deploy`. */
  readonly matchBlock?: string;
  /** An end-of-life date (`YYYY-MM-DD`). */
  readonly date?: string;
  /** A malware signature name. */
  readonly signature?: string;
}

/** One marketplace policy an image breaks: data for the report and the gate. */
export interface PolicyViolation {
  readonly checkId: string;
  /** Stable code from the policy finding catalogue, e.g. `POLICY_BLANK_PASSWORD`. */
  readonly code: string;
  readonly severity: PolicySeverity;
  readonly message: string;
  readonly remedy: string;
  readonly evidence: PolicyEvidence;
  /** The layer that brought the evidence's file; filled in by runPolicyChecks from `PolicyContext.layerOf`. */
  readonly layer?: LayerOrigin;
}

/** One policy check over an image root. */
export interface PolicyCheck {
  /** Stable id, e.g. `shadow-passwords`. */
  readonly id: string;
  /** Bumped whenever the check's results can change, so cached results are invalidated. */
  readonly version: number;
  readonly title: string;
  /**
   * True when a file's verdict depends on that file alone (secrets, malware), so a layer's
   * results are the layer below's for unchanged files plus a check of the changed ones.
   */
  readonly perFile: boolean;
  /** Checks `root`; throws PolicyCheckNotRun when it cannot decide (never a silent pass). */
  check(root: string, context: PolicyContext): Promise<PolicyViolation[]>;
}

/**
 * Thrown by a check that could not run (no scanner installed, unknown OS). The registry
 * records it in `notRun`; any other error is an infrastructure failure and aborts the scan.
 */
export class PolicyCheckNotRun extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PolicyCheckNotRun';
  }
}
