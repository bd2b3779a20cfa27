import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection';
import type { Core } from '../core';
import { isPostgres } from '../db/dialect';

/**
 * The SQL of the submission area's reads (工作台, 上报前检查) that differs between SQLite and PostgreSQL, in one
 * place; everything else they run is the same text on both. (The package snapshot reads through extract.ts.)
 */

/** Whether a table exists (an area not installed has none; its tile or check is left out). */
export async function tableExists(db: Db, name: string): Promise<boolean> {
  const r = isPostgres(db)
    ? await sql<{ n: number }>`SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ${name}`.execute(db)
    : await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${name}`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

/** Whole minutes from one `YYYY-MM-DDTHH:mm` column to another. */
export function minutesBetween(db: Db, start: string, end: string): RawBuilder<number> {
  return isPostgres(db)
    ? sql<number>`((extract(epoch FROM ${sql.ref(end)}::timestamp) - extract(epoch FROM ${sql.ref(start)}::timestamp)) / 60)::bigint`
    : sql<number>`CAST(round((julianday(${sql.ref(end)}) - julianday(${sql.ref(start)})) * 1440) AS INTEGER)`;
}

/** Days between a `YYYY-MM-DD` column and a date value, without sign. */
export function daysApart(db: Db, column: string, date: string): RawBuilder<number> {
  return isPostgres(db) ? sql<number>`abs(${sql.ref(column)}::date - ${date}::date)` : sql<number>`abs(julianday(${sql.ref(column)}) - julianday(${date}))`;
}

/**
 * A stamp that changes whenever anything committed to the database since it was taken (the consolidated view's
 * cache of the hub's own records is kept while it stays the same).
 * - SQLite: changes since the connection opened (`total_changes()`: every write of the application goes through
 *   the one write connection) and commits by any other connection (`data_version`, e.g. the CLI on the same folder).
 * - PostgreSQL: the current snapshot (`xmin:xmax:in-progress xids`). Every write transaction, of any connection or
 *   process — a second server, the CLI, a DBA's statement that writes no audit entry — takes a transaction id;
 *   one started since the last stamp moves xmax, one that was running then leaves the in-progress list when it
 *   ends. Read-only transactions take none, so an idle database keeps its stamp. (The newest audit id, used
 *   before, missed every write without an audit entry.) Ids are per cluster: a write in another database of the
 *   same server also changes the stamp, which costs a re-read, never a stale answer.
 */
export async function databaseStamp(core: Core, db: Db): Promise<string> {
  if (isPostgres(db)) {
    const r = await sql<{ s: string }>`SELECT pg_current_snapshot()::text AS s`.execute(db);
    return `snapshot:${r.rows[0].s}`;
  }
  const sqlite = core.sqlite;
  const changes = (sqlite.prepare('SELECT total_changes() AS t').get() as { t: number }).t;
  return `${String(sqlite.pragma('data_version', { simple: true }))}:${changes}`;
}
