import { execFile } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

import type { Analyzer } from './analyzer.js';
import { analyzeRoot, ANALYZERS } from './analyzer-registry.js';
import type { Inventory, InventoryPackage, InventoryWarning } from './inventory-types.js';
import { readOsRelease } from './os-release.js';

/** An analyzer's findings on one root. */
interface AnalyzerFindings {
  readonly packages: readonly InventoryPackage[];
  readonly warnings: readonly InventoryWarning[];
}

/** Per-analyzer findings of base roots, by base key; a base never changes once made. */
const baseFindings = new Map<string, Promise<Map<string, AnalyzerFindings>>>();
const BASES_KEPT = 8;

/** What an overlay upper directory says changed: every path in it, and whether it hides a whole base directory. */
interface UpperChanges {
  /** Paths relative to the root, with what an analyzer's `required` needs to know. */
  readonly paths: readonly {
    readonly relPath: string;
    readonly size: number;
    readonly mode: number;
  }[];
  /** Paths overlayfs marks deleted (0/0 character devices). */
  readonly whiteouts: readonly string[];
  readonly opaque: boolean;
}

/**
 * The inventory of an image made of a base root and one overlay upper
 * directory: each analyzer whose files the upper directory does not touch
 * keeps its findings on the base (computed once per base and process); the
 * others run again over the merged root. An opaque directory hides base files
 * without naming them, so then everything runs again.
 */
export async function inventoryOverBase(input: {
  readonly mergedRoot: string;
  readonly upperDir: string;
  readonly baseRoot: string;
  readonly baseKey: string;
}): Promise<Inventory> {
  const changes = await upperChanges(input.upperDir);
  if (changes.opaque) return analyzeRoot(input.mergedRoot);
  const base = await findingsOfBase(input.baseKey, input.baseRoot);
  // A whiteout hides a file or a whole directory: what the base found under it must go.
  const hides = (location: string) =>
    changes.whiteouts.some(
      (w) => location === w || location.startsWith(`${w}/`) || location.startsWith(`${w}!`),
    );
  const touched = (analyzer: Analyzer) =>
    changes.paths.some((p) => analyzer.required(p.relPath, { size: p.size, mode: p.mode })) ||
    base.get(analyzer.type)!.packages.some((pkg) => pkg.locations.some(hides));
  const findings = await Promise.all(
    ANALYZERS.map(async (analyzer) =>
      touched(analyzer)
        ? analyzeRoot(input.mergedRoot, { analyzers: [analyzer] })
        : base.get(analyzer.type)!,
    ),
  );
  return {
    os: await readOsRelease(input.mergedRoot),
    packages: mergeByPurl(findings.flatMap((f) => f.packages)),
    warnings: findings.flatMap((f) => f.warnings),
    analyzers: ANALYZERS.map((a) => ({ type: a.type, version: a.version })),
  };
}

async function findingsOfBase(key: string, root: string): Promise<Map<string, AnalyzerFindings>> {
  let findings = baseFindings.get(key);
  if (findings === undefined) {
    findings = (async () => {
      const byAnalyzer = new Map<string, AnalyzerFindings>();
      for (const analyzer of ANALYZERS)
        byAnalyzer.set(analyzer.type, await analyzeRoot(root, { analyzers: [analyzer] }));
      return byAnalyzer;
    })();
    findings.catch(() => baseFindings.delete(key));
    baseFindings.set(key, findings);
    for (const old of [...baseFindings.keys()].slice(
      0,
      Math.max(0, baseFindings.size - BASES_KEPT),
    )) {
      baseFindings.delete(old);
    }
  }
  return findings;
}

/** Same package found by two analyzers' runs: one entry, every location. */
function mergeByPurl(packages: readonly InventoryPackage[]): InventoryPackage[] {
  const byPurl = new Map<string, InventoryPackage>();
  for (const pkg of packages) {
    const key = `${pkg.type} ${pkg.purl}`;
    const seen = byPurl.get(key);
    byPurl.set(
      key,
      seen === undefined
        ? pkg
        : { ...seen, locations: [...new Set([...seen.locations, ...pkg.locations])] },
    );
  }
  return [...byPurl.values()].sort(
    (a, b) =>
      a.type.localeCompare(b.type) ||
      a.name.localeCompare(b.name) ||
      a.version.localeCompare(b.version) ||
      a.purl.localeCompare(b.purl),
  );
}

/** A whiteout or link may stand for any file: ask analyzers as if it were a large executable. */
const ANY_FILE = { size: 1024 * 1024, mode: 0o100755 };

async function upperChanges(upperDir: string): Promise<UpperChanges> {
  const paths: { relPath: string; size: number; mode: number }[] = [];
  const whiteouts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relPath = path.relative(upperDir, full);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        const info = await lstat(full);
        paths.push({ relPath, size: info.size, mode: info.mode });
      } else {
        if (entry.isCharacterDevice() && (await lstat(full)).rdev === 0) whiteouts.push(relPath);
        paths.push({ relPath, ...ANY_FILE });
      }
    }
  };
  await walk(upperDir);
  return { paths, whiteouts, opaque: await hasOpaqueDirectory(upperDir) };
}

/** True when a directory of the upper dir carries overlayfs's opaque mark (`trusted.overlay.opaque=y`). */
function hasOpaqueDirectory(upperDir: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    // getfattr exits non-zero when some files lack the attribute; what it prints is what counts.
    execFile(
      'getfattr',
      ['-R', '--absolute-names', '-n', 'trusted.overlay.opaque', upperDir],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        if (error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT') reject(error);
        else resolve(/trusted\.overlay\.opaque="y"/.test(stdout));
      },
    );
  });
}
