import type { Kysely, Selectable } from 'kysely';

import type {
  LoadFormEntry,
  LoadFormSubmission,
  SubmissionMessage,
  SubmissionState,
} from '../../domain/publishing/publishing-types.js';
import type { SubmissionRepository, SubmissionUpdate } from '../store.js';
import type { Database, LoadFormSubmissionsTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** Load form submissions on Kysely. */
export class SqlSubmissionRepository implements SubmissionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(submission: LoadFormSubmission): Promise<void> {
    await this.#db
      .insertInto('load_form_submissions')
      .values({
        id: submission.id,
        account_id: submission.accountId,
        description: submission.description,
        file_name: submission.fileName,
        workbook_digest: submission.workbookDigest,
        entries: toJson(submission.entries),
        state: submission.state,
        submitted_at: submission.submittedAt,
        target_date: submission.targetDate,
        updated_at: submission.updatedAt,
        conversation: toJson(submission.conversation),
      })
      .execute();
  }

  async get(accountId: string | null, id: string): Promise<LoadFormSubmission | undefined> {
    const row = await this.#db
      .selectFrom('load_form_submissions')
      .selectAll()
      .where('id', '=', id)
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId))
      .executeTakeFirst();
    return row === undefined ? undefined : toSubmission(row);
  }

  async listForAccount(accountId: string): Promise<LoadFormSubmission[]> {
    const rows = await this.#db
      .selectFrom('load_form_submissions')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('submitted_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toSubmission);
  }

  async listByState(state: SubmissionState | null): Promise<LoadFormSubmission[]> {
    const rows = await this.#db
      .selectFrom('load_form_submissions')
      .selectAll()
      .$if(state !== null, (qb) => qb.where('state', '=', state))
      .orderBy('submitted_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toSubmission);
  }

  async update(
    id: string,
    expected: { readonly state: SubmissionState; readonly updatedAt: string },
    update: SubmissionUpdate,
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('load_form_submissions')
      .set({
        state: update.state,
        updated_at: update.updatedAt,
        conversation: toJson(update.conversation),
        ...(update.fileName === undefined ? {} : { file_name: update.fileName }),
        ...(update.workbookDigest === undefined ? {} : { workbook_digest: update.workbookDigest }),
        ...(update.entries === undefined ? {} : { entries: toJson(update.entries) }),
      })
      .where('id', '=', id)
      .where('state', '=', expected.state)
      .where('updated_at', '=', expected.updatedAt)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toSubmission(row: Selectable<LoadFormSubmissionsTable>): LoadFormSubmission {
  return {
    id: row.id,
    accountId: row.account_id,
    description: row.description,
    fileName: row.file_name,
    workbookDigest: row.workbook_digest,
    entries: fromJson<LoadFormEntry[]>(row.entries, 'load_form_submissions.entries'),
    state: row.state as SubmissionState,
    submittedAt: row.submitted_at,
    targetDate: row.target_date,
    updatedAt: row.updated_at,
    conversation: fromJson<SubmissionMessage[]>(
      row.conversation,
      'load_form_submissions.conversation',
    ),
  };
}
