import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0016_submission_custody_by_source (the same partial covering index). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_journal_liability_source
    ON custody_journal (source_id, amount_fen) WHERE substr(account_code, 1, 4) IN ('2601', '2209')`.execute(db);
}
