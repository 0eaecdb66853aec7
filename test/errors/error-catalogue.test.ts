import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ERROR_CATALOGUE } from '../../src/errors/error-catalogue.js';
import { renderErrorDocs } from '../../src/errors/error-docs.js';
import { repoRoot } from '../support/paths.js';

describe('error catalogue', () => {
  it('docs/errors.md is generated from the current catalogue', () => {
    const docs = readFileSync(path.join(repoRoot, 'docs', 'errors.md'), 'utf8');
    expect(docs).toBe(renderErrorDocs());
  });

  it('every code is upper snake case with an HTTP error status and a solution', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.solution.length).toBeGreaterThan(10);
    }
  });
});
