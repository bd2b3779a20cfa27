import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0026_custody_voucher_list_order: the 凭证 list's default order from an index. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_vouchers_list_order ON custody_vouchers (date, number, created_at)`.execute(db);
}
