import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { Statement } from 'better-sqlite3';
import { Core } from '../../electron/core/core';
import { openSqlite } from '../../electron/core/db/connection';
import { copySqliteToPostgres } from '../../electron/core/db/copyToPostgres';
import { openPgClient, openPostgres } from '../../electron/core/db/postgres';
import { numberedParams } from '../../electron/core/custody/engineSql';
import type { Bench, BenchEngine } from './bench';

/**
 * What the area benches (custody, venues, training, submission) share to run on either engine:
 * - `hubOnEngine`: the bench's big hub on the pass's engine. The hub is generated once on SQLite (fast, cached in
 *   the bench folder, written through the same triggers as real use); on PostgreSQL that file is copied into a
 *   database of its own with the migration copier (`migrate-to-postgres`'s code: same rows, balances and audit
 *   chain checked), then ANALYZEd, so both engines measure the very same data.
 * - `rawDb`: the raw baseline's plain access on the same engine: better-sqlite3 statements prepared once on the
 *   core's own handle, or a plain `pg` client of its own with named (server-side prepared) statements — the best
 *   plain way to repeat a query there. SQL is written once with `?` placeholders (numbered for PostgreSQL).
 */

export interface EngineHub {
  dataDir: string;
  /** The PostgreSQL URL, or undefined on SQLite (the data folder's file). */
  database: string | undefined;
}

/**
 * `sqliteDir` is a generated SQLite hub. On SQLite it is the hub; on PostgreSQL it is opened once as the app
 * would (so a cached file is at the latest schema), then copied into `b.database(name)` once per run.
 */
export async function hubOnEngine(b: Bench, name: string, sqliteDir: string): Promise<EngineHub> {
  if (b.engine === 'sqlite') return { dataDir: sqliteDir, database: undefined };
  const dataDir = b.workDir(name);
  if (b.hasDatabase(name)) return { dataDir, database: await b.database(name) };
  const database = (await b.database(name))!;
  await (await Core.open({ dataDir: sqliteDir, seed: 'empty', autoBackup: false })).close();
  const src = openSqlite(join(sqliteDir, 'incubase.db'), { readonly: true });
  const { db } = openPostgres(database);
  const t0 = performance.now();
  try {
    const report = await copySqliteToPostgres(src, db);
    process.stderr.write(`# ${name}: ${report.totalRows} rows copied to PostgreSQL in ${Math.round(performance.now() - t0)} ms\n`);
  } finally {
    src.close();
    await db.destroy();
  }
  const c = await openPgClient(database);
  try {
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
  return { dataDir, database };
}

export interface RawDb {
  readonly engine: BenchEngine;
  all<T>(text: string, ...params: unknown[]): Promise<T[]>;
  get<T>(text: string, ...params: unknown[]): Promise<T | undefined>;
  /** Rows as arrays. */
  arrays<T extends unknown[]>(text: string, ...params: unknown[]): Promise<T[]>;
  /** A big query's rows as arrays, in batches (SQLite: one lazy iterator; PostgreSQL: a cursor in `tx`/read). */
  scan<T extends unknown[]>(text: string, params: unknown[], each: (row: T) => void): Promise<number>;
  /** Rows changed. */
  run(text: string, ...params: unknown[]): Promise<number>;
  /** One write transaction (SQLite BEGIN IMMEDIATE, PostgreSQL BEGIN) around `fn`, rolled back on throw. */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const PG_FETCH = 20_000;

/**
 * The raw baseline's access to the core's database, on the core's engine: SQLite the core's own handle (or with
 * `readonly` a read-only connection of its own on the file), PostgreSQL a plain `pg` client of its own.
 */
export async function rawDb(core: Core, opts: { readonly?: boolean } = {}): Promise<RawDb> {
  const url = core.databaseUrl;
  if (!url) {
    const db = opts.readonly ? openSqlite(core.dbPath, { readonly: true }) : core.sqlite;
    const cache = new Map<string, Statement>();
    const stmt = (text: string) => {
      let s = cache.get(text);
      if (!s) cache.set(text, (s = db.prepare(text)));
      return s;
    };
    const arrayStmt = new Map<string, Statement>();
    const raw = (text: string) => {
      let s = arrayStmt.get(text);
      if (!s) arrayStmt.set(text, (s = db.prepare(text).raw()));
      return s;
    };
    return {
      engine: 'sqlite',
      all: async <T>(text: string, ...params: unknown[]) => stmt(text).all(...params) as T[],
      get: async <T>(text: string, ...params: unknown[]) => stmt(text).get(...params) as T | undefined,
      arrays: async <T extends unknown[]>(text: string, ...params: unknown[]) => raw(text).all(...params) as T[],
      scan: async <T extends unknown[]>(text: string, params: unknown[], each: (row: T) => void) => {
        let n = 0;
        for (const r of raw(text).iterate(...params) as Iterable<T>) {
          each(r);
          n++;
        }
        return n;
      },
      run: async (text: string, ...params: unknown[]) => stmt(text).run(...params).changes,
      async tx<T>(fn: () => Promise<T>) {
        db.exec('BEGIN IMMEDIATE');
        try {
          const r = await fn();
          db.exec('COMMIT');
          return r;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      },
      close: async () => void (opts.readonly && db.close()),
    };
  }
  const client: pg.Client = await openPgClient(url);
  const names = new Map<string, { name: string; text: string }>();
  const prepared = (text: string) => {
    let p = names.get(text);
    if (!p) names.set(text, (p = { name: `raw_${names.size + 1}`, text: numberedParams(text) }));
    return p;
  };
  const query = (text: string, params: unknown[], rowMode?: 'array') => client.query({ ...prepared(text), values: params, ...(rowMode ? { rowMode } : {}) });
  let cursors = 0;
  return {
    engine: 'postgres',
    all: async <T>(text: string, ...params: unknown[]) => (await query(text, params)).rows as T[],
    get: async <T>(text: string, ...params: unknown[]) => (await query(text, params)).rows[0] as T | undefined,
    arrays: async <T extends unknown[]>(text: string, ...params: unknown[]) => (await query(text, params, 'array')).rows as T[],
    async scan<T extends unknown[]>(text: string, params: unknown[], each: (row: T) => void) {
      const name = `raw_scan_${++cursors}`;
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${numberedParams(text)}`, values: params });
        let n = 0;
        for (;;) {
          const rows = (await client.query({ text: `FETCH ${PG_FETCH} FROM ${name}`, rowMode: 'array' })).rows as T[];
          for (const r of rows) each(r);
          n += rows.length;
          if (rows.length < PG_FETCH) break;
        }
        await client.query('COMMIT');
        return n;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    },
    run: async (text: string, ...params: unknown[]) => (await query(text, params)).rowCount ?? 0,
    async tx<T>(fn: () => Promise<T>) {
      await client.query('BEGIN');
      try {
        const r = await fn();
        await client.query('COMMIT');
        return r;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    },
    close: () => client.end(),
  };
}

/** Wall and CPU (user + system of this process) milliseconds of one run. */
export async function measure<T>(fn: () => Promise<T> | T): Promise<{ r: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { r, wall, cpu: (c.user + c.system) / 1000 };
}
