import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection';
import { isPostgres } from '../db/dialect';

/**
 * The SQL of the venues area that differs between SQLite and PostgreSQL, in one place (the utilization report's
 * sums have their two forms side by side in reports.ts).
 */

/**
 * A column kept out of the planner's choice of index. SQLite (no ANALYZE statistics) takes `+column` as that hint
 * and would otherwise pick a worse index (see the callers); PostgreSQL plans from its statistics and has no such
 * operator for text: the plain column.
 */
export function unindexed(db: Db, column: string): RawBuilder<string> {
  return isPostgres(db) ? sql<string>`${sql.ref(column)}` : sql<string>`+${sql.ref(column)}`;
}

/** The waiting list's queue order (insertion order): SQLite's rowid, PostgreSQL's identity of 0027. */
export function waitlistQueue(db: Db, alias?: string): RawBuilder<number> {
  const column = isPostgres(db) ? 'queue_seq' : 'rowid';
  return sql<number>`${sql.ref(alias ? `${alias}.${column}` : column)}`;
}
