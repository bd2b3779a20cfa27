import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { Trx } from '../api/context';
import type { Core, CoreOptions } from '../core';
import { openSqlite, type Db, type SqliteHandle } from './connection';
import { copySqliteToPostgres } from './copyToPostgres';
import { isRetryableConflict } from './errors';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { appliedPostgresMigrations, migratePostgresToLatest, openPostgres } from './postgres';
import type { UserTable } from './schema';

/**
 * How the core runs on PostgreSQL, in one place (core.ts only branches into these):
 * - opening: a pool on the URL, the PostgreSQL migrations, the demo hub for a new database;
 * - writing: one transaction per `ctx.write` that first takes a transaction-scoped advisory lock, so writers queue
 *   exactly as SQLite's BEGIN IMMEDIATE makes them queue — across every server process on the database — and the
 *   services' read-check-write steps stay atomic; a serialization failure or deadlock is retried a few times and
 *   then refused as a CONFLICT with a Chinese message, never an internal error;
 * - per call: what every authenticated call checks before its handler (the settings for the idle lock, the
 *   session's user, the office lock row) is read in ONE round trip ({@link postgresCallPrelude}); on SQLite these
 *   are three in-process reads, on PostgreSQL each would be a network round trip (a socket write and a wake-up of
 *   the server process: most of a small read call's cost under load);
 * - the raw better-sqlite3 handle does not exist: code that still needs it says so in Chinese.
 */

/** The advisory lock every write transaction takes (an arbitrary constant: "incubase write"). */
const WRITE_LOCK = 7240_2026;
const MAX_ATTEMPTS = 5;

export async function openPostgresCore(core: Core, url: string, opts: CoreOptions): Promise<{ db: Db; readDb: Db } | { recovery: string }> {
  const { db } = openPostgres(url);
  let applied: string[];
  try {
    applied = await appliedPostgresMigrations(db);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    return { recovery: `无法连接 PostgreSQL 数据库：${(e as Error).message}` };
  }
  if (applied.length > LATEST_SCHEMA_VERSION) return { recovery: '数据库由更新版本的程序创建，请升级本程序后再打开' };
  if (applied.length < LATEST_SCHEMA_VERSION) {
    opts.onProgress?.('upgrade');
    await migratePostgresToLatest(db);
  }
  const hub = await db.selectFrom('hub').select('id').executeTakeFirst();
  if (!hub && (opts.seed ?? 'demo') === 'demo') await seedThroughSqlite(core, db, opts);
  return { db, readDb: openPostgres(url, { readOnly: true }).db };
}

/**
 * The demo hub on PostgreSQL: the seeders write through SQLite's prepared statements for speed, so the demo is
 * generated in a temporary SQLite core with the same options and copied over with the migration copier (the same
 * rows, checked the same way as `migrate-to-postgres`). Files it wrote beside the database (keys) come along.
 */
async function seedThroughSqlite(core: Core, db: Db, opts: CoreOptions): Promise<void> {
  const { Core: CoreClass } = await import('../core');
  const dir = mkdtempSync(join(tmpdir(), 'incubase-pgseed-'));
  try {
    const temp = await CoreClass.open({ dataDir: dir, seed: 'demo', demoScale: opts.demoScale, now: opts.now, autoBackup: false, integrityCheck: 'off' });
    await temp.close();
    const src = openSqlite(join(dir, 'incubase.db'), { readonly: true });
    try {
      await copySqliteToPostgres(src, db);
    } finally {
      src.close();
    }
    for (const name of readdirSync(dir)) {
      if (/^incubase\.db/.test(name) || name === 'logs' || name === 'backups' || name.startsWith('.')) continue;
      const to = join(core.dataDir, name);
      if (!existsSync(to)) cpSync(join(dir, name), to, { recursive: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether the open transaction on `conn` has changed anything (rows inserted, updated or deleted, by the call or by
 * a trigger): PostgreSQL gives a transaction its id at its first write and `pg_current_xact_id_if_assigned()` is
 * NULL until then — one function call, no catalog scan. (A row lock, SELECT … FOR UPDATE, takes an id too; the core
 * takes none: its writers queue on the advisory lock.) `pg_stat_xact_user_tables` would count the rows, but in
 * PostgreSQL 15 it also shows earlier transactions' counts not yet flushed, so it needs a reading before and after
 * each write: two catalog scans, about 3 ms each against 0.2 ms for `SELECT 1` on this machine (measured), where
 * this is 0.4 ms and only for a write call that wrote no audit row.
 */
export async function postgresTransactionWrote(conn: Trx): Promise<boolean> {
  const r = await sql<{ wrote: boolean }>`SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS wrote`.execute(conn);
  return r.rows[0]?.wrote === true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One write transaction on PostgreSQL (see above). `make` is called per attempt: a retry starts clean. */
export async function postgresWrite<T>(db: Db, make: (conn: Trx) => { run: () => Promise<T>; committed: () => void }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.connection().execute(async (conn) => {
        try {
          // One round trip: BEGIN and the write lock as one simple-protocol message (no parameters).
          await sql.raw(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`).execute(conn);
          const call = make(conn);
          const result = await call.run();
          await sql`COMMIT`.execute(conn);
          call.committed();
          return result;
        } catch (e) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw e;
        }
      });
    } catch (e) {
      if (!isRetryableConflict(e)) throw e;
      if (attempt >= MAX_ATTEMPTS) throw fail.conflict('数据库繁忙：其他用户正在同时修改相同的数据，已重试多次仍未完成，请稍后再试');
      await sleep(5 * attempt + Math.random() * 20);
    }
  }
}

/**
 * Stands in for the better-sqlite3 handle on PostgreSQL. A feature that still uses SQLite's own interface (a few
 * bulk paths: seeds, imports, exports and reports that prepare statements directly) is refused with a clear
 * message instead of failing deep inside; `open` reads false so closing code skips it.
 */
export function sqliteUnavailable(): SqliteHandle {
  return new Proxy({} as SqliteHandle, {
    get(_t, prop) {
      if (prop === 'open') return false;
      if (prop === 'then') return undefined;
      throw fail.rule('此功能暂不支持 PostgreSQL 数据库(它直接使用 SQLite 文件的接口)，请在 SQLite 模式下使用');
    },
  });
}

/** What an authenticated call on PostgreSQL reads before its handler, from one statement. */
export interface CallPrelude<L> {
  /** The `settings` rows (key, JSON text value). */
  settings: { key: string; value: string }[];
  /** The session's user row, null when there is none. */
  user: UserTable | null;
  /** The office lock row (`office_lock` at `lockSlot`), null when no operation holds it. */
  lock: L | null;
}

/**
 * One round trip for the dispatcher on PostgreSQL: the settings, the user behind the session and the office lock
 * row, each as JSON of the row (`row_to_json`: the same column names and values as `SELECT *`; the schema has
 * TEXT, INTEGER and BIGINT columns only, which JSON carries as strings and numbers). One statement: one snapshot.
 */
export async function postgresCallPrelude<L>(db: Db, userId: string | null, lockSlot: string): Promise<CallPrelude<L>> {
  const r = await sql<{ settings: { key: string; value: string }[]; user: UserTable | null; lock: L | null }>`SELECT
      (SELECT coalesce(json_agg(json_build_object('key', s.key, 'value', s.value)), '[]'::json) FROM settings s) AS settings,
      (SELECT row_to_json(u) FROM users u WHERE u.id = ${userId}) AS "user",
      (SELECT row_to_json(l) FROM office_lock l WHERE l.slot = ${lockSlot}) AS lock`.execute(db);
  const row = r.rows[0];
  return { settings: row.settings, user: row.user, lock: row.lock };
}
