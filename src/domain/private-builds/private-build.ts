import type { Finding } from '../types.js';

/** Statuses of a buyer's private image build (the API model's BuildStatus). */
export const PRIVATE_BUILD_STATUSES = [
  'InProgress',
  'InternalError',
  'Failed',
  'Succeeded',
] as const;
export type PrivateBuildStatus = (typeof PRIVATE_BUILD_STATUSES)[number];

/**
 * Why a build failed: `InstallFailed` (the model's code for an installer that
 * failed or timed out) or the finding code of an installer rule or scan gate.
 */
export interface PrivateBuildErrorDetail {
  readonly code: string;
  readonly message: string;
}

/** A product installed by a build, as the model's Product shape names it. */
export interface PrivateBuildProduct {
  readonly id: string;
  readonly version: string;
  readonly title: string;
}

/**
 * A buyer's build of a private image: the fulfillment option's package group
 * installed onto a source image. Ids are `bld-` and 16 hex digits.
 */
export interface PrivateImageBuild {
  readonly id: string;
  readonly accountId: string;
  /** Exactly one today; the model allows a list. */
  readonly fulfillmentOptionIds: readonly string[];
  readonly sourceImageId: string;
  readonly destinationName: string;
  readonly destinationDescription: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly webhookUrl: string | null;
  readonly clientToken: string | null;
  /** sha256 of the request's parameters, to tell a retry from a different request. */
  readonly requestHash: string;
  readonly status: PrivateBuildStatus;
  readonly errorDetail: PrivateBuildErrorDetail | null;
  readonly findings: readonly Finding[];
  readonly imageId: string | null;
  readonly scanReportDigest: string | null;
  readonly products: readonly PrivateBuildProduct[];
  /** Our own failure, for operators; buyers see InternalError. */
  readonly internalError: string | null;
  readonly attempts: number;
  readonly startTime: string;
  readonly lastUpdateTime: string;
}

/** Fields of a private build that its run changes. */
export interface PrivateBuildUpdate {
  readonly status?: PrivateBuildStatus;
  readonly errorDetail?: PrivateBuildErrorDetail | null;
  readonly findings?: readonly Finding[];
  readonly imageId?: string | null;
  readonly scanReportDigest?: string | null;
  readonly internalError?: string | null;
  readonly attempts?: number;
  readonly lastUpdateTime: string;
}

/** Job kind of a private image build. Payload: `{ buildId }`. */
export const PRIVATE_BUILD_JOB = 'private-image-build';

/** The label naming the fulfillment option a private image came from (like AWS's tag). */
export const FULFILLMENT_ID_LABEL = 'AWSMarketplaceFulfillmentID';
