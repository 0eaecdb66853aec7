/** dpkg's three-word `Status:` field (see dpkg-query(1), "Package states"). */
export interface DpkgStatus {
  readonly want: 'unknown' | 'install' | 'hold' | 'deinstall' | 'purge';
  readonly flag: 'ok' | 'reinstreq';
  readonly state:
    | 'not-installed'
    | 'config-files'
    | 'half-installed'
    | 'unpacked'
    | 'half-configured'
    | 'triggers-awaited'
    | 'triggers-pending'
    | 'installed';
}

/** One binary package recorded in dpkg's database. */
export interface DpkgPackage {
  readonly name: string;
  /** Debian version, `[epoch:]upstream[-revision]`, exactly as dpkg records it. */
  readonly version: string;
  readonly architecture: string;
  readonly status: DpkgStatus;
  /** The source package it was built from; its own name when the stanza has no `Source:`. */
  readonly sourceName: string;
  /** The source version (differs after a binNMU); its own version when not given. */
  readonly sourceVersion: string;
  /** `Installed-Size`, in KiB, when recorded. */
  readonly installedSizeKiB: number | undefined;
}

/** Identification of the operating system, from os-release(5). */
export interface OsRelease {
  /** `ID`, e.g. `debian`; `linux` when absent, as os-release(5) says. */
  readonly id: string;
  /** `VERSION_ID`, e.g. `12`; absent on testing and unstable. */
  readonly versionId: string | undefined;
  /** `VERSION_CODENAME`, e.g. `bookworm`. */
  readonly versionCodename: string | undefined;
  /** `PRETTY_NAME`; `Linux` when absent. */
  readonly prettyName: string;
}

/** An item the inventory skipped, and why: data for the scan report, not an exception. */
export interface InventoryWarning {
  /** File, relative to the scanned root, e.g. `var/lib/dpkg/status`. */
  readonly file: string;
  /** Line where the skipped stanza starts (1-based). */
  readonly line: number;
  readonly message: string;
}

/** What the dpkg analyzer found under one root. */
export interface DpkgInventory {
  /** Sorted by name, then architecture. */
  readonly packages: readonly DpkgPackage[];
  readonly warnings: readonly InventoryWarning[];
}

/** The package ecosystems the inventory recognises. */
export type PackageType = 'deb' | 'rpm' | 'npm' | 'python' | 'java' | 'go';

/** One package of any ecosystem, as an analyzer found it under a root. */
export interface InventoryPackage {
  readonly type: PackageType;
  /** The ecosystem's own name: `libc6`, `@scope/name`, `group:artifact`, a Go module path. */
  readonly name: string;
  /** Exactly as recorded (dpkg and rpm versions include the epoch, `1:2.3-4`). */
  readonly version: string;
  /** The source package (deb, rpm) it was built from. */
  readonly sourceName?: string;
  readonly sourceVersion?: string;
  readonly arch?: string;
  /** Package URL (github.com/package-url/purl-spec). */
  readonly purl: string;
  /** Files it was found in, relative to the root; `a.war!/WEB-INF/lib/b.jar` inside archives. */
  readonly locations: readonly string[];
  /** License names or expressions as the package declares them. */
  readonly licenses?: readonly string[];
}

/** An analyzer's identity; part of scan cache keys, so a new version rescans. */
export interface AnalyzerVersion {
  readonly type: string;
  readonly version: number;
}

/** Everything found under one root: the image's software inventory (its SBOM). */
export interface Inventory {
  readonly os: OsRelease | undefined;
  /** Sorted by type, name, version, then purl. */
  readonly packages: readonly InventoryPackage[];
  readonly warnings: readonly InventoryWarning[];
  /** Every analyzer consulted (those that found no files too), sorted by type: a cache key part. */
  readonly analyzers: readonly AnalyzerVersion[];
}
