import { chmod, mkdir, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { BlobStore, Digest } from '../blobs/blob-store.js';
import type { GroupPackage } from '../domain/types.js';

/** Where a group's packages appear inside the sandbox (on its /run tmpfs, so never in the image). */
export const SANDBOX_PACKAGE_DIR = '/run/goldsmith/packages';

/** A group's packages laid out on the host for one build. */
export interface StagedPackages {
  readonly hostDir: string;
  readonly installerHostPath: string;
  readonly installerPath: string;
  readonly packagePaths: readonly string[];
  remove(): Promise<void>;
}

/** Copies a group's packages out of the blob store, the installer executable, the rest read-only. */
export async function stagePackages(
  blobs: BlobStore,
  packages: readonly GroupPackage[],
  hostDir: string,
): Promise<StagedPackages> {
  await rm(hostDir, { recursive: true, force: true });
  await mkdir(hostDir, { recursive: true });
  for (const pkg of packages) {
    const target = path.join(hostDir, pkg.fileName);
    // Reading through get() verifies the digest, so a corrupted blob never reaches a build.
    await pipeline(await blobs.get(pkg.digest as Digest), createWriteStream(target));
    await chmod(target, pkg.installer ? 0o755 : 0o644);
  }
  const installer = packages.find((p) => p.installer);
  if (installer === undefined) throw new Error('package group has no installer');
  return {
    hostDir,
    installerHostPath: path.join(hostDir, installer.fileName),
    installerPath: `${SANDBOX_PACKAGE_DIR}/${installer.fileName}`,
    packagePaths: packages.map((p) => `${SANDBOX_PACKAGE_DIR}/${p.fileName}`),
    remove: () => rm(hostDir, { recursive: true, force: true }),
  };
}
