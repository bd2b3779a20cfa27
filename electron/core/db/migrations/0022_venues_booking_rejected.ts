import { sql, type Kysely } from 'kysely';

/**
 * 驳回 (issue 18): an approver refuses a request with a reason the booker sees. The booking ends cancelled (it no
 * longer holds or asks for the venue) with the reason in cancel_reason; `rejected` = 1 tells a refusal by the
 * approver from a withdrawal by the booker. Existing bookings were never rejected (0).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const cols = await sql<{ name: string }>`PRAGMA table_info(venue_bookings)`.execute(db);
  if (!cols.rows.some((c) => c.name === 'rejected')) {
    await db.schema.alterTable('venue_bookings').addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
}
