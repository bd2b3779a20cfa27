/**
 * Where the custody area's SQL meets the engine, in one place. The services speak kysely, which runs the same on
 * SQLite and PostgreSQL; two hot paths go below it and differ by engine only here:
 * - posting (`postingSql.ts`'s statements): on SQLite prepared once per better-sqlite3 handle and run on the
 *   transaction's own connection (cheaper than kysely's compile + prepare per call); on PostgreSQL the same SQL
 *   text, numbered `$1…`, sent on the transaction's connection;
 * - the voucher export's journal scan: on SQLite a read-only connection of its own iterating one statement; on
 *   PostgreSQL a client of its own in a REPEATABLE READ READ ONLY transaction (one snapshot, as SQLite's read
 *   transaction gives) fetching a server-side cursor in batches of row arrays, so memory holds one batch.
 * The SQL text is the same on both engines; only how it is prepared, bound and iterated differs.
 */
import type { Statement } from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Trx } from '../api/context';
import { openSqlite, type SqliteHandle } from '../db/connection';
import { isPostgres } from '../db/dialect';
import { isPostgresUrl, openPgClient } from '../db/postgres';

/** `?` placeholders → PostgreSQL's `$1, $2, …` (the custody statements have no `?` inside string literals). */
export function numberedParams(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** Runs fixed statements (SQL with `?` placeholders) inside a write transaction, on either engine. */
export interface StatementRunner<K extends string> {
  get<T>(key: K, ...params: unknown[]): Promise<T | undefined>;
  all<T>(key: K, ...params: unknown[]): Promise<T[]>;
  /** The number of rows changed. */
  run(key: K, ...params: unknown[]): Promise<number>;
}

const sqliteCache = new WeakMap<SqliteHandle, Map<string, Statement>>();
const pgText = new Map<string, string>();

/**
 * The statements `sqlText` of `trx`'s engine. SQLite: prepared on `sqlite` (the handle under `trx`, so they join
 * its open transaction) on first use, cached per handle (a restore reopens the file with a new one). PostgreSQL:
 * sent through `trx`'s connection.
 */
export function statementRunner<K extends string>(trx: Trx, sqlite: SqliteHandle, sqlText: Readonly<Record<K, string>>): StatementRunner<K> {
  if (isPostgres(trx)) {
    const exec = async (key: K, params: unknown[]) => {
      const raw = sqlText[key];
      let text = pgText.get(raw);
      if (text === undefined) pgText.set(raw, (text = numberedParams(raw)));
      return trx.executeQuery(CompiledQuery.raw(text, params));
    };
    return {
      get: async <T>(key: K, ...params: unknown[]) => (await exec(key, params)).rows[0] as T | undefined,
      all: async <T>(key: K, ...params: unknown[]) => (await exec(key, params)).rows as T[],
      run: async (key: K, ...params: unknown[]) => Number((await exec(key, params)).numAffectedRows ?? 0),
    };
  }
  let byText = sqliteCache.get(sqlite);
  if (!byText) sqliteCache.set(sqlite, (byText = new Map()));
  const cache = byText;
  const stmt = (key: K) => {
    const raw = sqlText[key];
    let s = cache.get(raw);
    if (!s) cache.set(raw, (s = sqlite.prepare(raw)));
    return s;
  };
  return {
    get: async <T>(key: K, ...params: unknown[]) => stmt(key).get(...params) as T | undefined,
    all: async <T>(key: K, ...params: unknown[]) => stmt(key).all(...params) as T[],
    run: async (key: K, ...params: unknown[]) => stmt(key).run(...params).changes,
  };
}

/**
 * A consistent read-only view of the database for one long read (the voucher export): every query sees the
 * same committed state. `source` is the SQLite file's path or a `postgres://` URL.
 */
export interface SnapshotReader {
  /** All rows of a small query, as arrays. */
  rows<R extends unknown[]>(text: string, params?: unknown[]): Promise<R[]>;
  /**
   * A big query's rows as arrays, in batches. The consumer may await between rows of a batch (a slow
   * destination): the next batch is read only when it asks.
   */
  scan<R extends unknown[]>(text: string, params?: unknown[]): AsyncIterable<Iterable<R>>;
  close(): Promise<void>;
}

const PG_BATCH = 20_000;

/** Where `openSnapshot` reads a core's data: its PostgreSQL URL, else its SQLite file. */
export function snapshotSourceOf(core: { databaseUrl: string | null; dbPath: string }): string {
  return core.databaseUrl ?? core.dbPath;
}

export async function openSnapshot(source: string): Promise<SnapshotReader> {
  if (isPostgresUrl(source)) {
    const client = await openPgClient(source);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    let cursors = 0;
    return {
      rows: async <R extends unknown[]>(text: string, params: unknown[] = []) => (await client.query<R>({ text: numberedParams(text), values: params, rowMode: 'array' })).rows,
      scan<R extends unknown[]>(text: string, params: unknown[] = []): AsyncIterable<Iterable<R>> {
        const name = `custody_scan_${++cursors}`;
        return {
          async *[Symbol.asyncIterator]() {
            await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${numberedParams(text)}`, values: params });
            try {
              for (;;) {
                const batch = (await client.query<R>({ text: `FETCH ${PG_BATCH} FROM ${name}`, rowMode: 'array' })).rows;
                if (batch.length === 0) return;
                yield batch;
                if (batch.length < PG_BATCH) return;
              }
            } finally {
              await client.query(`CLOSE ${name}`).catch(() => undefined);
            }
          },
        };
      },
      async close() {
        await client.query('COMMIT').catch(() => undefined);
        await client.end();
      },
    };
  }
  const db = openSqlite(source, { readonly: true });
  try {
    db.prepare('BEGIN').run();
  } catch (e) {
    db.close();
    throw e;
  }
  return {
    rows: async <R extends unknown[]>(text: string, params: unknown[] = []) => db.prepare(text).raw().all(...params) as R[],
    scan<R extends unknown[]>(text: string, params: unknown[] = []): AsyncIterable<Iterable<R>> {
      // One batch: the statement's own lazy iterator (the connection is this reader's, so it may stay open while
      // the consumer awaits).
      return {
        async *[Symbol.asyncIterator]() {
          yield db.prepare(text).raw().iterate(...params) as Iterable<R>;
        },
      };
    },
    async close() {
      try {
        if (db.inTransaction) db.prepare('COMMIT').run();
      } finally {
        db.close();
      }
    },
  };
}
