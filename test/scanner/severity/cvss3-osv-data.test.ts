import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreCvss3 } from '../../../src/scanner/severity/cvss3.js';
import { repoRoot } from '../../support/paths.js';

/** Real advisory data beside the repository (../shared/vulndata/README.md). */
const DATA = path.join(repoRoot, '..', 'shared', 'vulndata', 'osv-debian-2025-02-12.jsonl.xz');

interface OsvSeverity {
  type?: unknown;
  score?: unknown;
}

/** Every `CVSS_V3` vector in the OSV Debian export, with the record that carries it. */
async function readVectors(): Promise<{ id: string; vector: string }[]> {
  const xz = spawn('xz', ['-dc', DATA], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => xz.on('close', resolve));
  const vectors: { id: string; vector: string }[] = [];
  for await (const line of createInterface({ input: xz.stdout })) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { id?: unknown; severity?: OsvSeverity[] };
    for (const severity of record.severity ?? []) {
      if (severity.type !== 'CVSS_V3') continue;
      vectors.push({ id: String(record.id), vector: String(severity.score) });
    }
  }
  expect(await exited).toBe(0);
  return vectors;
}

describe('CVSS v3 over real OSV data', () => {
  it('parses and scores every CVSS_V3 vector of the Debian export', async () => {
    const vectors = await readVectors();
    const invalid: string[] = [];
    const byRating = new Map<string, number>();
    const byVersion = new Map<string, number>();
    for (const { id, vector } of vectors) {
      try {
        const { baseScore, rating, version } = scoreCvss3(vector);
        expect(baseScore).toBeGreaterThanOrEqual(0);
        expect(baseScore).toBeLessThanOrEqual(10);
        byRating.set(rating, (byRating.get(rating) ?? 0) + 1);
        byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
      } catch (error) {
        invalid.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Reported so that a new export with bad vectors shows how many and which.
    console.info(
      `CVSS_V3 vectors: ${vectors.length}, invalid: ${invalid.length}, ` +
        `versions: ${JSON.stringify(Object.fromEntries(byVersion))}, ` +
        `ratings: ${JSON.stringify(Object.fromEntries(byRating))}`,
    );
    expect(vectors.length).toBe(23_446);
    expect(invalid).toEqual([]);
  });
});
