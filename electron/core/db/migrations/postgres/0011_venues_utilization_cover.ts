import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0011_venues_utilization_cover (the same covering index). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_state_start_cover
    ON venue_bookings (state, start_at, venue_id, organization_id, end_at)`.execute(db);
  await sql`DROP INDEX IF EXISTS venue_bookings_state_start`.execute(db);
}
