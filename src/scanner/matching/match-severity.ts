import type { OsvRecord } from '../advisories/osv-record.js';
import { advisoryPackageName } from './package-ecosystems.js';
import {
  assessSeverity,
  type SeverityAssessment,
  type SeverityInput,
} from '../severity/severity.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * What the advisories of one match say about its severity: CVSS vectors from
 * the records (NVD's, carried by osv.dev's CVE records), the advisory's own
 * word, and Debian's urgency from `ecosystem_specific`.
 */
export function severityInputOf(
  advisories: readonly OsvRecord[],
  packageName: string,
): SeverityInput {
  const cvssV3: string[] = [];
  const cvssV4: string[] = [];
  let advisorySeverity: string | undefined;
  let debianUrgency: string | undefined;
  for (const record of advisories) {
    const affected = record.affected.filter(
      (a) =>
        advisoryPackageName(a.package.ecosystem, a.package.name) ===
        advisoryPackageName(a.package.ecosystem, packageName),
    );
    for (const severity of [...record.severity, ...affected.flatMap((a) => a.severity)]) {
      if (severity.type === 'CVSS_V3') cvssV3.push(severity.score);
      if (severity.type === 'CVSS_V4') cvssV4.push(severity.score);
    }
    advisorySeverity ??= text(record.databaseSpecific?.['severity']);
    for (const a of affected) debianUrgency ??= text(a.ecosystemSpecific?.['urgency']);
  }
  return {
    cvssV3: [...new Set(cvssV3)],
    cvssV4: [...new Set(cvssV4)],
    ...(advisorySeverity === undefined ? {} : { advisorySeverity }),
    ...(debianUrgency === undefined ? {} : { debianUrgency }),
  };
}

/** The severity of a match, saying which source decided it. */
export function assessMatch(
  advisories: readonly OsvRecord[],
  packageName: string,
): SeverityAssessment {
  return assessSeverity(severityInputOf(advisories, packageName));
}
