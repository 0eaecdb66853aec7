/**
 * The scan report: what one scan of one image found, in Goldsmith's own form. Every output
 * format (table, JSON, CycloneDX, SPDX, SARIF) is rendered from this, and the gate writes its
 * decisions into it.
 */
import type {
  AnalyzerVersion,
  InventoryPackage,
  OsRelease,
  PackageType,
} from '../inventory/inventory-types.js';
import type { LayerOrigin } from '../layers/layer-origin.js';
import type { PolicySeverity, PolicyViolation } from '../policy/policy-check.js';
import type { Severity, SeveritySource } from '../severity/severity.js';

/** Bumped when the report's shape changes incompatibly. */
export const SCAN_REPORT_VERSION = 1;

/** What was scanned. */
export interface ScanTarget {
  readonly kind: 'directory' | 'rootfs-tar' | 'oci-archive' | 'oci-layout' | 'image' | 'build';
  /** As the user named it: a path, an image id. */
  readonly name: string;
  /** The Goldsmith image id when the target is (or became) one. */
  readonly imageId?: string;
  /** The image manifest digest when known. */
  readonly manifestDigest?: string;
}

/** One layer of the scanned image, lowest first, and whether its results came from the cache. */
export interface ScannedLayer {
  readonly origin: LayerOrigin;
  /** True when this layer's inventory, matches and policy results were read from the scan cache. */
  readonly cached: boolean;
}

/** A package of the inventory, with the layer that brought it (when the image has layers). */
export interface ScannedPackage extends InventoryPackage {
  readonly layer?: LayerOrigin;
}

/** Why the gate lets a finding through or stops the build on it. */
export type GateDecision =
  | {
      readonly blocking: true;
      /** The gate rule that matched, in words: `high severity with a fix`, `policy violation`. */
      readonly rule: string;
    }
  | {
      readonly blocking: false;
      readonly reason: 'below-threshold' | 'no-fix' | 'allow-listed' | 'not-affected';
      /** The allow-list entry's reason and expiry, or the VEX statement's justification. */
      readonly detail?: string;
    };

/** One advisory that reported a vulnerability. */
export interface AdvisoryRef {
  readonly id: string;
  /** The import source of the record, e.g. `osv` or `debian-security`. */
  readonly source: string;
  readonly modified: string;
}

/** One vulnerability of one package. */
export interface VulnerabilityFinding {
  /** The CVE id when there is one, else the advisory's own id. */
  readonly id: string;
  /** Every id that refers to it (the CVE, DSA/DLA/DTSA, GHSA, ...), sorted, including `id`. */
  readonly aliases: readonly string[];
  readonly advisories: readonly AdvisoryRef[];
  /** The first summary (or details line) an advisory gives. */
  readonly summary?: string;
  /** Links the advisories give (advisory pages, fixes). */
  readonly references: readonly string[];
  /** The OSV ecosystem matched against, e.g. `Debian:12`, `npm`. */
  readonly ecosystem: string;
  readonly package: {
    readonly type: PackageType;
    /** The binary package (or the ecosystem's package name). */
    readonly name: string;
    readonly sourceName?: string;
    readonly sourceVersion?: string;
    readonly purl: string;
    readonly locations: readonly string[];
  };
  /** The installed version of the binary package. */
  readonly installedVersion: string;
  /** The version compared with the advisories: the source version for Debian packages. */
  readonly comparedVersion: string;
  /** The earliest version an advisory names as fixed; null when no fix exists. */
  readonly fixedVersion: string | null;
  readonly severity: Severity;
  readonly score: number | null;
  readonly severitySource: SeveritySource;
  readonly vector: string | null;
  readonly layer?: LayerOrigin;
  readonly gate: GateDecision;
}

/** A policy violation as the report carries it: with the gate's decision. */
export interface PolicyFinding extends PolicyViolation {
  readonly gate: GateDecision;
}

/** The advisory database a scan matched against. */
export interface AdvisorySnapshot {
  /** Changes whenever the database changes: part of the scan cache key. */
  readonly id: string;
  readonly records: number;
  /** Newest `modified` of any record, null when the database is empty. */
  readonly newestModified: string | null;
}

export interface GateSummary {
  readonly passed: boolean;
  readonly blockingVulnerabilities: number;
  readonly blockingPolicyViolations: number;
  /** The rules in effect, in words, e.g. `critical or high vulnerabilities with a fix`. */
  readonly rules: readonly string[];
}

export interface ScanReport {
  readonly reportVersion: typeof SCAN_REPORT_VERSION;
  readonly scanner: { readonly name: 'goldsmith'; readonly version: string };
  readonly createdAt: string;
  readonly target: ScanTarget;
  readonly os: OsRelease | undefined;
  readonly layers: readonly ScannedLayer[];
  readonly analyzers: readonly AnalyzerVersion[];
  /** Sorted by type, name, version, then purl. */
  readonly packages: readonly ScannedPackage[];
  /** Sorted by severity (most severe first), package name, then id. */
  readonly vulnerabilities: readonly VulnerabilityFinding[];
  readonly policy: {
    readonly violations: readonly PolicyFinding[];
    readonly ran: readonly { readonly checkId: string; readonly version: number }[];
    /** Checks that could not decide (e.g. ClamAV absent): shown, never a silent pass. */
    readonly notRun: readonly { readonly checkId: string; readonly reason: string }[];
  };
  readonly advisoryDatabase: AdvisorySnapshot;
  /** Ecosystems with packages but no advisory support, and items skipped, one message each. */
  readonly warnings: readonly string[];
  readonly gate: GateSummary;
}

/** Severities from most to least severe: report order and `--severity` filters. */
export const SEVERITY_ORDER: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'negligible',
  'unknown',
];

/** Policy severities share the scale. */
export type AnySeverity = Severity | PolicySeverity;

/** A vulnerability before the gate has looked at it. */
export type UngatedVulnerability = Omit<VulnerabilityFinding, 'gate'>;

/** A scan's results before the gate: what the scanner produces, and the gate's input. */
export interface UngatedScanReport extends Omit<ScanReport, 'vulnerabilities' | 'policy' | 'gate'> {
  readonly vulnerabilities: readonly UngatedVulnerability[];
  readonly policy: {
    readonly violations: readonly PolicyViolation[];
    readonly ran: readonly { readonly checkId: string; readonly version: number }[];
    readonly notRun: readonly { readonly checkId: string; readonly reason: string }[];
  };
}
