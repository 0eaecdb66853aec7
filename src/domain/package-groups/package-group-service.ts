import { DomainError } from '../../errors/domain-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { OsBuild, PackageGroup, Platform } from '../types.js';
import { OS_BUILD_JOB } from '../builds/build-jobs.js';
import { checkAccountQueue } from '../jobs/account-queue.js';
import { requirementsForOs } from '../jobs/job-requirements.js';
import type { BuildView } from '../builds/build-view.js';
import { deriveGroupState, isFinalState } from './group-state.js';
import { checkPackageGroup, type CatalogView } from './package-group-rules.js';

export interface CreatePackageGroupInput {
  readonly name: string;
  readonly platform: Platform;
  readonly osVersions: readonly string[];
  readonly packages: readonly { readonly packageId: string; readonly installer: boolean }[];
}

/** A package group as sellers see it: its derived state and its OS builds. */
export interface PackageGroupView extends PackageGroup {
  readonly state: OsBuild['state'];
  readonly builds: OsBuild[];
}

/** A package group as the API shows it to one viewer. */
export type PresentedPackageGroup = Omit<PackageGroupView, 'builds'> & {
  readonly builds: BuildView[];
};

export interface PackageGroupServiceOptions {
  readonly jobMaxAttempts: number;
  /** Build jobs one account may have queued or running at once. */
  readonly accountQueueLimit: number;
}

/** Creating, listing and deleting a seller's package groups. */
export class PackageGroupService {
  constructor(
    private readonly store: Store,
    private readonly catalog: CatalogView,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly options: PackageGroupServiceOptions,
  ) {}

  /** Checks every rule, then records the group, one build per OS version and their jobs, atomically. */
  async create(accountId: string, input: CreatePackageGroupInput): Promise<PackageGroupView> {
    const packages = await Promise.all(
      input.packages.map(async (ref) => {
        const pkg = await this.store.packages.get(accountId, ref.packageId);
        if (pkg === undefined)
          throw new DomainError('PACKAGE_NOT_FOUND', `package ${ref.packageId} not found`);
        return { ...pkg, installer: ref.installer };
      }),
    );
    const osVersions = checkPackageGroup(
      {
        name: input.name,
        platform: input.platform,
        osVersions: input.osVersions,
        packages: packages.map((p) => ({
          packageId: p.id,
          fileName: p.fileName,
          installer: p.installer,
        })),
      },
      this.catalog,
    );
    const now = this.clock.now().toISOString();
    const group: PackageGroup = {
      id: newId('pg'),
      accountId,
      name: input.name,
      platform: input.platform,
      osVersions: osVersions.map((os) => os.id),
      packages: packages.map((p) => ({
        packageId: p.id,
        fileName: p.fileName,
        digest: p.digest,
        size: p.size,
        installer: p.installer,
      })),
      createdAt: now,
      deletedAt: null,
    };
    const builds: OsBuild[] = osVersions.map((os) => ({
      id: newId('build'),
      accountId,
      packageGroupId: group.id,
      osVersion: os.id,
      state: 'Building',
      imageId: null,
      baseImageId: null,
      baseDigest: null,
      scanReportDigest: null,
      submittedAt: now,
      startedAt: null,
      finishedAt: null,
      phases: {},
      findings: [],
      internalError: null,
      attempts: 0,
    }));
    await this.store.transaction(async (tx) => {
      await checkAccountQueue(tx.jobs, accountId, builds.length, this.options.accountQueueLimit);
      if (!(await tx.packageGroups.insertReservingName(group))) {
        throw new DomainError(
          'PACKAGE_GROUP_NAME_USED',
          `the name ${group.name} was used before by this account; names cannot be reused, even after a failed build or deletion`,
        );
      }
      for (const [index, build] of builds.entries()) {
        const os = osVersions[index];
        if (os === undefined) throw new Error(`no OS version for build ${build.id}`);
        await tx.builds.insert(build);
        await tx.jobs.enqueue({
          id: newId('job'),
          kind: OS_BUILD_JOB,
          payload: { buildId: build.id },
          accountId,
          maxAttempts: this.options.jobMaxAttempts,
          runAfter: now,
          createdAt: now,
          requirements: requirementsForOs(os),
        });
      }
    });
    this.events.publish({ type: 'job.enqueued', kind: OS_BUILD_JOB });
    return { ...group, state: deriveGroupState(builds), builds };
  }

  /** The account's groups, newest first, with their builds. */
  async list(accountId: string): Promise<PackageGroupView[]> {
    const groups = await this.store.packageGroups.list(accountId);
    const builds = await this.store.builds.listForGroups(
      accountId,
      groups.map((g) => g.id),
    );
    return groups.map((group) =>
      withBuilds(
        group,
        builds.filter((b) => b.packageGroupId === group.id),
      ),
    );
  }

  /** One group by id or name; another account's group is not found. */
  async get(accountId: string, idOrName: string): Promise<PackageGroupView> {
    const group =
      (await this.store.packageGroups.get(accountId, idOrName)) ??
      (await this.store.packageGroups.getByName(accountId, idOrName));
    if (group === undefined || group.deletedAt !== null) {
      throw new DomainError('PACKAGE_GROUP_NOT_FOUND', `package group ${idOrName} not found`);
    }
    return withBuilds(group, await this.store.builds.listForGroup(accountId, group.id));
  }

  /**
   * Cancels the group's unfinished builds: they end Cancelled and their jobs
   * are never claimed again; a worker running one aborts it at its next
   * heartbeat. Refused when every build has already finished.
   */
  async cancel(accountId: string, idOrName: string): Promise<PackageGroupView> {
    const group = await this.get(accountId, idOrName);
    const now = this.clock.now().toISOString();
    const cancelled = await this.store.transaction(async (tx) => {
      const builds = await tx.builds.listForGroup(accountId, group.id);
      // Investigating builds run no job: the operators retry or close them.
      const unfinished = builds.filter((b) => b.state === 'Building' || b.state === 'Scanning');
      if (unfinished.length === 0) {
        throw new DomainError(
          'NOTHING_TO_CANCEL',
          `package group ${group.name} has no unfinished build to cancel`,
        );
      }
      const ids = new Set(unfinished.map((b) => b.id));
      for (const job of await tx.jobs.listActive(accountId, [OS_BUILD_JOB])) {
        if (ids.has(String(job.payload['buildId']))) await tx.jobs.cancel(job.id, now);
      }
      const updated: OsBuild[] = [];
      for (const build of unfinished) {
        updated.push(await tx.builds.update(build.id, { state: 'Cancelled', finishedAt: now }));
        await tx.logs.append(build.id, [
          { at: now, stream: 'system', text: 'the seller cancelled the build' },
        ]);
      }
      return updated;
    });
    for (const build of cancelled) {
      this.events.publish({
        type: 'build.updated',
        accountId,
        buildId: build.id,
        packageGroupId: build.packageGroupId,
        state: build.state,
      });
    }
    return this.get(accountId, group.id);
  }

  /** Deletes a group whose builds have all finished; its name stays used. */
  async delete(accountId: string, idOrName: string): Promise<void> {
    const group = await this.get(accountId, idOrName);
    if (!group.builds.every((b) => isFinalState(b.state))) {
      throw new DomainError(
        'PACKAGE_GROUP_BUSY',
        `package group ${group.name} still has builds in progress`,
      );
    }
    await this.store.packageGroups.markDeleted(accountId, group.id, this.clock.now().toISOString());
  }
}

function withBuilds(group: PackageGroup, builds: OsBuild[]): PackageGroupView {
  const ordered = [...builds].sort(
    (a, b) => group.osVersions.indexOf(a.osVersion) - group.osVersions.indexOf(b.osVersion),
  );
  return { ...group, state: deriveGroupState(ordered), builds: ordered };
}
