import { sql, type Kysely } from 'kysely';

/**
 * Custody: the bank side of the journal read from the index alone. Auto-matching and the 银行存款余额调节表
 * sum a bank account's lines per voucher over a date range; with voucher and amount in the index that is an
 * index-only range scan instead of one table lookup per line. It replaces `custody_journal_bank`, its prefix.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_journal_bank_cover ON custody_journal (bank_account_id, date, voucher_id, amount_fen) WHERE bank_account_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX IF EXISTS custody_journal_bank`.execute(db);
}
