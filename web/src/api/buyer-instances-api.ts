import type { ApiClient } from './api-client.js';

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated';

/** An image launched as an instance on the Goldsmith host. */
export interface Instance {
  readonly id: string;
  readonly imageId: string;
  readonly command: readonly string[] | null;
  readonly defaultCommand: boolean;
  readonly state: InstanceState;
  readonly stateReason: string | null;
  readonly exitCode: number | null;
  readonly launchedAt: string;
  readonly stoppedAt: string | null;
  readonly terminatedAt: string | null;
}

/** One page of an instance's console output. */
export interface ConsolePage {
  readonly lines: readonly { readonly seq: number; readonly at: string; readonly text: string }[];
  readonly nextSeq: number;
  readonly complete: boolean;
}

/** An access key for the AWS-compatible API; the secret only in the create reply. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly secretAccessKey?: string;
}

/** The caller's instances, newest first. */
export async function listInstances(client: ApiClient): Promise<Instance[]> {
  const body = await client.request<{ instances: Instance[] }>('GET', '/v1/instances');
  return body.instances;
}

/** One instance. */
export function getInstance(client: ApiClient, instanceId: string): Promise<Instance> {
  return client.request<Instance>('GET', `/v1/instances/${encodeURIComponent(instanceId)}`);
}

/** Launches an image; without a command the image's init runs. */
export function launchInstance(
  client: ApiClient,
  imageId: string,
  command: readonly string[] | undefined,
): Promise<Instance> {
  return client.request<Instance>('POST', '/v1/instances', {
    imageId,
    ...(command === undefined ? {} : { command }),
  });
}

/** Console lines after `after`. */
export function readConsole(
  client: ApiClient,
  instanceId: string,
  after: number,
): Promise<ConsolePage> {
  return client.request<ConsolePage>(
    'GET',
    `/v1/instances/${encodeURIComponent(instanceId)}/console?after=${after}`,
  );
}

/** Stops or terminates an instance. */
export function changeInstance(
  client: ApiClient,
  instanceId: string,
  action: 'stop' | 'terminate',
): Promise<Instance> {
  return client.request<Instance>(
    'POST',
    `/v1/instances/${encodeURIComponent(instanceId)}/${action}`,
  );
}

/** The caller's access keys, without secrets. */
export async function listAccessKeys(client: ApiClient): Promise<AccessKey[]> {
  const body = await client.request<{ accessKeys: AccessKey[] }>('GET', '/v1/access-keys');
  return body.accessKeys;
}

/** Creates an access key; the reply is the only time its secret is shown. */
export function createAccessKey(client: ApiClient): Promise<Required<AccessKey>> {
  return client.request<Required<AccessKey>>('POST', '/v1/access-keys');
}

/** Deletes an access key. */
export function deleteAccessKey(client: ApiClient, accessKeyId: string): Promise<void> {
  return client.request<void>('DELETE', `/v1/access-keys/${encodeURIComponent(accessKeyId)}`);
}
