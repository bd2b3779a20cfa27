import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection';
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
