import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { FINDING_CATALOGUE } from '../../src/domain/findings/finding-catalogue.js';
import { renderFindingDocs } from '../../src/domain/findings/finding-docs.js';
import { repoRoot } from '../support/paths.js';

describe('finding catalogue', () => {
  it('docs/findings.md is generated from the current catalogue', () => {
    const docs = readFileSync(path.join(repoRoot, 'docs', 'findings.md'), 'utf8');
    expect(docs).toBe(renderFindingDocs());
  });

  it('findings are made only through the catalogue, so every code is documented', () => {
    const files = readdirSync(path.join(repoRoot, 'src'), {
      recursive: true,
      encoding: 'utf8',
    }).filter((f) => f.endsWith('.ts') && !f.endsWith('finding-catalogue.ts'));
    const handMade = files.filter((f) =>
      /\bremedy:\s*['`]/.test(readFileSync(path.join(repoRoot, 'src', f), 'utf8')),
    );
    expect(handMade).toEqual([]);
    for (const [code, kind] of Object.entries(FINDING_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(kind.remedy.length).toBeGreaterThan(20);
    }
  });
});
