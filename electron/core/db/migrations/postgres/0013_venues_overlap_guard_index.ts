import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL form of 0013_venues_overlap_guard_index. On SQLite this rewrote the overlap triggers so the planner
 * keeps their index; on PostgreSQL the guard is the EXCLUDE constraint of 0003, answered from its own GiST index,
 * so there is nothing to rewrite. The migration only asserts that the constraint is there.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const found = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'venue_bookings_no_overlap'`.execute(db);
  if (found.rows[0]?.n !== 1) throw new Error('venue_bookings_no_overlap (0003) is missing');
}
