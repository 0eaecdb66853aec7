import type { JobRequirements } from './jobs/job-requirements.js';

/** Roles an account can hold; one account may hold several. */
export const ROLES = ['seller', 'buyer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const PLATFORMS = ['linux', 'windows'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** States of one OS build, and (derived) of a package group. */
export const BUILD_STATES = [
  'Building',
  'Scanning',
  'Successful',
  'IssuesFound',
  'Investigating',
  // The seller cancelled the build before it finished.
  'Cancelled',
] as const;
export type BuildState = (typeof BUILD_STATES)[number];

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly roles: Role[];
  readonly createdAt: string;
}

export interface ApiToken {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** sha256 of the secret, hex; the secret itself is never stored. */
  readonly secretHash: string;
  readonly createdAt: string;
}

export interface StoredPackage {
  readonly id: string;
  readonly accountId: string;
  readonly fileName: string;
  readonly digest: string;
  readonly size: number;
  readonly createdAt: string;
}

export interface GroupPackage {
  readonly packageId: string;
  readonly fileName: string;
  readonly digest: string;
  readonly size: number;
  readonly installer: boolean;
}

export interface PackageGroup {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly platform: Platform;
  readonly osVersions: string[];
  readonly packages: GroupPackage[];
  readonly createdAt: string;
  readonly deletedAt: string | null;
}

export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Why a build or scan is not clean: data for the seller, never an exception. */
export interface Finding {
  readonly code: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly remedy: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export const BUILD_PHASES = [
  'base',
  'network',
  'sandbox',
  'install',
  'checks',
  'commit',
  'scan',
] as const;
export type BuildPhase = (typeof BUILD_PHASES)[number];

export interface PhaseTiming {
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface OsBuild {
  readonly id: string;
  readonly accountId: string;
  readonly packageGroupId: string;
  readonly osVersion: string;
  readonly state: BuildState;
  readonly imageId: string | null;
  readonly baseImageId: string | null;
  readonly baseDigest: string | null;
  /** The blob of the scan report (JSON), once the Scanning stage ran. */
  readonly scanReportDigest: string | null;
  readonly submittedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly phases: Readonly<Partial<Record<BuildPhase, PhaseTiming>>>;
  readonly findings: Finding[];
  /** Our own failure, for operators only; sellers see `Investigating`. */
  readonly internalError: string | null;
  readonly attempts: number;
}

export type LogStream = 'stdout' | 'stderr' | 'system';

export interface LogLine {
  readonly seq: number;
  readonly at: string;
  readonly stream: LogStream;
  readonly text: string;
}

export const IMAGE_KINDS = ['base', 'test', 'gold', 'private'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export interface ImageLayer {
  readonly mediaType: string;
  /** sha256 of the compressed blob, as in the manifest. */
  readonly digest: string;
  /** sha256 of the uncompressed tar, as in the config's rootfs.diff_ids. */
  readonly diffId: string;
  readonly size: number;
}

export interface Image {
  readonly id: string;
  readonly accountId: string;
  readonly kind: ImageKind;
  readonly osVersion: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layers: ImageLayer[];
  readonly parentImageId: string | null;
  readonly sbomDigest: string | null;
  /** The blob of the image's scan report (JSON), when it was scanned. */
  readonly scanReportDigest: string | null;
  readonly createdAt: string;
}

/** A base image of the catalog: the newest ready one per OS version is used. */
export interface BaseImage {
  readonly imageId: string;
  readonly osVersion: string;
  /** Digest of the root filesystem layer (its diff id); names the host-side root cache. */
  readonly rootDigest: string;
  readonly recipe: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** A seller's request to the operators about a build that stayed in Investigating. */
export interface SupportCase {
  readonly id: string;
  readonly accountId: string;
  readonly buildId: string;
  readonly message: string;
  readonly state: 'open' | 'closed';
  readonly createdAt: string;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly accountId: string | null;
  readonly state: JobState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
  readonly runAfter: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** What the job needs of the worker that runs it. */
  readonly requirements: JobRequirements;
}
