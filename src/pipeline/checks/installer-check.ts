import type { LogLine, Finding } from '../../domain/types.js';
import type { NetworkAttempt, NetworkSnapshot } from '../../sandbox/network/network-types.js';
import type { SandboxLimits, SandboxOutcome } from '../../sandbox/sandbox.js';

/** What one installer run left for the checks to look at. */
export interface InstallerRun {
  readonly installerFile: string;
  readonly outcome: SandboxOutcome;
  readonly limits: SandboxLimits & { readonly diskBytes: number };
  /** The last lines of output, all streams, oldest first. */
  readonly outputTail: readonly LogLine[];
  /** The merged root after the run, for reading dpkg's state. */
  readonly rootDir: string;
  readonly network: {
    readonly attempts: readonly NetworkAttempt[];
    readonly before: NetworkSnapshot;
    readonly after: NetworkSnapshot;
  };
}

/** One installer rule: the findings a run gives against it (none when it kept the rule). */
export interface InstallerCheck {
  readonly name: string;
  check(run: InstallerRun): Promise<readonly Finding[]> | readonly Finding[];
}

/** The output tail as evidence lines: `stream: text`. */
export function outputEvidence(lines: readonly LogLine[]): string[] {
  return lines.filter((l) => l.stream !== 'system').map((l) => `${l.stream}: ${l.text}`);
}

/** True when the sandbox itself ended the run (so the exit status is ours, not the installer's). */
export function endedBySandbox(outcome: SandboxOutcome): boolean {
  return outcome.timedOut || outcome.inputWait !== null || outcome.reboot !== null;
}
