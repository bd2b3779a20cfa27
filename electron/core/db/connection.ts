import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema';
import { migrations } from './migrations';

export type SqliteHandle = BetterSqlite3.Database;
export type Db = Kysely<Database>;

export interface OpenedDatabase {
  sqlite: SqliteHandle;
  db: Db;
}

/** Opens the file with the pragmas every connection needs. Does not migrate. */
export function openSqlite(file: string, opts: { readonly?: boolean } = {}): SqliteHandle {
  const sqlite = new BetterSqlite3(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  sqlite.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable in WAL mode against application crashes; a power cut may lose the last commit but
    // never corrupts the file. FULL keeps even that: we prefer the auditor's view.
    sqlite.pragma('synchronous = FULL');
  }
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

export function kyselyFor(sqlite: SqliteHandle): Db {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * kysely prepares every query anew; SQLite's prepare cost about as much as running a typical call's queries
 * (≈0.45 ms of ≈3 ms for a booking). Statements are kept by their SQL text, the least recently used dropped past
 * `max`. A statement still being iterated (a streamed query) is busy: that query gets a fresh one.
 */
export function withStatementCache(sqlite: SqliteHandle, max = 1000): { close(): void; prepare(sql: string): BetterSqlite3.Statement } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      if (!hit) {
        cache.set(text, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

/** `PRAGMA quick_check`: returns null when the file is sound, else the first problems found. */
export function quickCheck(sqlite: SqliteHandle): string | null {
  try {
    const rows = sqlite.pragma('quick_check(5)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return problems.length ? problems.join('; ') : null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** How many migrations this file has applied (0 for a new file). */
export function appliedMigrationCount(sqlite: SqliteHandle): number {
  const table = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  if (!table) return 0;
  return (sqlite.prepare('SELECT count(*) AS n FROM kysely_migration').get() as { n: number }).n;
}

export function pendingMigrationCount(sqlite: SqliteHandle): number {
  return Object.keys(migrations).length - appliedMigrationCount(sqlite);
}

/**
 * Applies pending migrations in order, each with its bookkeeping row inside one transaction (SQLite DDL is
 * transactional; kysely's own migrator does not wrap it), so a failure leaves the file at the previous
 * version. The table name is kysely's, and the version is also written to `PRAGMA user_version`.
 */
export async function migrateToLatest(db: Db, sqlite: SqliteHandle, upTo?: number): Promise<number> {
  sqlite.exec('CREATE TABLE IF NOT EXISTS kysely_migration (name VARCHAR(255) NOT NULL PRIMARY KEY, timestamp VARCHAR(255) NOT NULL)');
  const names = Object.keys(migrations).slice(0, upTo);
  const applied = new Set(
    (sqlite.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map((r) => r.name),
  );
  for (const name of names) {
    if (applied.has(name)) continue;
    // A table rebuild (SQLite's 12-step ALTER) runs with foreign keys off: the pragma cannot change inside the
    // transaction, so it is set around it; the migration checks `PRAGMA foreign_key_check` before commit.
    const fkOff = (migrations[name] as { foreignKeysOff?: boolean }).foreignKeysOff === true;
    if (fkOff) sqlite.pragma('foreign_keys = OFF');
    try {
      await db.transaction().execute(async (trx) => {
        await migrations[name].up(trx);
        await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, ${new Date().toISOString()})`.execute(trx);
      });
    } finally {
      if (fkOff) sqlite.pragma('foreign_keys = ON');
    }
  }
  const done = appliedMigrationCount(sqlite);
  sqlite.pragma(`user_version = ${done}`);
  return done;
}
