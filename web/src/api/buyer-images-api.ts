import type { ApiClient } from './api-client.js';

/** An image a buyer can build on (`/v1/gold-images`): its own gold images and shared base images. */
export interface SourceImage {
  readonly id: string;
  readonly name: string;
  readonly kind: 'base' | 'test' | 'gold' | 'private';
  readonly osVersion: string;
  readonly owner: 'self' | 'shared';
  readonly createdAt: string;
  readonly sizeBytes: number;
}

/** An image's metadata (`/v1/private-images`, `/v1/images`). */
export interface ImageMetadata {
  readonly id: string;
  readonly kind: 'base' | 'test' | 'gold' | 'private';
  readonly osVersion: string;
  readonly manifestDigest: string;
  readonly parentImageId: string | null;
  readonly layers: readonly { readonly size: number }[];
  readonly createdAt: string;
}

export type PrivateBuildStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'InternalError';

/** A private image build. */
export interface PrivateBuild {
  readonly id: string;
  readonly fulfillmentOptionIds: readonly string[];
  readonly sourceImageId: string;
  readonly destinationImage: {
    readonly id: string | null;
    readonly name: string;
    readonly description: string | null;
  };
  readonly tags: Readonly<Record<string, string>>;
  readonly webhookUrl: string | null;
  readonly status: PrivateBuildStatus;
  readonly errorDetail: { readonly code: string; readonly message: string } | null;
  readonly products: readonly {
    readonly id: string;
    readonly version: string;
    readonly title: string;
  }[];
  readonly standardOutputUrl: string;
  readonly standardErrorUrl: string;
  readonly startTime: string;
  readonly lastUpdateTime: string;
}

/** What "Create new private image" sends. */
export interface StartPrivateBuild {
  readonly fulfillmentOptionIds: readonly string[];
  readonly sourceImageId: string;
  readonly destinationImageName: string;
  readonly destinationImageDescription?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly webhookUrl?: string;
  readonly clientToken: string;
}

/** The destination name rule of the API (src/domain/private-builds/private-build-rules.ts). */
export const DESTINATION_NAME_RULE = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;
export const MAX_DESTINATION_DESCRIPTION = 255;

/** The images the buyer can build on and launch, own and shared. */
export async function listSourceImages(client: ApiClient): Promise<SourceImage[]> {
  const body = await client.request<{ images: SourceImage[] }>('GET', '/v1/gold-images');
  return body.images;
}

/** Imports a gold image from a root filesystem tar, OCI archive or disk image. */
export function importGoldImage(
  client: ApiClient,
  file: File,
  name: string,
  onProgress: (sent: number, total: number) => void,
): Promise<SourceImage> {
  const params = new URLSearchParams({ fileName: file.name });
  if (name !== '') params.set('name', name);
  return client.upload<SourceImage>(`/v1/gold-images?${params.toString()}`, file, onProgress);
}

/** The buyer's private images, newest first. */
export async function listPrivateImages(client: ApiClient): Promise<ImageMetadata[]> {
  const body = await client.request<{ images: ImageMetadata[] }>('GET', '/v1/private-images');
  return body.images;
}

/** The buyer's private image builds, newest first (every page of them). */
export async function listPrivateBuilds(client: ApiClient): Promise<PrivateBuild[]> {
  const builds: PrivateBuild[] = [];
  let nextToken: string | undefined;
  do {
    const suffix = nextToken === undefined ? '' : `?nextToken=${encodeURIComponent(nextToken)}`;
    const page = await client.request<{ builds: PrivateBuild[]; nextToken?: string }>(
      'GET',
      `/v1/private-image-builds${suffix}`,
    );
    builds.push(...page.builds);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return builds;
}

/** Starts a private image build. */
export function startPrivateBuild(
  client: ApiClient,
  input: StartPrivateBuild,
): Promise<PrivateBuild> {
  return client.request<PrivateBuild>('POST', '/v1/private-image-builds', input);
}

/** Download links of an image's exports. */
export function exportLinks(imageId: string): { label: string; href: string }[] {
  const base = `/v1/images/${encodeURIComponent(imageId)}`;
  return [
    { label: 'OCI archive', href: `${base}/oci-archive` },
    { label: 'Raw disk', href: `${base}/disk?format=raw` },
    { label: 'qcow2 disk', href: `${base}/disk?format=qcow2` },
  ];
}
