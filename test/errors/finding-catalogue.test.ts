import { readFileSync } from 'node:fs';
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

  it('every finding code produced anywhere in the source is catalogued', () => {
    const sources = readFileSync(path.join(repoRoot, 'src', 'installers', 'exe-installer.ts'), 'utf8');
    for (const code of sources.match(/'[A-Z][A-Z_]+'/g) ?? []) {
      expect(Object.keys(FINDING_CATALOGUE)).toContain(code.slice(1, -1));
    }
  });
});
