import type { ApiClient } from './api-client.js';
import type { PackageGroup } from './api-types.js';

/** The signed-in seller's package groups, newest first. */
export async function listPackageGroups(client: ApiClient): Promise<PackageGroup[]> {
  const body = await client.request<{ packageGroups: PackageGroup[] }>('GET', '/v1/package-groups');
  return body.packageGroups;
}
