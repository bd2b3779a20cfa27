import { describe, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import type { Core } from '../../electron/core/core';

/**
 * Which engine the suite runs on. `npm run test:pg` (scripts/with-postgres.ts) sets INCUBASE_TEST_DATABASE, and
 * then every core a test opens through tests/helpers/core.ts lives in its own PostgreSQL database; otherwise SQLite.
 */
export const onPostgres = Boolean(process.env.INCUBASE_TEST_DATABASE);
export const testEngine: 'sqlite' | 'postgres' = onPostgres ? 'postgres' : 'sqlite';

/**
 * The one way to mark a test that is truly about the SQLite file itself (file damage, WAL, PRAGMA, the sqlite
 * backup API, better-sqlite3 statements): skipped on PostgreSQL with its reason in the skipped test's name, so the
 * run's report lists every skip and why. `tests/pg/sqliteOnly.test.ts` lists them all and checks each has a reason.
 *
 *   sqliteOnly.describe('damaged files', '损坏的是 SQLite 文件本身', () => { ... })
 */
function label(name: string, reason: string): string {
  if (!reason.trim()) throw new Error(`sqliteOnly「${name}」 needs a reason`);
  return onPostgres ? `${name} 〔仅 SQLite，PostgreSQL 上跳过：${reason}〕` : name;
}
export const sqliteOnly = {
  describe(name: string, reason: string, fn: () => void): void {
    describe.skipIf(onPostgres)(label(name, reason), fn);
  },
  it(name: string, reason: string, fn: () => unknown, timeout?: number): void {
    it.skipIf(onPostgres)(label(name, reason), fn as () => Promise<void>, timeout);
  },
};

/** `?` placeholders (SQLite's) as `$1, $2…` (PostgreSQL's); a `?` inside a quoted literal stays. */
export function placeholders(text: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/**
 * Raw SQL on the core's database, whichever engine it is: for tests that tamper with rows, inspect them or check
 * what a service stored behind its back. Write the statement with `?` placeholders and portable SQL; it runs
 * outside any `ctx.write` (no audit row), exactly like a DBA's statement would. Numbers come back as numbers on
 * both engines (see electron/core/db/postgres.ts for int8).
 */
export async function rawAll<R = Record<string, unknown>>(core: Core, text: string, ...params: unknown[]): Promise<R[]> {
  const q = CompiledQuery.raw(core.engine === 'postgres' ? placeholders(text) : text, params);
  return (await core.db.executeQuery<R>(q)).rows;
}
export async function rawGet<R = Record<string, unknown>>(core: Core, text: string, ...params: unknown[]): Promise<R | undefined> {
  return (await rawAll<R>(core, text, ...params))[0];
}
/** A statement (or several separated by `;`, without parameters) for its effect; the rows it changed. */
export async function rawRun(core: Core, text: string, ...params: unknown[]): Promise<number> {
  if (core.engine === 'sqlite' && !params.length && /;\s*\S/.test(text)) {
    core.sqlite.exec(text); // several statements: better-sqlite3 prepares one at a time
    return 0;
  }
  const q = CompiledQuery.raw(core.engine === 'postgres' ? placeholders(text) : text, params);
  const r = await core.db.executeQuery(q);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Many rows into `table` behind the services' back (a test's bulk fill: 50,000 organizations for the list), on
 * either engine: multi-row `INSERT … VALUES (…), (…)` statements of at most `maxParams` parameters each (both
 * engines' limits are far above the default), all in one transaction. Every row has the same keys (the columns).
 * Like {@link rawRun} it writes no audit row. Returns how many rows went in.
 */
export async function bulkInsert(core: Core, table: string, rows: Record<string, unknown>[], opts: { maxParams?: number } = {}): Promise<number> {
  if (!rows.length) return 0;
  const columns = Object.keys(rows[0]);
  const perStatement = Math.max(1, Math.floor((opts.maxParams ?? 30_000) / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  await core.db.transaction().execute(async (trx) => {
    for (let at = 0; at < rows.length; at += perStatement) {
      const chunk = rows.slice(at, at + perStatement);
      const text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`;
      const params = chunk.flatMap((r) => columns.map((c) => r[c]));
      await trx.executeQuery(CompiledQuery.raw(core.engine === 'postgres' ? placeholders(text) : text, params));
    }
  });
  return rows.length;
}
