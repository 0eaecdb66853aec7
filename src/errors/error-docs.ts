import { ERROR_CATALOGUE } from './error-catalogue.js';

/** The Markdown of docs/errors.md, generated from the catalogue. */
export function renderErrorDocs(): string {
  const lines = [
    '# Error codes',
    '',
    'Every error of the API is a JSON body `{"code": "...", "message": "..."}` with one of these',
    'stable codes. Scripts may depend on the codes; messages may change. This page is generated',
    'from `src/errors/error-catalogue.ts` by `npm run docs`; a test checks that it is current.',
    '',
    '| code | HTTP status | meaning | how to solve it |',
    '| --- | --- | --- | --- |',
  ];
  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    const cell = (text: string) => text.replaceAll('|', '\\|');
    lines.push(
      `| \`${code}\` | ${entry.status} | ${cell(entry.title)} | ${cell(entry.solution)} |`,
    );
  }
  return lines.join('\n') + '\n';
}
