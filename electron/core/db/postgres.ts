import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './schema';
import { postgresMigrations } from './migrations/postgres';

/**
 * The PostgreSQL side of the connection layer. Everything that differs between the two engines at the
 * connection level lives here (and in `./engine.ts`, which picks one): the pool, the type parsers, the
 * migrator. The schema is the same as SQLite's: TEXT dates and instants, INTEGER 0/1 booleans, BIGINT fen.
 */

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * pg returns int8 (BIGINT columns, count(*), sum() of integers) as a string, because a JavaScript number loses
 * digits past 2^53. Fen amounts and counts stay far below that (2^53 fen is 900 万亿元), so they come back as
 * numbers, like better-sqlite3 returns them; a value past the safe range stays a string rather than silently
 * losing digits. sum() over BIGINT is NUMERIC in PostgreSQL: the same rule for whole numbers.
 */
function int8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
function numeric(value: string): number | string {
  const n = Number(value);
  return Number.isFinite(n) && (Number.isSafeInteger(n) || !/^-?\d+$/.test(value)) ? n : value;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return int8;
    if (oid === NUMERIC_OID) return numeric;
    return pg.types.getTypeParser(oid, format);
  },
};

export function isPostgresUrl(target: string | undefined | null): target is string {
  return typeof target === 'string' && /^postgres(ql)?:\/\//i.test(target);
}

export interface OpenedPostgres {
  pool: pg.Pool;
  db: Kysely<Database>;
}

/**
 * A pool on `url` and its kysely instance. Does not migrate. `readOnly`: every transaction on the pool's
 * connections is READ ONLY (`default_transaction_read_only=on`, set at connect as a startup parameter): the
 * server refuses any INSERT/UPDATE/DELETE/DDL on them (SQLSTATE 25006), as SQLite refuses a write on a connection
 * opened `readonly`. The core's read calls run there.
 */
export function openPostgres(url: string, opts: { max?: number; readOnly?: boolean } = {}): OpenedPostgres {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types,
    ...(opts.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { pool, db };
}

/**
 * One connected client on `url` with the same type parsers as the pool, for a long read that needs its own
 * connection and transaction (a cursor over the journal). The caller ends it.
 */
export async function openPgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** The PostgreSQL text of a SQL string literal (for DDL, which takes no parameters). */
export function pgLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** How many migrations the database has applied (0 for an empty one). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function appliedPostgresMigrations(db: Kysely<any>): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(db);
  if (!exists.rows[0]?.t) return [];
  const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/**
 * Applies pending migrations in order, each with its bookkeeping row in one transaction (PostgreSQL DDL is
 * transactional), like the SQLite migrator. Two processes migrating at once queue on an advisory lock, so each
 * migration runs once. Returns how many are applied.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migratePostgresToLatest(db: Kysely<any>, upTo?: number): Promise<number> {
  const names = Object.keys(postgresMigrations).slice(0, upTo);
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(724011)`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS kysely_migration (name VARCHAR(255) NOT NULL PRIMARY KEY, timestamp VARCHAR(255) NOT NULL)`.execute(conn);
      const applied = new Set(await appliedPostgresMigrations(conn));
      for (const name of names) {
        if (applied.has(name)) continue;
        await sql`BEGIN`.execute(conn);
        try {
          await postgresMigrations[name].up(conn);
          await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, ${new Date().toISOString()})`.execute(conn);
          await sql`COMMIT`.execute(conn);
        } catch (e) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw e;
        }
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(724011)`.execute(conn);
    }
  });
  return (await appliedPostgresMigrations(db)).length;
}
