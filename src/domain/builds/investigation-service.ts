import { DomainError } from '../../errors/domain-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import { findOsVersion } from '../catalog/os-catalog.js';
import type { Clock } from '../clock.js';
import { makeFinding } from '../findings/finding-catalogue.js';
import { newId } from '../ids.js';
import { requirementsForOs } from '../jobs/job-requirements.js';
import type { Account, OsBuild, SupportCase } from '../types.js';
import { OS_BUILD_JOB } from './build-jobs.js';
import type { BuildPresenter, BuildView } from './build-view.js';

/** The account and package group of an Investigating build (names null if since deleted). */
export interface InvestigationOwner {
  readonly buildId: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly packageGroupName: string | null;
}

export interface InvestigationServiceOptions {
  readonly jobMaxAttempts: number;
}

/** Builds that failed on our side: the operators' queue, retry, close, and sellers' support cases. */
export class InvestigationService {
  constructor(
    private readonly store: Store,
    private readonly presenter: BuildPresenter,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly options: InvestigationServiceOptions,
  ) {}

  /** Every Investigating build, oldest first, with its internal error (operators). */
  async list(operator: Account): Promise<BuildView[]> {
    const builds = await this.store.builds.listByState('Investigating');
    return builds.map((b) => this.presenter.present(b, operator));
  }

  /** Whose each build is: account and package group names, for the operators' queue. */
  async owners(builds: readonly OsBuild[]): Promise<InvestigationOwner[]> {
    return Promise.all(
      builds.map(async (build) => {
        const [account, group] = await Promise.all([
          this.store.accounts.get(build.accountId),
          this.store.packageGroups.get(build.accountId, build.packageGroupId),
        ]);
        return {
          buildId: build.id,
          accountId: build.accountId,
          accountName: account?.name ?? null,
          packageGroupName: group?.name ?? null,
        };
      }),
    );
  }

  /** Runs an Investigating build again from the start, with a fresh set of attempts. */
  async retry(operator: Account, buildId: string): Promise<BuildView> {
    const now = this.clock.now().toISOString();
    const build = await this.store.transaction(async (tx) => {
      await this.investigating(tx, buildId);
      const updated = await tx.builds.update(buildId, {
        state: 'Building',
        attempts: 0,
        internalError: null,
        findings: [],
        startedAt: null,
        finishedAt: null,
        phases: {},
      });
      // An OS version since dropped from the catalog fails on any worker, so it asks for none.
      const os = findOsVersion(updated.osVersion);
      await tx.jobs.enqueue({
        id: newId('job'),
        kind: OS_BUILD_JOB,
        payload: { buildId },
        accountId: updated.accountId,
        maxAttempts: this.options.jobMaxAttempts,
        runAfter: now,
        createdAt: now,
        requirements: os === undefined ? {} : requirementsForOs(os),
      });
      await tx.logs.append(buildId, [
        { at: now, stream: 'system', text: 'an operator retried the build' },
      ]);
      return updated;
    });
    this.publish(build);
    this.events.publish({ type: 'job.enqueued', kind: OS_BUILD_JOB });
    return this.presenter.present(build, operator);
  }

  /** Ends an Investigating build as IssuesFound, with the operator's note to the seller. */
  async close(operator: Account, buildId: string, message: string): Promise<BuildView> {
    const now = this.clock.now().toISOString();
    const build = await this.store.transaction(async (tx) => {
      const current = await this.investigating(tx, buildId);
      const finding = makeFinding('OPERATOR_CLOSED', message, {
        note: message,
        internalError: current.internalError,
      });
      return tx.builds.update(buildId, {
        state: 'IssuesFound',
        findings: [finding],
        finishedAt: now,
      });
    });
    this.publish(build);
    return this.presenter.present(build, operator);
  }

  /** Opens a support case about the seller's own build once it has been Investigating long enough. */
  async contactOperations(seller: Account, buildId: string, message: string): Promise<SupportCase> {
    const build = await this.store.builds.get(seller.id, buildId);
    if (build === undefined) throw new DomainError('BUILD_NOT_FOUND', `build ${buildId} not found`);
    const investigation = this.presenter.investigation(build);
    if (investigation === null) {
      throw new DomainError(
        'BUILD_NOT_INVESTIGATING',
        `build ${buildId} is ${build.state}, not Investigating`,
      );
    }
    if (this.clock.now() < new Date(investigation.contactAvailableAt)) {
      throw new DomainError(
        'SUPPORT_CONTACT_TOO_EARLY',
        `build ${buildId} has been Investigating since ${investigation.since}; you can contact the operators from ${investigation.contactAvailableAt}`,
      );
    }
    const supportCase: SupportCase = {
      id: newId('case'),
      accountId: seller.id,
      buildId,
      message,
      state: 'open',
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.supportCases.insert(supportCase);
    return supportCase;
  }

  /** Support cases: every one for operators, their own for others. */
  async supportCases(viewer: Account): Promise<SupportCase[]> {
    return this.store.supportCases.list(viewer.roles.includes('operator') ? null : viewer.id);
  }

  private async investigating(store: Store, buildId: string): Promise<OsBuild> {
    const build = await store.builds.get(null, buildId);
    if (build === undefined) throw new DomainError('BUILD_NOT_FOUND', `build ${buildId} not found`);
    if (build.state !== 'Investigating') {
      throw new DomainError(
        'BUILD_NOT_INVESTIGATING',
        `build ${buildId} is ${build.state}, not Investigating`,
      );
    }
    return build;
  }

  private publish(build: OsBuild): void {
    this.events.publish({
      type: 'build.updated',
      accountId: build.accountId,
      buildId: build.id,
      packageGroupId: build.packageGroupId,
      state: build.state,
    });
  }
}
