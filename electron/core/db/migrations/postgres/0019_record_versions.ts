import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0019_record_versions: the integer `version` of optimistic concurrency (existing rows start at 1). */
const TABLES = ['venues', 'venue_bookings', 'custody_vouchers', 'training_sessions', 'training_trainees', 'users'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN IF NOT EXISTS version INTEGER NOT NULL DEFAULT 1`.execute(db);
  }
}
