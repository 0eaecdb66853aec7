import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { checkEntries, formatProblems, type PublishableGroup } from './publishing-rules.js';
import type {
  FulfillmentOption,
  LoadFormEntry,
  LoadFormSubmission,
  Product,
  ProductVersion,
  SubmissionMessage,
  SubmissionState,
} from './publishing-types.js';
import {
  ACTIONS,
  assertAllowed,
  recordTransition,
  type SubmissionAction,
} from './submission-workflow.js';

/** The operators' review of load form submissions, up to publishing their products. */
export class ReviewService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Every account's submissions in a state (or all), oldest first. */
  async queue(state: SubmissionState | null): Promise<LoadFormSubmission[]> {
    return this.store.submissions.listByState(state);
  }

  /** Any submission, for operators. */
  async get(id: string): Promise<LoadFormSubmission> {
    const submission = await this.store.submissions.get(null, id);
    if (submission === undefined)
      throw new DomainError('SUBMISSION_NOT_FOUND', `load form submission ${id} not found`);
    return submission;
  }

  /** Submitted → UnderReview. */
  async start(operatorId: string, id: string, note?: string): Promise<LoadFormSubmission> {
    return this.act(operatorId, id, ACTIONS.start, 'note', note ?? 'review started');
  }

  /** UnderReview → NeedsClarification, asking the seller `question`. */
  async clarify(operatorId: string, id: string, question: string): Promise<LoadFormSubmission> {
    return this.act(operatorId, id, ACTIONS.clarify, 'question', question);
  }

  /** → Rejected, telling the seller why. */
  async reject(operatorId: string, id: string, reason: string): Promise<LoadFormSubmission> {
    return this.act(operatorId, id, ACTIONS.reject, 'rejected', reason);
  }

  /**
   * UnderReview → Published: checks the rules again against the store as it is now, then
   * creates or updates the products, versions and fulfillment options and marks the
   * submission Published, all in one transaction.
   */
  async publish(operatorId: string, id: string, note?: string): Promise<LoadFormSubmission> {
    const submission = await this.get(id);
    assertAllowed(submission, ACTIONS.publish);
    return this.store.transaction(async (tx) => {
      const { problems, groups } = await checkEntries(tx, submission.accountId, submission.entries);
      if (problems.length > 0) {
        throw new DomainError(
          'SUBMISSION_NO_LONGER_VALID',
          `submission ${id} no longer passes the publishing rules:\n${formatProblems(problems)}`,
          { problems },
        );
      }
      const now = this.clock.now().toISOString();
      await publishEntries(tx, submission.accountId, submission.entries, groups, now);
      return recordTransition(tx, submission, ACTIONS.publish.to, {
        at: now,
        accountId: operatorId,
        author: 'operator',
        kind: 'published',
        text: note ?? 'published',
      });
    });
  }

  private async act(
    operatorId: string,
    id: string,
    action: SubmissionAction,
    kind: SubmissionMessage['kind'],
    text: string,
  ): Promise<LoadFormSubmission> {
    const submission = await this.get(id);
    assertAllowed(submission, action);
    return recordTransition(this.store, submission, action.to, {
      at: this.clock.now().toISOString(),
      accountId: operatorId,
      author: 'operator',
      kind,
      text,
    });
  }
}

/** Writes what the entries describe; every row already passed the rules in this transaction. */
async function publishEntries(
  tx: Store,
  sellerAccountId: string,
  entries: readonly LoadFormEntry[],
  groups: ReadonlyMap<string, PublishableGroup>,
  now: string,
): Promise<void> {
  const products = new Map<string, Product>();
  const versions = new Map<string, ProductVersion>();
  for (const entry of entries) {
    let product = products.get(entry.productTitle);
    if (product === undefined) {
      const existing = await tx.products.findProductByTitle(sellerAccountId, entry.productTitle);
      product = {
        id: existing?.id ?? newId('prod'),
        sellerAccountId,
        title: entry.productTitle,
        shortDescription: entry.shortDescription,
        longDescription: entry.longDescription,
        highlights: entry.highlights,
        categories: entry.categories,
        searchKeywords: entry.searchKeywords,
        vendorName: entry.vendorName,
        supportContact: entry.supportContact,
        eulaUrl: entry.eulaUrl,
        usageInstructions: entry.usageInstructions,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      if (existing === undefined) await tx.products.insertProduct(product);
      else await tx.products.updateProduct(product);
      products.set(entry.productTitle, product);
    }

    const versionKey = JSON.stringify([product.id, entry.softwareVersion]);
    let version = versions.get(versionKey);
    if (version === undefined) {
      version = (await tx.products.listVersions([product.id])).find(
        (v) => v.version === entry.softwareVersion,
      );
      if (version === undefined) {
        version = {
          id: newId('ver'),
          productId: product.id,
          version: entry.softwareVersion,
          releaseNotes: entry.releaseNotes,
          createdAt: now,
        };
        await tx.products.insertVersion(version);
      }
      versions.set(versionKey, version);
    }

    const publishable = groups.get(entry.packageGroupName);
    if (publishable === undefined)
      throw new Error(`package group ${entry.packageGroupName} passed the rules but is missing`);
    const option: FulfillmentOption = {
      id: newId('fo'),
      productId: product.id,
      versionId: version.id,
      deliveryMethod: 'private-image-build',
      packageGroupId: publishable.group.id,
      packageGroupName: publishable.group.name,
      osVersions: publishable.builds.map((b) => b.osVersion),
      imageIds: publishable.builds.map((b) => b.imageId ?? ''),
      visibility: entry.visibility,
      testAccountIds: entry.testAccountIds,
      createdAt: now,
    };
    await tx.products.insertOption(option);
  }
}
