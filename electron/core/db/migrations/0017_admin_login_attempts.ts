import { sql, type Kysely } from 'kysely';

/**
 * Failed-login counts for usernames that have no account. A guess at an unknown name is counted and locked like
 * one at a real account (the same writes, the same hash, the same answers), so neither the time nor the lockout
 * tells which usernames exist. Real accounts keep their count in `users`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS login_attempts (
    username_key TEXT PRIMARY KEY NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS login_attempts_updated ON login_attempts (updated_at)`.execute(db);
}
