import { DomainError } from '../../errors/domain-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import { BASE_REFRESH_JOB } from '../builds/build-jobs.js';
import {
  findOsVersion,
  osVersionsFor,
  OS_VERSIONS,
  type OsVersion,
} from '../catalog/os-catalog.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { requirementsForOs } from '../jobs/job-requirements.js';
import type { BaseImage, Platform } from '../types.js';
import type { CatalogView } from '../package-groups/package-group-rules.js';

export interface OsVersionView extends OsVersion {
  readonly baseImageId: string | null;
  readonly baseDigest: string | null;
  readonly baseCreatedAt: string | null;
}

/** The OS versions on offer and the base images made for them. */
export class BaseImageCatalog implements CatalogView {
  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /** OS versions a package group of `platform` may choose. */
  offeredFor(platform: Platform): readonly OsVersion[] {
    return osVersionsFor(platform);
  }

  /** Every OS version with its newest base image, if built yet. */
  async list(): Promise<OsVersionView[]> {
    return Promise.all(
      OS_VERSIONS.map(async (os) => {
        const base = await this.store.baseImages.latest(os.id);
        return {
          ...os,
          baseImageId: base?.imageId ?? null,
          baseDigest: base?.rootDigest ?? null,
          baseCreatedAt: base?.createdAt ?? null,
        };
      }),
    );
  }

  /** Every base image ever made, newest first, for operators. */
  async history(): Promise<BaseImage[]> {
    return this.store.baseImages.list();
  }

  /** Queues a rebuild of an OS version's base from the current archive. Returns the job id. */
  async requestRefresh(osId: string): Promise<string> {
    const os = findOsVersion(osId);
    if (os === undefined) throw new DomainError('OS_VERSION_UNKNOWN', `no OS version ${osId}`);
    const now = this.clock.now().toISOString();
    const id = newId('job');
    await this.store.jobs.enqueue({
      id,
      kind: BASE_REFRESH_JOB,
      payload: { osVersion: osId },
      accountId: null,
      maxAttempts: 1,
      runAfter: now,
      createdAt: now,
      requirements: requirementsForOs(os),
    });
    this.events.publish({ type: 'job.enqueued', kind: BASE_REFRESH_JOB });
    return id;
  }
}
