import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openPostgres } from '../../electron/core/db/postgres';
import type { Database } from '../../electron/core/db/schema';

/**
 * The server `npm run test:pg` started (scripts/with-postgres.ts). Each test file gets its own database on it,
 * created from the template database and dropped afterwards, so files run in parallel without sharing rows.
 */
export function testDatabaseUrl(): string {
  const url = process.env.INCUBASE_TEST_DATABASE;
  if (!url) throw new Error('INCUBASE_TEST_DATABASE is not set: run PostgreSQL tests with `npm run test:pg`');
  return url;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface FreshPg {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database (no tables) on the test server. */
export async function freshPgDatabase(prefix = 't'): Promise<FreshPg> {
  const name = `incubase_${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(testDatabaseUrl(), name),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A fresh database and a kysely pool on it. */
export async function openFreshPg(prefix?: string): Promise<{ db: Kysely<Database>; url: string; close(): Promise<void> }> {
  const fresh = await freshPgDatabase(prefix);
  const { db } = openPostgres(fresh.url);
  return {
    db,
    url: fresh.url,
    close: async () => {
      await db.destroy();
      await fresh.drop();
    },
  };
}

/** The refusal a statement meets on PostgreSQL (its message), or null when it went through. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function pgRefusal(db: Kysely<any>, statement: string): Promise<{ code: string; message: string; constraint?: string } | null> {
  try {
    await sql.raw(statement).execute(db);
    return null;
  } catch (e) {
    const err = e as { code?: string; message: string; constraint?: string };
    return { code: err.code ?? '', message: err.message, constraint: err.constraint };
  }
}
