import type { InventoryPackage, InventoryWarning, OsRelease } from './inventory-types.js';

/** What the root walk knows of a regular file when it asks an analyzer whether it wants it. */
export interface FileInfo {
  readonly size: number;
  /** `st_mode`, for the permission bits (Go binaries are executable). */
  readonly mode: number;
}

/** The files one analyzer asked for, and what it may need to know of the rest of the root. */
export interface AnalysisInput {
  /** The root filesystem; read only through the `root-fs.ts` helpers. */
  readonly root: string;
  /** Regular files (never symlinks) relative to `root`, sorted, each one `required` accepted. */
  readonly relPaths: readonly string[];
  /** The root's operating system, for purls' `distro` qualifier. */
  readonly os: OsRelease | undefined;
}

/** What one analyzer found: packages, and the items it skipped. */
export interface AnalyzerResult {
  readonly packages: readonly InventoryPackage[];
  readonly warnings: readonly InventoryWarning[];
}

/**
 * One package format (after trivy's fanal analyzers). A malformed item is a warning in the
 * result; an analyzer throws only when it cannot read at all, and that fails the scan.
 */
export interface Analyzer {
  /** Stable identifier, e.g. `dpkg`, `go-binary`. */
  readonly type: string;
  /** Bumped whenever its output for the same files may change; part of scan cache keys. */
  readonly version: number;
  /** Whether it wants this file; decided from the path and metadata alone, so it must be cheap. */
  required(relPath: string, info: FileInfo): boolean;
  analyze(input: AnalysisInput): Promise<AnalyzerResult>;
}
