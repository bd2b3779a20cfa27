import { sql, type Kysely } from 'kysely';

/**
 * Training sessions held in a venue book it in the name of an organization (the venues area books for
 * organizations): the session's organizer (承办组织).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const cols = await sql<{ name: string }>`PRAGMA table_info(training_sessions)`.execute(db);
  if (!cols.rows.some((c) => c.name === 'organizer_id')) {
    await sql`ALTER TABLE training_sessions ADD COLUMN organizer_id TEXT`.execute(db);
  }
}
