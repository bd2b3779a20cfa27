import { sql, type Kysely } from 'kysely';

/**
 * 本基地主办 (issue 18): a training run by the hub itself books a venue without an incubated organization, so
 * `venue_bookings.organization_id` and `venue_booking_series.organization_id` become nullable (null = 本基地).
 *
 * SQLite cannot drop a NOT NULL in place: this is the documented 12-step rebuild
 * (https://www.sqlite.org/lang_altertable.html#otheralter). The migrator runs this migration with
 * `PRAGMA foreign_keys = OFF` (it cannot change inside the transaction; see `foreignKeysOff` below), so dropping
 * the old table neither deletes nor breaks the rows that reference it (venue_bookings -> series, waitlist ->
 * bookings). Each table is re-created from its own stored CREATE statement (which carries every column added since,
 * e.g. `rejected`, `version`) with only that one NOT NULL removed; rows are copied with their ids; every index and
 * trigger of the table is read from sqlite_master before and re-run after; `PRAGMA foreign_key_check` must be
 * empty before the transaction commits.
 */
export const foreignKeysOff = true;

const NOT_NULL_ORG = /organization_id\s+TEXT\s+NOT\s+NULL\s+REFERENCES/i;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rebuildWithNullableOrganization(db: Kysely<any>, table: string): Promise<void> {
  const def = (await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db)).rows[0];
  if (!def || !NOT_NULL_ORG.test(def.sql)) return; // already nullable
  const dependents = (
    await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE tbl_name = ${table} AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`.execute(db)
  ).rows.map((r) => r.sql);
  const temp = `${table}_rebuild_0024`;
  const createNew = def.sql
    .replace(NOT_NULL_ORG, 'organization_id TEXT REFERENCES')
    .replace(/^CREATE TABLE\s+(IF NOT EXISTS\s+)?("?)[A-Za-z_]+\2/i, `CREATE TABLE "${temp}"`);
  const cols = (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)).rows.map((c) => `"${c.name}"`).join(', ');
  await sql.raw(createNew).execute(db);
  await sql.raw(`INSERT INTO "${temp}" (${cols}) SELECT ${cols} FROM "${table}"`).execute(db);
  await sql.raw(`DROP TABLE "${table}"`).execute(db);
  await sql.raw(`ALTER TABLE "${temp}" RENAME TO "${table}"`).execute(db);
  for (const stmt of dependents) await sql.raw(stmt).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await rebuildWithNullableOrganization(db, 'venue_booking_series');
  await rebuildWithNullableOrganization(db, 'venue_bookings');
  const broken = await sql<{ table: string; rowid: number; parent: string }>`PRAGMA foreign_key_check`.execute(db);
  if (broken.rows.length) {
    const first = broken.rows[0];
    throw new Error(`升级数据库失败：表 ${first.table} 第 ${first.rowid} 行引用的 ${first.parent} 记录不存在（共 ${broken.rows.length} 处外键不一致）`);
  }
}
