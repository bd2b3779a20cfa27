import { sql, type Kysely } from 'kysely';

/**
 * The 凭证 list's default order (date, number, created_at, newest first) read straight from an index: with only
 * `custody_vouchers_date` SQLite sorted the whole table (or every day's rows) for each page — 13 ms of CPU per
 * page at the server bench's 4,000 vouchers against 1.9 ms with this index, and it grows with the ledger.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_vouchers_list_order ON custody_vouchers (date, number, created_at)`.execute(db);
}
