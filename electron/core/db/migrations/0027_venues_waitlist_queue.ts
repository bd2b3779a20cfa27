import type { Kysely } from 'kysely';

/**
 * The waiting list's queue order is the order entries were made (timestamps can tie). On SQLite that is the
 * table's rowid, which every row already has: nothing to change here. The PostgreSQL twin adds the column that
 * stands for it there (an identity, numbered in insertion order); venues/sqlDialect.ts picks one or the other.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
export async function up(_db: Kysely<any>): Promise<void> {}
