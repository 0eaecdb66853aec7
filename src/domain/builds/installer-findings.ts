import type { Finding, LogLine } from '../types.js';

/** How many lines of output a finding carries as evidence. */
export const OUTPUT_TAIL_LINES = 40;

function outputTail(lines: readonly LogLine[]): string[] {
  return lines.filter((l) => l.stream !== 'system').map((l) => `${l.stream}: ${l.text}`);
}

/** The installer exited with a status other than 0. */
export function exitStatusFinding(
  exitCode: number | null,
  signal: string | null,
  tail: readonly LogLine[],
): Finding {
  const how = exitCode !== null ? `exit status ${exitCode}` : `signal ${signal ?? 'unknown'}`;
  return {
    code: 'INSTALLER_EXIT_STATUS',
    severity: 'high',
    message: `The installer ended with ${how}; an installation counts as successful only with exit status 0.`,
    remedy:
      'Read the last lines of output below, fix the cause, and make the installer exit 0 only when the installation succeeded. Then submit the group under a new name.',
    evidence: { exitCode, signal, outputTail: outputTail(tail) },
  };
}

/** The installer ran into the wall-clock limit. */
export function timeoutFinding(limitMs: number, tail: readonly LogLine[]): Finding {
  return {
    code: 'INSTALLER_TIMEOUT',
    severity: 'high',
    message: `The installer was still running after ${Math.round(limitMs / 1000)} seconds and was stopped.`,
    remedy:
      'Make sure the installer needs no input, downloads nothing and does not wait for a service that never starts; it must finish within the time limit.',
    evidence: { limitSeconds: Math.round(limitMs / 1000), outputTail: outputTail(tail) },
  };
}
