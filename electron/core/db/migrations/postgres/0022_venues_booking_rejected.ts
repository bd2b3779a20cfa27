import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0022_venues_booking_rejected: 驳回 marks the booking `rejected` = 1 (existing ones 0). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE venue_bookings ADD COLUMN IF NOT EXISTS rejected INTEGER NOT NULL DEFAULT 0`.execute(db);
}
