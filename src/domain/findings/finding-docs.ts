import { FINDING_CATALOGUE, type FindingKind } from './finding-catalogue.js';

/** The Markdown of docs/findings.md, generated from the catalogue. */
export function renderFindingDocs(): string {
  const lines = [
    '# Finding codes',
    '',
    'A finding says why a build is `IssuesFound`: what the installer did against a rule, the',
    'evidence, and what to change. Every finding in the API and in `goldsmith package-group show`',
    'has `code`, `severity`, `message`, `remedy` and `evidence`. This page is generated from',
    '`src/domain/findings/finding-catalogue.ts` by `npm run docs`; a test checks that it is current.',
    '',
  ];
  for (const [code, entry] of Object.entries(FINDING_CATALOGUE) as [string, FindingKind][]) {
    lines.push(`## ${code}`, '', `${entry.title} (severity ${entry.severity}).`, '');
    lines.push(
      `- Rule: ${entry.rule}`,
      `- What to do: ${entry.remedy}`,
      `- Evidence: ${entry.evidence}`,
      '',
    );
  }
  return lines.join('\n');
}
