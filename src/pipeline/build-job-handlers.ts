import type { BaseImageService } from '../base-images/base-image-service.js';
import { findOsVersion } from '../domain/catalog/os-catalog.js';
import type { Clock } from '../domain/clock.js';
import type { Job } from '../domain/types.js';
import type { EventBus } from '../events/event-bus.js';
import type { BuildUpdate, Store } from '../store/store.js';
import { BuildLogWriter } from './build-log-writer.js';
import type { OsBuildRunner } from './os-build-runner.js';
import type { PrivateBuildRunner } from './private-build-runner.js';
import { describe, type JobHandler, type PoolLogger } from './worker-pool.js';

function payloadString(job: Job, key: string): string {
  const value = job.payload[key];
  if (typeof value !== 'string') throw new Error(`job ${job.id} has no ${key}`);
  return value;
}

/** Applies `change` to a build and tells subscribers its new state. */
async function updateBuild(
  store: Store,
  events: EventBus,
  buildId: string,
  change: BuildUpdate,
): Promise<void> {
  const updated = await store.builds.update(buildId, change);
  events.publish({
    type: 'build.updated',
    accountId: updated.accountId,
    buildId,
    packageGroupId: updated.packageGroupId,
    state: updated.state,
  });
}

/** Runs OS builds; a build that fails on our side is retried, then goes to Investigating. */
export function osBuildJobHandler(
  runner: OsBuildRunner,
  store: Store,
  events: EventBus,
  clock: Clock,
): JobHandler {
  return {
    run: (job, signal) => runner.run(payloadString(job, 'buildId'), job.attempts, signal),
    async failed(job, error, willRetry) {
      const buildId = payloadString(job, 'buildId');
      const log = new BuildLogWriter(buildId, store.logs, events, clock);
      log.system(
        willRetry
          ? `attempt ${job.attempts} failed on Goldsmith's side; retrying`
          : 'the build failed on Goldsmith’s side; operators are investigating',
      );
      await log.flush();
      await updateBuild(store, events, buildId, {
        state: willRetry ? 'Building' : 'Investigating',
        internalError: describe(error),
        finishedAt: willRetry ? null : clock.now().toISOString(),
      });
    },
    // The seller cancelled the build; the runner may have moved it on before it heard.
    async cancelled(job) {
      const buildId = payloadString(job, 'buildId');
      const current = await store.builds.get(null, buildId);
      if (current === undefined) return;
      await updateBuild(store, events, buildId, {
        state: 'Cancelled',
        finishedAt: current.finishedAt ?? clock.now().toISOString(),
      });
    },
  };
}

/** Rebuilds a base image from the current archive for an operator. */
export function baseRefreshJobHandler(bases: BaseImageService, logger: PoolLogger): JobHandler {
  return {
    async run(job, signal) {
      const osId = payloadString(job, 'osVersion');
      const os = findOsVersion(osId);
      if (os === undefined) throw new Error(`unknown OS version ${osId}`);
      await bases.refresh(
        os,
        (line) => logger.info({ jobId: job.id, osVersion: osId }, line),
        signal,
      );
    },
    async failed(job, error, willRetry) {
      logger.error({ jobId: job.id, err: error, willRetry }, 'base image refresh failed');
    },
  };
}

/** Runs buyers' private image builds; a build that fails on our side is retried, then InternalError. */
export function privateBuildJobHandler(runner: PrivateBuildRunner): JobHandler {
  return {
    run: (job, signal) => runner.run(payloadString(job, 'buildId'), job.attempts, signal),
    failed: (job, error, willRetry) =>
      runner.failed(payloadString(job, 'buildId'), describe(error), willRetry),
  };
}
