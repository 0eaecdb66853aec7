import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PresentedPackageGroup } from '../../src/domain/package-groups/package-group-service.js';
import {
  startHarness,
  submitGroup,
  waitForGroup,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../support/paths.js';

const run = promisify(execFile);
const corpusDir = path.join(repoRoot, 'test', 'fixtures', 'installers');

interface Expectation {
  readonly codes: string[];
  readonly why: string;
  /** The installer's file name; install.sh when not given. */
  readonly installer?: string;
  /** Per finding code, text its message or evidence must contain. */
  readonly evidenceContains?: Record<string, string[]>;
}

/** Builds every `debs/<dir>` of a case into `<Package>_<Version>_<Arch>.deb` in `target`. */
async function buildDebs(caseDir: string, target: string): Promise<string[]> {
  const debsDir = path.join(caseDir, 'debs');
  const dirs = await readdir(debsDir).catch(() => [] as string[]);
  const built: string[] = [];
  for (const dir of dirs) {
    const control = await readFile(path.join(debsDir, dir, 'DEBIAN', 'control'), 'utf8');
    const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(control)?.[1];
    const file = path.join(
      target,
      `${field('Package')}_${field('Version')}_${field('Architecture')}.deb`,
    );
    await run('dpkg-deb', ['--root-owner-group', '--build', path.join(debsDir, dir), file]);
    built.push(file);
  }
  return built;
}

/** The files of a case, the installer first. */
async function caseFiles(name: string, expectation: Expectation): Promise<string[]> {
  const caseDir = path.join(corpusDir, name);
  const work = tempDir(`corpus-${name}`);
  const debs = await buildDebs(caseDir, work);
  const installerName = expectation.installer ?? 'install.sh';
  const plain = (await readdir(caseDir)).filter((f) => !['expect.json', 'debs'].includes(f));
  for (const file of plain) await copyFile(path.join(caseDir, file), path.join(work, file));
  const all = [...debs, ...plain.map((f) => path.join(work, f))];
  const installer = all.find((f) => path.basename(f) === installerName);
  if (installer === undefined) throw new Error(`case ${name}: no installer ${installerName}`);
  return [installer, ...all.filter((f) => f !== installer)];
}

const cases = readdirSync(corpusDir).map((name) => {
  const expectation = JSON.parse(
    readFileSync(path.join(corpusDir, name, 'expect.json'), 'utf8'),
  ) as Expectation;
  return [name, expectation] as const;
});

describe('installer corpus: each installer rule, checked for real in the sandbox', () => {
  let harness: Harness;
  let seller: TestAccount;

  beforeAll(async () => {
    harness = await startHarness({
      workers: 2,
      inputWaitMs: 2_000,
      diskLimitBytes: 256 * 1024 ** 2,
      limits: { wallClockMs: 12_000, memoryBytes: 256 * 1024 ** 2, pids: 64, cpus: 1 },
    });
    seller = await harness.createAccount('Corpus Seller', ['seller']);
  });
  afterAll(async () => harness?.stop());

  it.each(cases)('%s → %j', async (name, expectation) => {
    const files = await caseFiles(name, expectation);
    const submitted = await submitGroup(
      seller.client,
      `corpus_${name.replaceAll('-', '_')}`,
      ['debian-12'],
      files,
    );
    const group = (await waitForGroup(
      seller.client,
      submitted.id,
    )) as unknown as PresentedPackageGroup;
    const build = group.builds[0]!;
    const codes = build.findings.map((f) => f.code).sort();
    expect(
      codes,
      `${expectation.why}; findings: ${JSON.stringify(build.findings, null, 1)}`,
    ).toEqual([...expectation.codes].sort());
    expect(build.state).toBe(expectation.codes.length === 0 ? 'Successful' : 'IssuesFound');
    for (const finding of build.findings) {
      expect(finding.message.length).toBeGreaterThan(10);
      expect(finding.remedy.length).toBeGreaterThan(10);
      expect(Object.keys(finding.evidence).length).toBeGreaterThan(0);
      const shown = finding.message + JSON.stringify(finding.evidence);
      for (const text of expectation.evidenceContains?.[finding.code] ?? [])
        expect(shown).toContain(text);
    }
  });
});
