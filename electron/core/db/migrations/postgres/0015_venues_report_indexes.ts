import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL form of 0015_venues_report_indexes: the same two report indexes without SQLite's unixepoch()
 * expressions (PostgreSQL computes the minutes from the text columns the index already carries). Each replaces
 * its prefix index of 0003, as on SQLite.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_venue_report ON venue_bookings (venue_id, start_at, state, end_at)`.execute(db);
  await sql`DROP INDEX IF EXISTS venue_bookings_venue_start`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_org_report ON venue_bookings (organization_id, start_at, state, end_at)`.execute(db);
  await sql`DROP INDEX IF EXISTS venue_bookings_org_start`.execute(db);
}
