import { sql, type Kysely } from 'kysely';
import { LOCAL_DATETIME_RE } from './plpgsql';

/**
 * PostgreSQL form of 0003_venues. The overlap guard is an EXCLUDE constraint (btree_gist) over the booking's
 * time range instead of triggers: PostgreSQL checks it against concurrent transactions too, so two server
 * processes cannot both insert overlapping held bookings. `incubase_local_ts` reads the local
 * 'YYYY-MM-DDTHH:mm' text as a timestamp (IMMUTABLE: it only splits digits, no time zone or DateStyle).
 *
 * Venues (安家场地) and their bookings. The central rule — two bookings of one venue that hold it (approved,
 * used, no-show) never overlap — is guarded here by triggers, so no writer (another process, a future area,
 * a bug) can break it, whatever the service checked before. Datetimes are local China 'YYYY-MM-DDTHH:mm'
 * text, which sorts like time; an occurrence lasts at most 24 hours, so the overlap check only looks back one
 * day on the (venue_id, start_at) index: a range scan of a handful of rows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);
  await sql`CREATE OR REPLACE FUNCTION incubase_local_ts(t text) RETURNS timestamp
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      SELECT make_timestamp(substr(t, 1, 4)::int, substr(t, 6, 2)::int, substr(t, 9, 2)::int,
                            substr(t, 12, 2)::int, substr(t, 15, 2)::int, 0)
    $fn$`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS venues (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    host_type_code TEXT NOT NULL,
    host_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    equipment_json TEXT NOT NULL DEFAULT '[]',
    bookable INTEGER NOT NULL DEFAULT 1 CHECK (bookable IN (0, 1)),
    opening_hours_json TEXT NOT NULL,
    closed_json TEXT NOT NULL DEFAULT '[]',
    min_length_minutes INTEGER,
    max_length_minutes INTEGER CHECK (max_length_minutes IS NULL OR max_length_minutes <= 1440),
    min_notice_minutes INTEGER,
    max_notice_days INTEGER,
    approval_required INTEGER NOT NULL DEFAULT 1 CHECK (approval_required IN (0, 1)),
    quotas_json TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS venues_name ON venues (name)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS venue_booking_series (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    recurrence_kind TEXT NOT NULL CHECK (recurrence_kind IN ('once', 'weekly', 'biweekly')),
    until_date TEXT,
    skip_json TEXT NOT NULL DEFAULT '[]',
    created_by TEXT,
    created_at TEXT NOT NULL
  )`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS venue_bookings (
    id TEXT PRIMARY KEY,
    series_id TEXT NOT NULL REFERENCES venue_booking_series (id),
    occ_index INTEGER NOT NULL DEFAULT 0,
    venue_id TEXT NOT NULL REFERENCES venues (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    start_at TEXT NOT NULL CHECK (start_at ~ ${sql.raw(LOCAL_DATETIME_RE)}),
    end_at TEXT NOT NULL CHECK (end_at ~ ${sql.raw(LOCAL_DATETIME_RE)}),
    state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'used', 'no_show', 'cancelled')),
    purpose TEXT NOT NULL DEFAULT '',
    activity_series_code TEXT,
    activity_kind_code TEXT,
    expected_attendance INTEGER NOT NULL CHECK (expected_attendance > 0),
    activity_id TEXT REFERENCES org_activities (id),
    source TEXT NOT NULL DEFAULT 'venues',
    source_ref TEXT,
    cancel_reason TEXT,
    decided_by TEXT,
    decided_at TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_at > start_at),
    CONSTRAINT venue_bookings_max_day CHECK (incubase_local_ts(end_at) <= incubase_local_ts(start_at) + interval '1 day'),
    CHECK (state <> 'cancelled' OR length(trim(coalesce(cancel_reason, ''))) > 0)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_venue_start ON venue_bookings (venue_id, start_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_org_start ON venue_bookings (organization_id, start_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_series ON venue_bookings (series_id, start_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_state_start ON venue_bookings (state, start_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_start ON venue_bookings (start_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS venue_bookings_source ON venue_bookings (source, source_ref)`.execute(db);

  // The guard. A booking that holds the venue may not share a minute with another that holds it (half-open ranges).
  await sql`ALTER TABLE venue_bookings DROP CONSTRAINT IF EXISTS venue_bookings_no_overlap`.execute(db);
  await sql`ALTER TABLE venue_bookings ADD CONSTRAINT venue_bookings_no_overlap EXCLUDE USING gist (
      venue_id WITH =,
      tsrange(incubase_local_ts(start_at), incubase_local_ts(end_at), '[)') WITH &&
    ) WHERE (state IN ('approved', 'used', 'no_show'))`.execute(db);
}
