import { rmSync } from 'node:fs';
import path from 'node:path';

import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import type { Clock } from '../../../src/domain/clock.js';
import { CatalogService } from '../../../src/domain/publishing/catalog-service.js';
import type { LoadFormEntry } from '../../../src/domain/publishing/publishing-types.js';
import { ReviewService } from '../../../src/domain/publishing/review-service.js';
import { SubmissionService } from '../../../src/domain/publishing/submission-service.js';
import { SubscriptionService } from '../../../src/domain/publishing/subscription-service.js';
import type { BuildState } from '../../../src/domain/types.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../support/paths.js';

export const SELLER = '200000000001';
export const OTHER_SELLER = '200000000002';
export const BUYER = '200000000003';
export const TESTER = '200000000004';
export const OPERATOR = '200000000005';

/** A clock tests move by hand; starts on Friday 2026-03-06. */
export class ManualClock implements Clock {
  current = new Date('2026-03-06T10:00:00.000Z');
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A real SQLite store and blob store with the publishing services over them. */
export interface PublishingWorld {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly submissions: SubmissionService;
  readonly review: ReviewService;
  readonly catalog: CatalogService;
  readonly subscriptions: SubscriptionService;
  /** A package group of SELLER (or `accountId`) with one build per OS version in `state`. */
  addGroup(
    name: string,
    options?: {
      accountId?: string;
      state?: BuildState;
      scanned?: boolean;
      osVersions?: string[];
    },
  ): Promise<string>;
  dispose(): Promise<void>;
}

/** Opens a fresh world with the five accounts; holidays as given. */
export async function openWorld(holidays: readonly string[] = []): Promise<PublishingWorld> {
  const dir = tempDir('publishing');
  const store = await openSqliteStore(path.join(dir, 'goldsmith.db'));
  const clock = new ManualClock();
  for (const id of [SELLER, OTHER_SELLER, BUYER, TESTER, OPERATOR]) {
    await store.accounts.insert({
      id,
      name: `account ${id}`,
      roles: id === OPERATOR ? ['operator'] : ['seller', 'buyer'],
      createdAt: clock.now().toISOString(),
    });
  }
  const catalog = new CatalogService(store);
  let counter = 0;
  return {
    store,
    clock,
    submissions: new SubmissionService(
      store,
      new FsBlobStore(path.join(dir, 'blobs')),
      clock,
      new Set(holidays),
    ),
    review: new ReviewService(store, clock),
    catalog,
    subscriptions: new SubscriptionService(store, catalog, clock),
    async addGroup(name, options = {}) {
      const accountId = options.accountId ?? SELLER;
      const osVersions = options.osVersions ?? ['debian-12', 'debian-13'];
      const groupId = `pg-${++counter}`;
      await store.packageGroups.insertReservingName({
        id: groupId,
        accountId,
        name,
        platform: 'linux',
        osVersions,
        packages: [],
        createdAt: clock.now().toISOString(),
        deletedAt: null,
      });
      for (const os of osVersions) {
        await store.builds.insert({
          id: `${groupId}-${os}`,
          accountId,
          packageGroupId: groupId,
          osVersion: os,
          state: options.state ?? 'Successful',
          imageId: `img-${groupId}-${os}`,
          baseImageId: null,
          baseDigest: null,
          scanReportDigest: (options.scanned ?? true) ? `sha256:${'a'.repeat(64)}` : null,
          submittedAt: clock.now().toISOString(),
          startedAt: null,
          finishedAt: null,
          phases: {},
          findings: [],
          internalError: null,
          attempts: 1,
        });
      }
      return groupId;
    },
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One load form row; rows of one product share its fields. */
export function entry(overrides: Partial<LoadFormEntry> = {}): LoadFormEntry {
  return {
    row: 2,
    productTitle: 'Acme Database',
    shortDescription: 'A fast SQL database',
    longDescription: 'Acme Database stores rows quickly.',
    highlights: ['fast', 'small'],
    categories: ['Databases'],
    searchKeywords: ['sql', 'storage engine'],
    vendorName: 'Acme Corp',
    supportContact: 'support@acme.test',
    eulaUrl: 'https://acme.test/eula',
    softwareVersion: '1.0',
    releaseNotes: 'First release',
    packageGroupName: 'acme-db',
    fulfillmentAction: 'new version',
    visibility: 'public',
    testAccountIds: [],
    usageInstructions: 'Connect on port 5000.',
    ...overrides,
  };
}

/** Submits entries as SELLER with a dummy workbook. */
export function workbookOf(entries: readonly LoadFormEntry[], description = 'Acme DB 1.0') {
  return { fileName: 'load-form.xlsx', description, data: Buffer.from('workbook'), entries };
}
