import { constants as fsConstants } from 'node:fs';

import type { Analyzer } from '../inventory/analyzer.js';
import { analyzeRoot, ANALYZERS, mergePackages } from '../inventory/analyzer-registry.js';
import type {
  InventoryPackage,
  InventoryWarning,
  OsRelease,
} from '../inventory/inventory-types.js';
import { readOsRelease } from '../inventory/os-release.js';
import { hidesLower, type LayerChanges } from '../layers/layer-changes.js';
import {
  findVulnerabilities,
  type PackageVulnerability,
  type StoredAdvisorySource,
} from './vulnerability-scan.js';

/** One analyzer's findings on one root. */
export interface AnalyzerFindings {
  readonly packages: readonly InventoryPackage[];
  readonly warnings: readonly InventoryWarning[];
}

/**
 * What the scanner knows of an image's root as it stands after one layer: its inventory per
 * analyzer, the layer that brought each package, and each package's vulnerabilities. This is
 * what the scan cache keeps per layer chain.
 */
export interface LayerScan {
  readonly os: OsRelease | undefined;
  /** By analyzer type; every analyzer of the registry has an entry. */
  readonly analyzers: Readonly<Record<string, AnalyzerFindings>>;
  /** Index of the layer that brought each package, by packageKey. */
  readonly origins: Readonly<Record<string, number>>;
  /** Vulnerabilities of each package that has any, by packageKey. */
  readonly vulnerabilities: Readonly<Record<string, readonly PackageVulnerability[]>>;
  /** What matching skipped or could not do, one message each. */
  readonly warnings: readonly string[];
}

/** A package's identity across layers: the same type and purl is the same package. */
export function packageKey(pkg: Pick<InventoryPackage, 'type' | 'purl'>): string {
  return `${pkg.type} ${pkg.purl}`;
}

/** A symlink, device or whiteout may stand for any file: ask analyzers as if it were a large executable. */
const ANY_FILE = { size: 1024 * 1024, mode: fsConstants.S_IFREG | 0o755 };

/**
 * Scans the root as it is after layer `index`. With the scan of the layers below and what this
 * layer changed, an analyzer whose files the layer did not touch keeps its findings, and only
 * packages the layer brought are matched against the advisories; otherwise everything runs.
 */
export async function scanLayer(input: {
  readonly root: string;
  readonly index: number;
  readonly lower: LayerScan | undefined;
  readonly changes: LayerChanges | undefined;
  readonly advisories: StoredAdvisorySource;
}): Promise<LayerScan> {
  const { root, index, lower, changes } = input;
  const os = await readOsRelease(root);
  // purls carry the OS release: a layer that changes it changes every distribution package.
  const sameOs = lower !== undefined && JSON.stringify(lower.os) === JSON.stringify(os);
  const incremental = lower !== undefined && changes !== undefined && sameOs;
  const touched = (analyzer: Analyzer): boolean => {
    if (!incremental) return true;
    const before = lower.analyzers[analyzer.type];
    if (before === undefined) return true;
    return (
      changes.paths.some((p) =>
        analyzer.required(
          p.relPath,
          (p.mode & fsConstants.S_IFMT) === fsConstants.S_IFREG ? p : ANY_FILE,
        ),
      ) ||
      changes.deleted.some((d) => analyzer.required(d, ANY_FILE)) ||
      before.packages.some((pkg) => pkg.locations.some((l) => hidesLower(changes, l)))
    );
  };
  const analyzers: Record<string, AnalyzerFindings> = {};
  for (const analyzer of ANALYZERS) {
    if (!touched(analyzer)) {
      analyzers[analyzer.type] = lower!.analyzers[analyzer.type]!;
      continue;
    }
    const found = await analyzeRoot(root, { analyzers: [analyzer] });
    analyzers[analyzer.type] = { packages: found.packages, warnings: found.warnings };
  }

  const packages = mergePackages(Object.values(analyzers).flatMap((f) => f.packages));
  const origins: Record<string, number> = {};
  const vulnerabilities: Record<string, PackageVulnerability[]> = {};
  const unmatched: InventoryPackage[] = [];
  for (const pkg of packages) {
    const key = packageKey(pkg);
    const before = lower?.origins[key];
    origins[key] = before ?? index;
    if (before === undefined || !sameOs) unmatched.push(pkg);
    else if (lower!.vulnerabilities[key] !== undefined) {
      vulnerabilities[key] = [...lower!.vulnerabilities[key]!];
    }
  }
  const matched = await findVulnerabilities(unmatched, os, input.advisories);
  for (const vulnerability of matched.vulnerabilities) {
    const key = packageKey(vulnerability.package);
    (vulnerabilities[key] ??= []).push(vulnerability);
  }
  return {
    os,
    analyzers,
    origins,
    vulnerabilities,
    warnings: [...new Set([...(incremental ? lower.warnings : []), ...matched.warnings])],
  };
}

/** Every package of a layer scan, sorted by type, name, version, then purl. */
export function packagesOf(scan: LayerScan): InventoryPackage[] {
  return mergePackages(Object.values(scan.analyzers).flatMap((f) => f.packages));
}
