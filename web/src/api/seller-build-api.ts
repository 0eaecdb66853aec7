import type { ApiClient } from './api-client.js';
import type { BuildState, PackageGroup } from './api-types.js';

// Shapes of the Image Build endpoints (packages, package groups, builds, images) the seller pages read.

/** An uploaded package file (`GET /v1/packages`). */
export interface UploadedPackage {
  readonly id: string;
  readonly fileName: string;
  readonly digest: string;
  readonly size: number;
  readonly createdAt: string;
}

/** What a seller must fix, or what the operators look into (`Finding` in /openapi.json). */
export interface BuildFinding {
  readonly code: string;
  readonly severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  readonly message: string;
  readonly remedy: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** One OS build of a package group (`GET /v1/builds/:id`). */
export interface OsBuild {
  readonly id: string;
  readonly packageGroupId: string;
  readonly osVersion: string;
  readonly state: BuildState;
  readonly imageId: string | null;
  readonly submittedAt: string;
  readonly finishedAt: string | null;
  readonly findings: readonly BuildFinding[];
  readonly investigation: { readonly since: string; readonly contactAvailableAt: string } | null;
}

/** A package group with its packages and OS builds. */
export interface PackageGroupDetail extends PackageGroup {
  readonly packages: readonly {
    readonly packageId: string;
    readonly fileName: string;
    readonly size: number;
    readonly installer: boolean;
  }[];
  readonly builds: readonly OsBuild[];
}

/** An OS version a package group may choose (`GET /v1/os-versions`). */
export interface OfferedOsVersion {
  readonly id: string;
  readonly name: string;
  readonly platform: 'linux' | 'windows';
}

/** The body of `POST /v1/package-groups`. */
export interface NewPackageGroup {
  readonly name: string;
  readonly platform: 'linux' | 'windows';
  readonly osVersions: readonly string[];
  readonly packages: readonly { readonly packageId: string; readonly installer: boolean }[];
}

/** One line of installer output. */
export interface BuildLogLine {
  readonly seq: number;
  readonly at: string;
  readonly stream: 'stdout' | 'stderr' | 'system';
  readonly text: string;
}

/** An image's metadata (`GET /v1/images/:id`). */
export interface ImageRecord {
  readonly id: string;
  readonly kind: string;
  readonly osVersion: string;
  readonly manifestDigest: string;
  readonly parentImageId: string | null;
  readonly scanReportDigest: string | null;
  readonly createdAt: string;
}

/** A component of a CycloneDX SBOM, as far as the console shows it. */
export interface SbomComponent {
  readonly name: string;
  readonly version?: string;
  readonly type?: string;
  readonly purl?: string;
}

/** A vulnerability of the scan report's JSON format. */
export interface ReportVulnerability {
  readonly id: string;
  readonly severity: string;
  readonly installedVersion: string;
  readonly fixedVersion: string | null;
  readonly summary?: string;
  readonly package: { readonly name: string };
}

/** A policy violation of the scan report's JSON format. */
export interface ReportPolicyFinding {
  readonly checkId: string;
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly remedy: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** The parts of the scan report's JSON format the console shows. */
export interface ScanReportJson {
  readonly vulnerabilities: readonly ReportVulnerability[];
  readonly policy: { readonly violations: readonly ReportPolicyFinding[] };
  readonly gate: { readonly passed: boolean; readonly rules: readonly string[] };
}

/** Report formats of `GET /v1/images/:id/scan-report?format=`. */
export const REPORT_FORMATS = ['table', 'json', 'cyclonedx', 'spdx', 'sarif'] as const;

/** The signed-in seller's uploaded packages. */
export async function listUploadedPackages(client: ApiClient): Promise<UploadedPackage[]> {
  return (await client.request<{ packages: UploadedPackage[] }>('GET', '/v1/packages')).packages;
}

/** Uploads one package file, reporting progress. */
export function uploadPackage(
  client: ApiClient,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadedPackage> {
  return client.upload<UploadedPackage>(
    `/v1/packages?fileName=${encodeURIComponent(file.name)}`,
    file,
    onProgress,
  );
}

/** The OS versions package groups may choose. */
export async function listOsVersions(client: ApiClient): Promise<OfferedOsVersion[]> {
  return (await client.request<{ osVersions: OfferedOsVersion[] }>('GET', '/v1/os-versions'))
    .osVersions;
}

/** The seller's package groups with their packages and builds, newest first. */
export async function listPackageGroupDetails(client: ApiClient): Promise<PackageGroupDetail[]> {
  return (
    await client.request<{ packageGroups: PackageGroupDetail[] }>('GET', '/v1/package-groups')
  ).packageGroups;
}

/** One package group by id or name. */
export function getPackageGroup(client: ApiClient, idOrName: string): Promise<PackageGroupDetail> {
  return client.request<PackageGroupDetail>(
    'GET',
    `/v1/package-groups/${encodeURIComponent(idOrName)}`,
  );
}

/** Creates a package group; its builds start at once. */
export function createPackageGroup(
  client: ApiClient,
  group: NewPackageGroup,
): Promise<PackageGroupDetail> {
  return client.request<PackageGroupDetail>('POST', '/v1/package-groups', group);
}

/** A build's installer output so far (the first 1000 lines). */
export async function getBuildLogs(client: ApiClient, buildId: string): Promise<BuildLogLine[]> {
  const page = await client.request<{ lines: BuildLogLine[] }>(
    'GET',
    `/v1/builds/${encodeURIComponent(buildId)}/logs`,
  );
  return page.lines;
}

/** Opens a support case about a build Investigating for four business days or more. */
export async function openSupportCase(
  client: ApiClient,
  buildId: string,
  message: string,
): Promise<void> {
  await client.request('POST', `/v1/builds/${encodeURIComponent(buildId)}/support-cases`, {
    message,
  });
}

/** One image's metadata. */
export function getImage(client: ApiClient, imageId: string): Promise<ImageRecord> {
  return client.request<ImageRecord>('GET', `/v1/images/${encodeURIComponent(imageId)}`);
}

/** The components of an image's CycloneDX SBOM. */
export async function getImageSbomComponents(
  client: ApiClient,
  imageId: string,
): Promise<SbomComponent[]> {
  const sbom = await client.request<{ components?: SbomComponent[] }>(
    'GET',
    `/v1/images/${encodeURIComponent(imageId)}/sbom`,
  );
  return sbom.components ?? [];
}

/** The address of an image's SBOM, for a download link. */
export function imageSbomHref(imageId: string): string {
  return `/v1/images/${encodeURIComponent(imageId)}/sbom`;
}

/** The address of an image's scan report in a format, optionally only some severities. */
export function imageScanReportHref(
  imageId: string,
  format: (typeof REPORT_FORMATS)[number],
  severities: readonly string[] = [],
): string {
  const query = new URLSearchParams({ format });
  if (severities.length > 0) query.set('severity', severities.join(','));
  return `/v1/images/${encodeURIComponent(imageId)}/scan-report?${query.toString()}`;
}

/** An image's scan report as JSON, filtered by severity on the server. */
export function getImageScanReport(
  client: ApiClient,
  imageId: string,
  severities: readonly string[],
): Promise<ScanReportJson> {
  return client.request<ScanReportJson>('GET', imageScanReportHref(imageId, 'json', severities));
}
