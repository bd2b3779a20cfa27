import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0024_venues_hub_bookings: a hub-run (本基地主办) booking has no organization. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE venue_booking_series ALTER COLUMN organization_id DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE venue_bookings ALTER COLUMN organization_id DROP NOT NULL`.execute(db);
}
