import type { Kysely, Selectable } from 'kysely';

import type { SupportCase } from '../../domain/types.js';
import type { SupportCaseRepository } from '../store.js';
import type { Database, SupportCasesTable } from './database-schema.js';

/** Support cases on Kysely. */
export class SqlSupportCaseRepository implements SupportCaseRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(supportCase: SupportCase): Promise<void> {
    await this.#db
      .insertInto('support_cases')
      .values({
        id: supportCase.id,
        account_id: supportCase.accountId,
        build_id: supportCase.buildId,
        message: supportCase.message,
        state: supportCase.state,
        created_at: supportCase.createdAt,
      })
      .execute();
  }

  async list(accountId: string | null): Promise<SupportCase[]> {
    const rows = await this.#db
      .selectFrom('support_cases')
      .selectAll()
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toSupportCase);
  }
}

function toSupportCase(row: Selectable<SupportCasesTable>): SupportCase {
  return {
    id: row.id,
    accountId: row.account_id,
    buildId: row.build_id,
    message: row.message,
    state: row.state === 'closed' ? 'closed' : 'open',
    createdAt: row.created_at,
  };
}
