import type { Analyzer } from './analyzer.js';
import { dpkgAnalyzer } from './dpkg-analyzer.js';
import { goBinaryAnalyzer } from './go-binary-analyzer.js';
import type { Inventory, InventoryPackage, InventoryWarning } from './inventory-types.js';
import { javaAnalyzer } from './java-analyzer.js';
import { npmAnalyzer } from './npm-analyzer.js';
import { readOsRelease } from './os-release.js';
import { pythonAnalyzer } from './python-analyzer.js';
import { walkRoot, VIRTUAL_DIRS } from './root-walk.js';
import type { WalkStats } from './root-walk.js';
import { rpmAnalyzer } from './rpm-analyzer.js';

/** Every analyzer, in one explicit list: a new package format is one file and one line here. */
export const ANALYZERS: readonly Analyzer[] = [
  dpkgAnalyzer,
  rpmAnalyzer,
  npmAnalyzer,
  pythonAnalyzer,
  javaAnalyzer,
  goBinaryAnalyzer,
];

/** Files larger than this are handed to no analyzer (each analyzer has its own tighter bound). */
export const MAX_ANALYZED_FILE_BYTES = 512 * 1024 * 1024;

/** How to analyze a root. */
export interface AnalyzeRootOptions {
  /** Defaults to ANALYZERS. */
  readonly analyzers?: readonly Analyzer[];
  /** Top-level directories not walked; defaults to VIRTUAL_DIRS. */
  readonly skipDirs?: readonly string[];
  /** Called once the walk is done, e.g. to measure it. */
  readonly onWalked?: (stats: WalkStats & { readonly milliseconds: number }) => void;
}

/**
 * Builds the inventory of a root filesystem: walks it once (see walkRoot), hands each analyzer
 * the files it requires, and runs those analyzers. Analyzers with no files do not run.
 */
export async function analyzeRoot(
  root: string,
  options: AnalyzeRootOptions = {},
): Promise<Inventory> {
  const analyzers = options.analyzers ?? ANALYZERS;
  const wanted = analyzers.map(() => [] as string[]);
  const warnings: InventoryWarning[] = [];
  const started = performance.now();
  const stats = await walkRoot(
    root,
    (relPath, info) => {
      if (info.size > MAX_ANALYZED_FILE_BYTES) return;
      analyzers.forEach((analyzer, index) => {
        if (analyzer.required(relPath, info)) wanted[index]?.push(relPath);
      });
    },
    warnings,
    options.skipDirs ?? VIRTUAL_DIRS,
  );
  options.onWalked?.({ ...stats, milliseconds: performance.now() - started });
  const os = await readOsRelease(root);
  const running = analyzers.flatMap((analyzer, index) => {
    const relPaths = wanted[index] ?? [];
    return relPaths.length === 0 ? [] : [{ analyzer, relPaths }];
  });
  const results = await Promise.all(
    running.map(async ({ analyzer, relPaths }) => {
      try {
        return await analyzer.analyze({ root, relPaths, os });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${analyzer.type} analyzer: ${message}`, { cause: error });
      }
    }),
  );
  for (const result of results) warnings.push(...result.warnings);
  return {
    os,
    packages: mergePackages(results.flatMap((result) => result.packages)),
    warnings,
    analyzers: analyzers
      .map((analyzer) => ({ type: analyzer.type, version: analyzer.version }))
      .sort((a, b) => compare(a.type, b.type)),
  };
}

/**
 * One entry per package (type and purl), sorted by type, name, version and purl: the same
 * package found twice (an npm package in two node_modules) is one, in both places.
 */
export function mergePackages(packages: readonly InventoryPackage[]): InventoryPackage[] {
  const byPurl = new Map<string, InventoryPackage>();
  for (const pkg of packages) {
    const key = `${pkg.type} ${pkg.purl}`;
    const seen = byPurl.get(key);
    byPurl.set(
      key,
      seen === undefined
        ? pkg
        : { ...seen, locations: [...new Set([...seen.locations, ...pkg.locations])].sort() },
    );
  }
  return [...byPurl.values()].sort(comparePackages);
}

function comparePackages(a: InventoryPackage, b: InventoryPackage): number {
  return (
    compare(a.type, b.type) ||
    compare(a.name, b.name) ||
    compare(a.version, b.version) ||
    compare(a.purl, b.purl)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
