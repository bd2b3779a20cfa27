import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL form of 0008_organizations_list_indexes. The search box's LIKE '%…%' uses a trigram GIN index
 * (pg_trgm, shipped with PostgreSQL) instead of SQLite's narrow covering index; a btree on the free text would also
 * refuse rows past its 2.7 kB entry limit.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_updated_id ON organizations (updated_at, id)`.execute(db);
  await sql`DROP INDEX IF EXISTS organizations_updated`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_search ON organizations USING gin (search_text gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_street_class ON organizations (street, mgmt_class)`.execute(db);
}
