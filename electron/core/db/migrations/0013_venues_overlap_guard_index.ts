import { sql, type Kysely } from 'kysely';

/**
 * The overlap guard of 0003, rewritten so SQLite always answers it from the (venue_id, start_at) index: with
 * the (state, start_at, …) covering index of 0011 present, the planner could pick that one for the guard's
 * `state IN (…)` and scan every venue's bookings of the day. The unary `+` on `b.state` keeps the state test
 * out of index selection. Same rule, same message (the services match its text).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const overlap = `EXISTS (SELECT 1 FROM venue_bookings b
      WHERE b.venue_id = NEW.venue_id
        AND b.start_at < NEW.end_at
        AND b.start_at > strftime('%Y-%m-%dT%H:%M', NEW.start_at, '-1 day')
        AND b.end_at > NEW.start_at
        AND +b.state IN ('approved', 'used', 'no_show')
        AND b.id <> NEW.id)`;
  await sql`DROP TRIGGER IF EXISTS venue_bookings_no_overlap_insert`.execute(db);
  await sql`DROP TRIGGER IF EXISTS venue_bookings_no_overlap_update`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER venue_bookings_no_overlap_insert BEFORE INSERT ON venue_bookings
       WHEN NEW.state IN ('approved', 'used', 'no_show')
       BEGIN SELECT RAISE(ABORT, '该场地在这段时间已有已批准的预约(两个已批准的预约不能重叠)') WHERE ${overlap}; END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER venue_bookings_no_overlap_update BEFORE UPDATE OF state, start_at, end_at, venue_id ON venue_bookings
       WHEN NEW.state IN ('approved', 'used', 'no_show')
       BEGIN SELECT RAISE(ABORT, '该场地在这段时间已有已批准的预约(两个已批准的预约不能重叠)') WHERE ${overlap}; END`,
    )
    .execute(db);
}
