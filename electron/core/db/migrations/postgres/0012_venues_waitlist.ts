import { sql, type Kysely } from 'kysely';
import { LOCAL_DATETIME_RE } from './plpgsql';

/** PostgreSQL form of 0012_venues_waitlist (候补): the same table and CHECKs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS venue_waitlist (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    start_at TEXT NOT NULL CHECK (start_at ~ ${sql.raw(LOCAL_DATETIME_RE)}),
    end_at TEXT NOT NULL CHECK (end_at ~ ${sql.raw(LOCAL_DATETIME_RE)}),
    purpose TEXT NOT NULL,
    expected_attendance INTEGER NOT NULL CHECK (expected_attendance > 0),
    activity_series_code TEXT,
    activity_kind_code TEXT,
    activity_id TEXT REFERENCES org_activities (id),
    state TEXT NOT NULL CHECK (state IN ('waiting', 'booked', 'withdrawn')),
    booking_id TEXT REFERENCES venue_bookings (id),
    withdraw_reason TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_at > start_at),
    CHECK (state <> 'booked' OR booking_id IS NOT NULL),
    CHECK (state <> 'withdrawn' OR length(trim(coalesce(withdraw_reason, ''))) > 0)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_waitlist_venue_start ON venue_waitlist (venue_id, start_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_waitlist_state_start ON venue_waitlist (state, start_at)`.execute(db);
}
