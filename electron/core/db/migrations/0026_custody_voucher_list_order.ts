import { sql, type Kysely } from 'kysely';

/**
 * The 凭证 list's default order (date, number, created_at, newest first) read straight from an index: with only
 * `custody_vouchers_date` SQLite sorts each day's rows on the last two terms for every page (1.9 ms of CPU per
 * page at the server bench's 4,200 vouchers against 1.3 ms with this index), or, when the planner skips that
 * index, the whole table (14 ms). Comment corrected after release; the schema change is unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_vouchers_list_order ON custody_vouchers (date, number, created_at)`.execute(db);
}
