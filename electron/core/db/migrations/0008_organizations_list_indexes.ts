import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the organization list at 50,000 rows (measured by tests/bench/organizations.bench.ts):
 * - (updated_at, id): the default order "most recently changed first" walks the index instead of sorting every
 *   row (an import or a seed gives thousands of rows the same updated_at, so id must be in the index too);
 * - (search_text): the search box's LIKE '%…%' scans this narrow covering index, not the wide table;
 * - (street, mgmt_class): counting and filtering by street and class (the grid's commonest pair) without
 *   touching the table.
 * The old single-column updated_at index is covered by the new one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS organizations_updated_id ON organizations (updated_at, id)`.execute(db);
  await sql`DROP INDEX IF EXISTS organizations_updated`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_search ON organizations (search_text)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_street_class ON organizations (street, mgmt_class)`.execute(db);
}
