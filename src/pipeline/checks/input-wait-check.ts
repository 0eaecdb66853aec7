import { makeFinding } from '../../domain/findings/finding-catalogue.js';
import { outputEvidence, type InstallerCheck } from './installer-check.js';

/** How many of the last output lines make up the prompt shown to the seller. */
const PROMPT_LINES = 3;

/** Unattended: waiting on standard input is recognised; the time limit is its own finding. */
export const unattendedCheck: InstallerCheck = {
  name: 'unattended',
  check({ outcome, outputTail, limits }) {
    if (outcome.inputWait !== null) {
      const printed = outputTail.filter((l) => l.stream !== 'system');
      const prompt = printed.slice(-PROMPT_LINES).map((l) => l.text);
      const waited = Math.round(outcome.inputWait.waitedMs / 1000);
      return [
        makeFinding(
          'INSTALLER_WAITING_FOR_INPUT',
          `The installer waited ${waited} s for input${prompt.length > 0 ? ` after printing “${prompt.at(-1)}”` : ''}; nobody answers during a build.`,
          { prompt, command: outcome.inputWait.command, waitedSeconds: waited },
        ),
      ];
    }
    if (outcome.timedOut) {
      const seconds = Math.round(limits.wallClockMs / 1000);
      return [
        makeFinding(
          'INSTALLER_TIMEOUT',
          `The installer was still running after ${seconds} seconds and was stopped.`,
          { limitSeconds: seconds, outputTail: outputEvidence(outputTail) },
        ),
      ];
    }
    return [];
  },
};
