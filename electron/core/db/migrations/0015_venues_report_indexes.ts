import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the utilization report, which sums a year of bookings in SQLite instead of reading them one by one.
 *
 * - `venue_bookings_venue_report` (venue, start, state, start and end as epoch seconds, end): the report asks one
 *   venue and month at a time and reads everything it sums from the index, including the two `unixepoch(…)`
 *   values, which SQLite takes from the index instead of parsing the text on every row. It replaces
 *   `venue_bookings_venue_start`, its prefix, so the overlap guard, the calendar and the list keep their seek.
 * - `venue_bookings_org_report` (organization, start, state, start and end as epoch seconds): the per-organization
 *   totals, grouped in index order without a sort. It replaces `venue_bookings_org_start`, its prefix.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_venue_report
    ON venue_bookings (venue_id, start_at, state, unixepoch(start_at), unixepoch(end_at), end_at)`.execute(db);
  await sql`DROP INDEX IF EXISTS venue_bookings_venue_start`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_org_report
    ON venue_bookings (organization_id, start_at, state, unixepoch(start_at), unixepoch(end_at))`.execute(db);
  await sql`DROP INDEX IF EXISTS venue_bookings_org_start`.execute(db);
}
