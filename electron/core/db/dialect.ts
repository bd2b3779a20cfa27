import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Whether a kysely instance (or an open transaction of one) talks to PostgreSQL. For the few places where a query
 * is shaped for SQLite's planner (rowid subqueries, statement caches) and PostgreSQL takes the plain portable form.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
