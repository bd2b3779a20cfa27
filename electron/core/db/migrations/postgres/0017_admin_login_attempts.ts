import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0017_admin_login_attempts (failed-login counts for unknown usernames). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS login_attempts (
    username_key TEXT PRIMARY KEY NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS login_attempts_updated ON login_attempts (updated_at)`.execute(db);
}
