import type { OsVersion } from '../catalog/os-catalog.js';
import type { Platform } from '../types.js';

/** Isolation kinds a worker can run installers in: containers (runc) today, virtual machines later. */
export const ISOLATION_KINDS = ['container', 'vm'] as const;
export type IsolationKind = (typeof ISOLATION_KINDS)[number];

/**
 * What a job needs of the worker that runs it; a missing field means any.
 * Stored with the job, so a worker only claims jobs it can run.
 */
export interface JobRequirements {
  readonly platform?: Platform;
  readonly osFamily?: OsVersion['family'];
  readonly isolation?: IsolationKind;
}

/** What one worker process can run: it claims jobs whose requirements all fall in these lists. */
export interface WorkerCapabilities {
  readonly platforms: readonly Platform[];
  readonly osFamilies: readonly OsVersion['family'][];
  readonly isolation: readonly IsolationKind[];
}

/** What a build on `os` needs: its platform and family, in the isolation kind that platform uses. */
export function requirementsForOs(os: OsVersion): JobRequirements {
  return {
    platform: os.platform,
    osFamily: os.family,
    isolation: os.platform === 'windows' ? 'vm' : 'container',
  };
}

/** Whether a worker with `capabilities` can run a job needing `requirements`. */
export function canRun(capabilities: WorkerCapabilities, requirements: JobRequirements): boolean {
  return (
    (requirements.platform === undefined ||
      capabilities.platforms.includes(requirements.platform)) &&
    (requirements.osFamily === undefined ||
      capabilities.osFamilies.includes(requirements.osFamily)) &&
    (requirements.isolation === undefined ||
      capabilities.isolation.includes(requirements.isolation))
  );
}

/** This build of Goldsmith's workers: Linux builds of Debian in runc containers. */
export const DEFAULT_WORKER_CAPABILITIES: WorkerCapabilities = {
  platforms: ['linux'],
  osFamilies: ['debian'],
  isolation: ['container'],
};
