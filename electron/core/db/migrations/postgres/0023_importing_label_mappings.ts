import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0023_importing_label_mappings (the import mapping step's remembered labels, per hub). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS import_label_mappings (
    vocabulary TEXT NOT NULL,
    label TEXT NOT NULL,
    code TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT import_label_mappings_pk PRIMARY KEY (vocabulary, label)
  )`.execute(db);
}
