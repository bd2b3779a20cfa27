import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0025_custody_history_import (the lines of a custody history import, by natural key). */
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
