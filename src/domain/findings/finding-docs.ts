import {
  POLICY_FINDING_CATALOGUE,
  type PolicyFindingKind,
} from '../../scanner/policy/policy-finding-catalogue.js';
import { FINDING_CATALOGUE, type FindingKind } from './finding-catalogue.js';

/** The Markdown of docs/findings.md, generated from the two catalogues. */
export function renderFindingDocs(): string {
  const lines = [
    '# Finding codes',
    '',
    'A finding says why a build is `IssuesFound`: what the installer or the image did against a rule,',
    'the evidence, and what to change. Every finding in the API and in `goldsmith package-group show`',
    'has `code`, `severity`, `message`, `remedy` and `evidence`. This page is generated from',
    '`src/domain/findings/finding-catalogue.ts` and `src/scanner/policy/policy-finding-catalogue.ts`',
    'by `npm run docs`; a test checks that it is current.',
    '',
    '## Installer rules',
    '',
  ];
  for (const [code, entry] of Object.entries(FINDING_CATALOGUE) as [string, FindingKind][]) {
    lines.push(`### ${code}`, '', `${entry.title} (severity ${entry.severity}).`, '');
    lines.push(
      `- Rule: ${entry.rule}`,
      `- What to do: ${entry.remedy}`,
      `- Evidence: ${entry.evidence}`,
      '',
    );
  }
  lines.push(
    '## Image policies',
    '',
    'Reported by the scanner for the image, with the file path and line.',
    '',
  );
  for (const [code, entry] of Object.entries(POLICY_FINDING_CATALOGUE) as [
    string,
    PolicyFindingKind,
  ][]) {
    lines.push(`### ${code}`, '', `${entry.title} (severity ${entry.severity}).`, '');
    lines.push(`- Policy: ${entry.rule}`, `- What to do: ${entry.remedy}`, '');
  }
  return lines.join('\n');
}
