import type { BaseImageService } from '../base-images/base-image-service.js';
import { findOsVersion } from '../domain/catalog/os-catalog.js';
import type { Clock } from '../domain/clock.js';
import type { OsBuild } from '../domain/types.js';
import type { EventBus } from '../events/event-bus.js';
import type { BuildUpdate, Store } from '../store/store.js';
import { BuildLogWriter } from './build-log-writer.js';
import {
  PhaseTracker,
  type InstallPlan,
  type PhaseObserver,
  type SandboxedInstall,
} from './sandboxed-install.js';

export interface OsBuildRunnerDeps {
  readonly store: Store;
  readonly bases: BaseImageService;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly install: SandboxedInstall;
  /** Told of each finished phase of a build attempt (metrics). */
  readonly observePhase?: PhaseObserver;
}

/**
 * Runs one OS build of a package group from start to end on the OS's base
 * image. The seller's failures end the build in IssuesFound with findings;
 * our own failures are thrown for the worker to retry or to turn into
 * Investigating.
 */
export class OsBuildRunner {
  constructor(private readonly deps: OsBuildRunnerDeps) {}

  /** Runs the build `buildId` as attempt `attempt`. */
  async run(buildId: string, attempt: number, signal: AbortSignal): Promise<void> {
    const { store, clock } = this.deps;
    const build = await store.builds.get(null, buildId);
    if (build === undefined) throw new Error(`build ${buildId} does not exist`);
    const group = await store.packageGroups.get(build.accountId, build.packageGroupId);
    if (group === undefined)
      throw new Error(`package group ${build.packageGroupId} of build ${buildId} does not exist`);
    const os = findOsVersion(build.osVersion);
    if (os === undefined)
      throw new Error(`OS version ${build.osVersion} is no longer in the catalog`);

    const log = new BuildLogWriter(build.id, store.logs, this.deps.events, clock);
    const tracker = new PhaseTracker(clock, this.deps.observePhase);
    const update = (change: BuildUpdate) =>
      this.update(build, { ...change, phases: tracker.phases });
    await update({
      state: 'Building',
      attempts: attempt,
      startedAt: clock.now().toISOString(),
      finishedAt: null,
      findings: [],
      internalError: null,
    });
    log.system(`build ${build.id}: ${group.name} on ${os.id}, attempt ${attempt}`);

    const plan: InstallPlan = {
      runId: build.id,
      os,
      platform: group.platform,
      group,
      source: async (progress, abort) => {
        const base = await this.deps.bases.ensure(os, progress, abort);
        await update({ baseImageId: base.image.id, baseDigest: base.base.rootDigest });
        progress(`base image ${base.image.id} (${base.base.rootDigest})`);
        return {
          image: base.image,
          rootDir: base.rootDir,
          description: `Goldsmith base image ${base.image.id}`,
        };
      },
      imageKind: 'test',
      ownerAccountId: build.accountId,
      labels: { 'org.goldsmith.package-group': group.name, 'org.goldsmith.build': build.id },
    };
    const result = await this.deps.install.run(
      plan,
      attempt,
      {
        log,
        tracker,
        logs: store.logs,
        progress: async ({ scanning }) => update(scanning === true ? { state: 'Scanning' } : {}),
      },
      signal,
    );
    const finishedAt = clock.now().toISOString();
    if (result.kind === 'issues') {
      await update({
        state: 'IssuesFound',
        findings: result.findings,
        finishedAt,
        ...(result.scanReportDigest === null ? {} : { scanReportDigest: result.scanReportDigest }),
      });
      return;
    }
    await update({
      state: 'Successful',
      imageId: result.image.id,
      scanReportDigest: result.scanReportDigest,
      finishedAt,
    });
  }

  private async update(build: OsBuild, change: BuildUpdate): Promise<void> {
    const updated = await this.deps.store.builds.update(build.id, change);
    this.deps.events.publish({
      type: 'build.updated',
      accountId: updated.accountId,
      buildId: updated.id,
      packageGroupId: updated.packageGroupId,
      state: updated.state,
    });
  }
}
