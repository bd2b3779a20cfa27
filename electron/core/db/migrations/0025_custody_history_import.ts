import { sql, type Kysely } from 'kysely';

/**
 * Custody history import (`voucher-import`): one row per line of a hub's old custody 台账 that became a posted
 * voucher. `row_key` is the line's natural key (organization, kind, date, amount, 摘要 and its occurrence among
 * equal lines of that organization), so importing the same file again finds every line and changes nothing.
 * A voucher listed here was made by the history import, not in the live books.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS custody_history_rows (
    row_key TEXT PRIMARY KEY,
    voucher_id TEXT NOT NULL UNIQUE REFERENCES custody_vouchers(id),
    org_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    source_no TEXT NOT NULL DEFAULT '',
    handled_by TEXT NOT NULL DEFAULT '',
    file_approver TEXT NOT NULL DEFAULT '',
    imported_by TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS custody_history_rows_org ON custody_history_rows (org_id)`.execute(db);
}
