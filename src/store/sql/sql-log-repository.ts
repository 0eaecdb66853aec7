import type { Kysely, Selectable } from 'kysely';

import type { LogLine, LogStream } from '../../domain/types.js';
import type { LogRepository } from '../store.js';
import type { Database, LogLinesTable } from './database-schema.js';
import { inTransaction } from './sql-transaction.js';

/** Rows per INSERT, well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;

/** Build logs on Kysely, numbered 1, 2, 3, ... per build. */
export class SqlLogRepository implements LogRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(buildId: string, lines: readonly Omit<LogLine, 'seq'>[]): Promise<void> {
    if (lines.length === 0) return;
    await inTransaction(this.#db, async (trx) => {
      // Reserving the numbers with an upsert on the build's counter row is
      // atomic on both engines: PostgreSQL row-locks it until commit, so
      // concurrent appenders queue there instead of both reading one max(seq);
      // SQLite has a single writer.
      const counter = await trx
        .insertInto('log_sequences')
        .values({ build_id: buildId, last_seq: lines.length })
        .onConflict((oc) =>
          oc.column('build_id').doUpdateSet((eb) => ({
            last_seq: eb('log_sequences.last_seq', '+', eb.ref('excluded.last_seq')),
          })),
        )
        .returning('last_seq')
        .executeTakeFirstOrThrow();
      const firstSeq = counter.last_seq - lines.length + 1;
      for (let start = 0; start < lines.length; start += INSERT_CHUNK) {
        const rows = lines.slice(start, start + INSERT_CHUNK).map((line, index) => ({
          build_id: buildId,
          seq: firstSeq + start + index,
          at: line.at,
          stream: line.stream,
          text: line.text,
        }));
        await trx.insertInto('log_lines').values(rows).execute();
      }
    });
  }

  async read(buildId: string, afterSeq: number, limit: number): Promise<LogLine[]> {
    if (limit <= 0) return [];
    const rows = await this.#db
      .selectFrom('log_lines')
      .selectAll()
      .where('build_id', '=', buildId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toLogLine);
  }

  /** Oldest first, like `read`. */
  async tail(buildId: string, count: number, stream?: LogStream): Promise<LogLine[]> {
    if (count <= 0) return [];
    const rows = await this.#db
      .selectFrom('log_lines')
      .selectAll()
      .where('build_id', '=', buildId)
      .$if(stream !== undefined, (qb) => qb.where('stream', '=', stream as LogStream))
      .orderBy('seq', 'desc')
      .limit(count)
      .execute();
    return rows.reverse().map(toLogLine);
  }
}

function toLogLine(row: Selectable<LogLinesTable>): LogLine {
  return { seq: row.seq, at: row.at, stream: row.stream as LogStream, text: row.text };
}
