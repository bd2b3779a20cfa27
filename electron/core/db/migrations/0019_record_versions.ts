import { sql, type Kysely } from 'kysely';

/**
 * Record versions for optimistic concurrency (several desks on one office server): every record a user edits
 * carries an integer `version`, raised by one with each change (`electron/core/api/versions.ts`), so an edit or a
 * state change made on a stale read is refused instead of overwriting someone else's work. `organizations`
 * has had its version since 0002. Existing rows start at 1.
 */
const TABLES = ['venues', 'venue_bookings', 'custody_vouchers', 'training_sessions', 'training_trainees', 'users'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    const cols = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db);
    if (cols.rows.some((c) => c.name === 'version')) continue; // safe to re-run
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN version INTEGER NOT NULL DEFAULT 1`.execute(db);
  }
}
