import { makeFinding } from '../../domain/findings/finding-catalogue.js';
import { outputEvidence, type InstallerCheck } from './installer-check.js';

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** Containment: memory, processes and disk stay within their limits. */
export const resourceCheck: InstallerCheck = {
  name: 'containment',
  check({ outcome, limits, outputTail }) {
    const tail = outputEvidence(outputTail);
    const findings = [];
    if (outcome.limitsHit.memory) {
      findings.push(
        makeFinding(
          'RESOURCE_MEMORY',
          `The installation needed more than its ${mib(limits.memoryBytes)} of memory.`,
          {
            limitBytes: limits.memoryBytes,
            outputTail: tail,
          },
        ),
      );
    }
    if (outcome.limitsHit.processes) {
      findings.push(
        makeFinding(
          'RESOURCE_PROCESSES',
          `The installation tried to run more than ${limits.pids} processes at once.`,
          {
            limit: limits.pids,
            outputTail: tail,
          },
        ),
      );
    }
    if (outcome.limitsHit.disk) {
      findings.push(
        makeFinding(
          'RESOURCE_DISK',
          `The installation wrote more than its ${mib(limits.diskBytes)} of disk space.`,
          {
            limitBytes: limits.diskBytes,
            outputTail: tail,
          },
        ),
      );
    }
    return findings;
  },
};
