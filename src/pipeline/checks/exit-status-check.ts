import { makeFinding } from '../../domain/findings/finding-catalogue.js';
import { findMissingDependencies } from './dependency-output.js';
import { endedBySandbox, outputEvidence, type InstallerCheck } from './installer-check.js';

/** Exit status 0 means installed; a .deb with unmet dependencies is named as such. */
export const exitStatusCheck: InstallerCheck = {
  name: 'exit status',
  check({ outcome, outputTail, installerFile }) {
    if (endedBySandbox(outcome) || outcome.exitCode === 0) return [];
    const missing = installerFile.toLowerCase().endsWith('.deb')
      ? findMissingDependencies(outputTail)
      : [];
    if (missing.length > 0) {
      return [
        makeFinding(
          'PACKAGE_DEPENDENCY_MISSING',
          `The package needs ${missing.map((m) => m.dependency).join(', ')}, which neither the image nor the package group has; nothing can be downloaded during the build.`,
          { missing, exitCode: outcome.exitCode, outputTail: outputEvidence(outputTail) },
        ),
      ];
    }
    const how =
      outcome.exitCode !== null
        ? `exit status ${outcome.exitCode}`
        : `signal ${outcome.signal ?? 'unknown'}`;
    return [
      makeFinding(
        'INSTALLER_EXIT_STATUS',
        `The installer ended with ${how}; an installation counts as successful only with exit status 0.`,
        {
          exitCode: outcome.exitCode,
          signal: outcome.signal,
          outputTail: outputEvidence(outputTail),
        },
      ),
    ];
  },
};
