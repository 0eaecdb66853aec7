import { Readable } from 'node:stream';

import type { BlobStore } from '../../blobs/blob-store.js';
import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import { addBusinessDays, type Holidays } from '../calendar/business-days.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { checkEntries, describeDescriptionProblem, formatProblems } from './publishing-rules.js';
import type { LoadFormEntry, LoadFormProblem, LoadFormSubmission } from './publishing-types.js';
import { ACTIONS, assertAllowed, recordTransition } from './submission-workflow.js';

/** Business days from upload to the target date (the seed: "within five business days"). */
export const REVIEW_BUSINESS_DAYS = 5;

/** A parsed workbook as a seller uploads it. */
export interface SubmittedWorkbook {
  readonly fileName: string;
  /** The workbook's bytes, kept in the blob store. */
  readonly data: Buffer;
  readonly entries: readonly LoadFormEntry[];
}

/** The LOAD_FORM_INVALID error listing every problem, in its message and its details. */
export function loadFormInvalid(problems: readonly LoadFormProblem[]): DomainError {
  return new DomainError(
    'LOAD_FORM_INVALID',
    `the load form has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`,
    { problems },
  );
}

/** A seller's load form submissions: submitting, answering questions, correcting. */
export class SubmissionService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly holidays: Holidays,
  ) {}

  /** Checks the description and the rules, stores the workbook and records it as Submitted. */
  async submit(
    sellerAccountId: string,
    workbook: SubmittedWorkbook & { readonly description: string },
  ): Promise<LoadFormSubmission> {
    const descriptionProblem = describeDescriptionProblem(workbook.description);
    if (descriptionProblem !== undefined)
      throw new DomainError('INVALID_SUBMISSION_DESCRIPTION', descriptionProblem);
    await this.assertRules(sellerAccountId, workbook.entries);
    const digest = await this.storeWorkbook(workbook.data);
    const now = this.clock.now();
    const submission: LoadFormSubmission = {
      id: newId('lfs'),
      accountId: sellerAccountId,
      description: workbook.description.trim(),
      fileName: workbook.fileName,
      workbookDigest: digest,
      entries: workbook.entries,
      state: 'Submitted',
      submittedAt: now.toISOString(),
      targetDate: addBusinessDays(now, REVIEW_BUSINESS_DAYS, this.holidays)
        .toISOString()
        .slice(0, 10),
      updatedAt: now.toISOString(),
      conversation: [],
    };
    await this.store.submissions.insert(submission);
    return submission;
  }

  /** The seller's submissions, newest first. */
  async list(sellerAccountId: string): Promise<LoadFormSubmission[]> {
    return this.store.submissions.listForAccount(sellerAccountId);
  }

  /** One of the seller's submissions; another account's is not found. */
  async get(sellerAccountId: string, id: string): Promise<LoadFormSubmission> {
    const submission = await this.store.submissions.get(sellerAccountId, id);
    if (submission === undefined)
      throw new DomainError('SUBMISSION_NOT_FOUND', `load form submission ${id} not found`);
    return submission;
  }

  /** The seller's answer to an operator's question: back to UnderReview. */
  async answer(sellerAccountId: string, id: string, text: string): Promise<LoadFormSubmission> {
    const submission = await this.get(sellerAccountId, id);
    assertAllowed(submission, ACTIONS.answer);
    return recordTransition(this.store, submission, ACTIONS.answer.to, {
      at: this.clock.now().toISOString(),
      accountId: sellerAccountId,
      author: 'seller',
      kind: 'answer',
      text,
    });
  }

  /**
   * Replaces the workbook and its entries after checking them again. A form not yet under
   * review stays Submitted; one under review or awaiting clarification goes (back) to
   * UnderReview.
   */
  async correct(
    sellerAccountId: string,
    id: string,
    workbook: SubmittedWorkbook,
  ): Promise<LoadFormSubmission> {
    const submission = await this.get(sellerAccountId, id);
    if (!['Submitted', 'UnderReview', 'NeedsClarification'].includes(submission.state)) {
      throw new DomainError(
        'SUBMISSION_STATE_CONFLICT',
        `cannot correct submission ${id}: it is ${submission.state}`,
      );
    }
    await this.assertRules(sellerAccountId, workbook.entries);
    const digest = await this.storeWorkbook(workbook.data);
    return recordTransition(
      this.store,
      submission,
      submission.state === 'Submitted' ? 'Submitted' : 'UnderReview',
      {
        at: this.clock.now().toISOString(),
        accountId: sellerAccountId,
        author: 'seller',
        kind: 'corrected-form',
        text: `uploaded ${workbook.fileName} (${workbook.entries.length} row${workbook.entries.length === 1 ? '' : 's'})`,
      },
      { fileName: workbook.fileName, workbookDigest: digest, entries: workbook.entries },
    );
  }

  private async assertRules(
    sellerAccountId: string,
    entries: readonly LoadFormEntry[],
  ): Promise<void> {
    const { problems } = await checkEntries(this.store, sellerAccountId, entries);
    if (problems.length > 0) throw loadFormInvalid(problems);
  }

  private async storeWorkbook(data: Buffer): Promise<string> {
    const { digest } = await this.blobs.put(Readable.from([data]));
    return digest;
  }
}
