import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0010_custody_bank_cover (the same covering index). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_journal_bank_cover ON custody_journal (bank_account_id, date, voucher_id, amount_fen) WHERE bank_account_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX IF EXISTS custody_journal_bank`.execute(db);
}
