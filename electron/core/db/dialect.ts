import { PostgresAdapter, type Kysely, type OrderByItemBuilder } from 'kysely';

/**
 * Whether a kysely instance (or an open transaction of one) talks to PostgreSQL. For the few places where a query
 * is shaped for SQLite's planner (rowid subqueries, statement caches) and PostgreSQL takes the plain portable form.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * An ORDER BY direction that places NULLs as SQLite does (smallest: first ascending, last descending) on both
 * engines; PostgreSQL takes NULL as the largest value. So a list with empty cells (a draft voucher has no number
 * yet) comes in the same order from either engine:
 *   q.orderBy('number', sqliteNulls(db, 'desc'))
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sqliteNulls(db: Kysely<any>, dir: 'asc' | 'desc'): (ob: OrderByItemBuilder) => OrderByItemBuilder {
  const pg = isPostgres(db);
  return (ob) => {
    const d = dir === 'desc' ? ob.desc() : ob.asc();
    return !pg ? d : dir === 'desc' ? d.nullsLast() : d.nullsFirst();
  };
}
