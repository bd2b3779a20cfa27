import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0007_training_organizer: the session's organizer (承办组织). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE training_sessions ADD COLUMN IF NOT EXISTS organizer_id TEXT`.execute(db);
}
