import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0021_office_lock (the office-wide operation lock, one row; see api/operations.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS office_lock (
    slot TEXT PRIMARY KEY NOT NULL,
    op_id TEXT NOT NULL,
    call_name TEXT NOT NULL,
    label TEXT NOT NULL,
    excludes_json TEXT NOT NULL,
    by_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    boot_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  )`.execute(db);
}
