import type { ApiClient } from './api-client.js';
import type { Account, BuildState, Role } from './api-types.js';

/** A build as operators see it (`BuildSchema` in /openapi.json), with the fields the console shows. */
export interface OperatorBuild {
  readonly id: string;
  readonly packageGroupId: string;
  readonly osVersion: string;
  readonly state: BuildState;
  readonly submittedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly attempts: number;
  readonly internalError: string | null;
  readonly investigation: { readonly since: string; readonly contactAvailableAt: string } | null;
}

/** An Investigating build with whose it is. */
export interface Investigation extends OperatorBuild {
  readonly accountId: string;
  readonly accountName: string | null;
  readonly packageGroupName: string | null;
}

interface InvestigationsReply {
  readonly builds: OperatorBuild[];
  readonly owners: {
    readonly buildId: string;
    readonly accountId: string;
    readonly accountName: string | null;
    readonly packageGroupName: string | null;
  }[];
}

/** Every build in Investigating, oldest first, with its account and package group. */
export async function listInvestigations(client: ApiClient): Promise<Investigation[]> {
  const reply = await client.request<InvestigationsReply>('GET', '/v1/operator/investigations');
  const owners = new Map(reply.owners.map((o) => [o.buildId, o]));
  return reply.builds.map((build) => {
    const owner = owners.get(build.id);
    return {
      ...build,
      accountId: owner?.accountId ?? '',
      accountName: owner?.accountName ?? null,
      packageGroupName: owner?.packageGroupName ?? null,
    };
  });
}

/** Runs an Investigating build again from the start. */
export function retryBuild(client: ApiClient, buildId: string): Promise<OperatorBuild> {
  return client.request('POST', `/v1/operator/builds/${encodeURIComponent(buildId)}/retry`);
}

/** Closes an Investigating build as IssuesFound with a note to the seller. */
export function closeBuild(
  client: ApiClient,
  buildId: string,
  message: string,
): Promise<OperatorBuild> {
  return client.request('POST', `/v1/operator/builds/${encodeURIComponent(buildId)}/close`, {
    message,
  });
}

export interface BuildLogLine {
  readonly seq: number;
  readonly at: string;
  readonly stream: 'stdout' | 'stderr' | 'system';
  readonly text: string;
}

/** The first lines of a build's log. */
export async function readBuildLog(client: ApiClient, buildId: string): Promise<BuildLogLine[]> {
  const page = await client.request<{ lines: BuildLogLine[] }>(
    'GET',
    `/v1/builds/${encodeURIComponent(buildId)}/logs?after=0&limit=1000`,
  );
  return page.lines;
}

export interface SupportCase {
  readonly id: string;
  readonly accountId: string;
  readonly buildId: string;
  readonly message: string;
  readonly state: 'open' | 'closed';
  readonly createdAt: string;
}

/** Every support case sellers opened. */
export async function listSupportCases(client: ApiClient): Promise<SupportCase[]> {
  const reply = await client.request<{ supportCases: SupportCase[] }>('GET', '/v1/support-cases');
  return reply.supportCases;
}

/** An OS version of the catalog with its newest base image. */
export interface OsVersion {
  readonly id: string;
  readonly name: string;
  readonly baseImageId: string | null;
  readonly baseDigest: string | null;
  readonly baseCreatedAt: string | null;
}

export interface BaseImage {
  readonly imageId: string;
  readonly osVersion: string;
  readonly rootDigest: string;
  readonly recipe: Record<string, unknown>;
  readonly createdAt: string;
}

/** The OS versions with their newest base, and every base image made (newest first). */
export async function loadBaseImages(
  client: ApiClient,
): Promise<{ osVersions: OsVersion[]; baseImages: BaseImage[] }> {
  const [os, bases] = await Promise.all([
    client.request<{ osVersions: OsVersion[] }>('GET', '/v1/os-versions'),
    client.request<{ baseImages: BaseImage[] }>('GET', '/v1/base-images'),
  ]);
  return { osVersions: os.osVersions, baseImages: bases.baseImages };
}

/** Queues a rebuild of an OS version's base image; returns the job id. */
export async function refreshBaseImage(client: ApiClient, osVersion: string): Promise<string> {
  const reply = await client.request<{ jobId: string }>(
    'POST',
    `/v1/base-images/${encodeURIComponent(osVersion)}/refresh`,
  );
  return reply.jobId;
}

/** Every account. */
export async function listAccounts(client: ApiClient): Promise<Account[]> {
  return (await client.request<{ accounts: Account[] }>('GET', '/v1/accounts')).accounts;
}

export interface CreatedAccount {
  readonly accountId: string;
  readonly tokenId: string;
  readonly token: string;
}

/** Creates an account with a first API token. */
export function createAccount(
  client: ApiClient,
  name: string,
  roles: readonly Role[],
): Promise<CreatedAccount> {
  return client.request('POST', '/v1/accounts', { name, roles });
}

export interface IssuedToken {
  readonly accountId: string;
  readonly tokenId: string;
  readonly token: string;
}

/** Issues another API token for an account. */
export function issueToken(
  client: ApiClient,
  accountId: string,
  name: string,
): Promise<IssuedToken> {
  return client.request('POST', `/v1/accounts/${encodeURIComponent(accountId)}/tokens`, { name });
}

export interface ApiTokenInfo {
  readonly tokenId: string;
  readonly accountId: string;
  readonly name: string;
  readonly createdAt: string;
}

/** An account's API tokens, without their secrets. */
export async function listTokens(client: ApiClient, accountId: string): Promise<ApiTokenInfo[]> {
  const reply = await client.request<{ tokens: ApiTokenInfo[] }>(
    'GET',
    `/v1/accounts/${encodeURIComponent(accountId)}/tokens`,
  );
  return reply.tokens;
}

/** Revokes an API token. */
export async function revokeToken(
  client: ApiClient,
  accountId: string,
  tokenId: string,
): Promise<void> {
  await client.request(
    'DELETE',
    `/v1/accounts/${encodeURIComponent(accountId)}/tokens/${encodeURIComponent(tokenId)}`,
  );
}

export interface AccessKeyInfo {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** An account's access keys for the AWS-compatible API, without their secrets. */
export async function listAccessKeys(
  client: ApiClient,
  accountId: string,
): Promise<AccessKeyInfo[]> {
  const reply = await client.request<{ accessKeys: AccessKeyInfo[] }>(
    'GET',
    `/v1/access-keys?accountId=${encodeURIComponent(accountId)}`,
  );
  return reply.accessKeys;
}

/** Deletes an access key of any account. */
export async function deleteAccessKey(client: ApiClient, accessKeyId: string): Promise<void> {
  await client.request('DELETE', `/v1/access-keys/${encodeURIComponent(accessKeyId)}`);
}

export interface VulnerabilityDatabaseStatus {
  readonly records: number;
  readonly generation: number;
  readonly newestModified: string | null;
  readonly ecosystems: {
    readonly ecosystem: string;
    readonly records: number;
    readonly newestModified: string;
  }[];
  readonly sources: {
    readonly source: string;
    readonly records: number;
    readonly lastImportAt: string | null;
  }[];
}

/** What the advisory database holds. */
export function vulnerabilityDatabaseStatus(
  client: ApiClient,
): Promise<VulnerabilityDatabaseStatus> {
  return client.request('GET', '/v1/vulnerability-database');
}

export interface AdvisoryImportSummary {
  readonly source: string;
  readonly read: number;
  readonly imported: number;
  readonly skipped: number;
  readonly removed: number;
  readonly invalid: number;
  readonly invalidRecords: {
    readonly origin: string;
    readonly id: string | null;
    readonly reason: string;
  }[];
  readonly durationMs: number;
}

/** Uploads an OSV file (.json, .jsonl, .jsonl.xz, .zip) into the advisory database. */
export function importAdvisories(
  client: ApiClient,
  file: File,
  source: string,
  onProgress: (sent: number, total: number) => void,
): Promise<AdvisoryImportSummary> {
  const query = new URLSearchParams({ fileName: file.name, source });
  return client.upload(`/v1/vulnerability-database/imports?${query.toString()}`, file, onProgress);
}
