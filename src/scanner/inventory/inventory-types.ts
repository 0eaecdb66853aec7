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
