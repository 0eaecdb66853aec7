import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../../support/paths.js';

const GOLDEN_DIR = path.join(repoRoot, 'test/scanner/reports/golden');

/**
 * Compares output with its golden file; `GOLDSMITH_UPDATE_GOLDEN=1` rewrites the file instead,
 * so a deliberate change is reviewed as a diff of the golden file.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env['GOLDSMITH_UPDATE_GOLDEN'] === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`no golden file ${name}: run with GOLDSMITH_UPDATE_GOLDEN=1 to create it`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
