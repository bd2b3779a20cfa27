/**
 * The organization ledger's bulk paths, per engine, in one place: the importer's per-row lookups and writes and the
 * export's row source. On SQLite they are better-sqlite3 prepared statements on the hub's one connection (building
 * a kysely query per row was most of a 30,000-row import; the export reads by rowid); on PostgreSQL the same
 * statements go through the kysely connection given (the read pool, or the write transaction), with `$n`
 * parameters. Everything else in the importer and the exporter is engine-neutral.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Statement } from 'better-sqlite3';
import type { Db, SqliteHandle } from '../db/connection';
import { isPostgres } from '../db/dialect';
import type { OrgRow } from './records';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** A value now (SQLite) or soon (PostgreSQL): callers `await` it either way. */
type Maybe<T> = T | Promise<T>;

export interface OrgLookups {
  /**
   * Called with the keys of the next chunk of rows before they are looked up: on PostgreSQL the chunk's
   * organizations are read in one query (by credit code or name, `= ANY($n)`) and the lookups below answer from
   * it; on SQLite nothing (each lookup is a prepared statement on the hub's own connection).
   */
  prefetch(keys: readonly { creditCode?: string | null; name?: string | null }[]): Maybe<void>;
  codeHolder(code: string): Maybe<{ id: string; name: string } | undefined>;
  idsByName(name: string): Maybe<string[]>;
  idsByNameStreet(name: string, street: string): Maybe<string[]>;
  byId(id: string): Maybe<OrgRow | undefined>;
}

const LOOKUP_SQL = {
  codeHolder: 'SELECT id, name FROM organizations WHERE credit_code = ?',
  byName: 'SELECT id FROM organizations WHERE name = ?',
  byNameStreet: "SELECT id FROM organizations WHERE name = ? AND coalesce(street, '') = ?",
  byId: 'SELECT * FROM organizations WHERE id = ?',
};

/** `?` → `$1, $2…` for PostgreSQL (the statements above hold no `?` inside literals). */
function pgText(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

async function pgRows<R>(db: AnyDb, text: string, params: unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
}

/** The importer's lookups of existing organizations (SQLite: per row through their indexes; PostgreSQL: per chunk). */
export function orgLookups(db: AnyDb, sqlite: SqliteHandle): OrgLookups {
  if (isPostgres(db)) return pgLookups(db);
  const codeHolder = sqlite.prepare(LOOKUP_SQL.codeHolder);
  const byName = sqlite.prepare(LOOKUP_SQL.byName).pluck();
  const byNameStreet = sqlite.prepare(LOOKUP_SQL.byNameStreet).pluck();
  const byId = sqlite.prepare(LOOKUP_SQL.byId);
  return {
    prefetch: () => undefined,
    codeHolder: (code) => codeHolder.get(code) as { id: string; name: string } | undefined,
    idsByName: (name) => byName.all(name) as string[],
    idsByNameStreet: (name, street) => byNameStreet.all(name, street) as string[],
    byId: (id) => byId.get(id) as OrgRow | undefined,
  };
}

/**
 * PostgreSQL: a round trip per row and lookup was most of an import's time there (30,000 rows: 60,000 queries).
 * `prefetch` reads the chunk's candidates — every organization holding one of its credit codes or names — in one
 * query through the two indexes; the lookups answer from those rows exactly as the per-row statements would
 * (`name = ? AND coalesce(street, '') = ?` is the same test in code). A key that was not prefetched (a caller
 * that skipped `prefetch`) is still answered, by its own query.
 */
function pgLookups(db: AnyDb): OrgLookups {
  const q = Object.fromEntries(Object.entries(LOOKUP_SQL).map(([k, v]) => [k, pgText(v)])) as typeof LOOKUP_SQL;
  const codes = new Set<string>();
  const names = new Set<string>();
  let byCode = new Map<string, OrgRow>();
  let byName = new Map<string, OrgRow[]>();
  let byId = new Map<string, OrgRow>();
  const named = async (name: string): Promise<OrgRow[]> => {
    if (names.has(name)) return byName.get(name) ?? [];
    const ids = (await pgRows<{ id: string }>(db, q.byName, [name])).map((r) => r.id);
    return (await Promise.all(ids.map(async (id) => (await pgRows<OrgRow>(db, q.byId, [id]))[0]))).filter(Boolean);
  };
  return {
    async prefetch(keys) {
      codes.clear();
      names.clear();
      byCode = new Map();
      byName = new Map();
      byId = new Map();
      for (const k of keys) {
        if (k.creditCode) codes.add(k.creditCode);
        if (k.name) names.add(k.name);
      }
      if (!codes.size && !names.size) return;
      const rows = await pgRows<OrgRow>(db, 'SELECT * FROM organizations WHERE credit_code = ANY($1::text[]) OR name = ANY($2::text[])', [[...codes], [...names]]);
      for (const r of rows) {
        byId.set(r.id, r);
        if (r.credit_code !== null && codes.has(r.credit_code)) byCode.set(r.credit_code, r);
        if (names.has(r.name)) {
          const list = byName.get(r.name);
          if (list) list.push(r);
          else byName.set(r.name, [r]);
        }
      }
    },
    async codeHolder(code) {
      const r = codes.has(code) ? byCode.get(code) : (await pgRows<{ id: string; name: string }>(db, q.codeHolder, [code]))[0];
      return r ? { id: r.id, name: r.name } : undefined;
    },
    idsByName: async (name) => (await named(name)).map((r) => r.id),
    idsByNameStreet: async (name, street) => (await named(name)).filter((r) => (r.street ?? '') === street).map((r) => r.id),
    byId: async (id) => byId.get(id) ?? (await pgRows<OrgRow>(db, q.byId, [id]))[0],
  };
}

export interface OrgWriter {
  insert(values: Record<string, unknown>): Maybe<void>;
  /**
   * Writes the row if its version is still `expectedVersion`; otherwise `conflict(row)` is thrown — at once on
   * SQLite, at the latest by `flush` on PostgreSQL (where the write may wait for its chunk).
   */
  update(values: Record<string, unknown>, id: string, expectedVersion: number, row: number): Maybe<void>;
  /** Sends what is pending (PostgreSQL); call before anything else reads or writes the rows given so far. */
  flush(): Maybe<void>;
}

/** Rows sent to PostgreSQL in one statement. */
const PG_CHUNK_ROWS = 1000;

/**
 * The importer's writes on the write transaction's connection (`trx`). SQLite: one prepared statement per row
 * (better-sqlite3, no round trip). PostgreSQL: rows wait in chunks of 1,000 and go as one statement per chunk —
 * `INSERT … SELECT … FROM jsonb_array_elements($1)` and `UPDATE … FROM` the same (the version check per row in its
 * WHERE, the rows written coming back by RETURNING) — so an import is a few dozen statements instead of one per
 * row. A chunk is one parameter, its rows as JSON arrays cast to the columns' types (50 columns × 1,000 rows as
 * separate `$n` parameters cost the client more to build and bind than the JSON). The column list is the first
 * row's (every row of an import has the same columns).
 */
export function orgWriter(trx: AnyDb, sqlite: SqliteHandle, conflict: (row: number) => Error): OrgWriter {
  return isPostgres(trx) ? pgWriter(trx, conflict) : sqliteWriter(sqlite, conflict);
}

function sqliteWriter(sqlite: SqliteHandle, conflict: (row: number) => Error): OrgWriter {
  let insert: Statement | undefined;
  let update: Statement | undefined;
  return {
    insert(values) {
      insert ??= sqlite.prepare(`INSERT INTO organizations (${Object.keys(values).join(', ')}) VALUES (${Object.keys(values).map((k) => `@${k}`).join(', ')})`);
      insert.run(values);
    },
    update(values, id, expectedVersion, row) {
      update ??= sqlite.prepare(`UPDATE organizations SET ${Object.keys(values).map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id AND version = @expectedVersion`);
      if (update.run({ ...values, id, expectedVersion }).changes !== 1) throw conflict(row);
    },
    flush: () => undefined,
  };
}

/**
 * A chunk's rows as JSON for PostgreSQL. JSON.stringify escapes a lone surrogate (`\ud800`), which PostgreSQL's
 * jsonb refuses; sent as a parameter it would have become U+FFFD (UTF-8 encoding), so it does here.
 */
function chunkJson(rows: readonly unknown[][]): string {
  const json = JSON.stringify(rows);
  if (!/\\ud[89a-f]/i.test(json)) return json;
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'string' ? (v as string & { toWellFormed(): string }).toWellFormed() : v));
}

function pgWriter(trx: AnyDb, conflict: (row: number) => Error): OrgWriter {
  let insertKeys: string[] | null = null;
  let updateKeys: string[] | null = null;
  let inserts: unknown[][] = [];
  let updates: { values: unknown[]; row: number }[] = [];
  /** The columns' types, for the casts out of the JSON (read once per import, only when there is something to write). */
  let types: Map<string, string> | null = null;
  const columnTypes = async () =>
    (types ??= new Map(
      (
        await pgRows<{ name: string; type: string }>(
          trx,
          "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'organizations'::regclass AND attnum > 0 AND NOT attisdropped",
          [],
        )
      ).map((r) => [r.name, r.type]),
    ));
  const cell = (j: number, type: string) => `(e.r->>${j})::${type}`;
  let insertText: string | null = null;
  let updateText: string | null = null;
  const flushInserts = async () => {
    if (!inserts.length) return;
    const rows = inserts;
    inserts = [];
    if (!insertText) {
      const t = await columnTypes();
      insertText = `INSERT INTO organizations (${insertKeys!.join(', ')}) SELECT ${insertKeys!.map((k, j) => cell(j, t.get(k)!)).join(', ')} FROM jsonb_array_elements($1::jsonb) AS e (r)`;
    }
    await pgRows(trx, insertText, [chunkJson(rows)]);
  };
  const flushUpdates = async () => {
    if (!updates.length) return;
    const rows = updates;
    updates = [];
    if (!updateText) {
      // each element: the new values (`version` among them), then the row's id and the version its plan read
      const t = await columnTypes();
      const n = updateKeys!.length;
      updateText =
        `UPDATE organizations AS o SET ${updateKeys!.map((k, j) => `${k} = ${cell(j, t.get(k)!)}`).join(', ')} ` +
        `FROM jsonb_array_elements($1::jsonb) AS e (r) WHERE o.id = e.r->>${n} AND o.version = ${cell(n + 1, 'integer')} RETURNING o.id`;
    }
    const written = new Set((await pgRows<{ id: string }>(trx, updateText, [chunkJson(rows.map((u) => u.values))])).map((r) => r.id));
    const stale = rows.find((u) => !written.has(u.values[updateKeys!.length] as string));
    if (stale) throw conflict(stale.row);
  };
  return {
    async insert(values) {
      insertKeys ??= Object.keys(values);
      inserts.push(insertKeys.map((k) => values[k]));
      if (inserts.length >= PG_CHUNK_ROWS) await flushInserts();
    },
    async update(values, id, expectedVersion, row) {
      updateKeys ??= Object.keys(values);
      const v = updateKeys.map((k) => values[k]);
      v.push(id, expectedVersion);
      updates.push({ values: v, row });
      if (updates.length >= PG_CHUNK_ROWS) await flushUpdates();
    },
    async flush() {
      await flushInserts();
      await flushUpdates();
    },
  };
}

/**
 * The export's rows in the view's order, in batches of raw value arrays (columns in `columns` order). The order is
 * taken once as a list of row keys (SQLite: rowids, one pass over the sort index; PostgreSQL: ids), then the rows
 * are read a batch at a time by key, so a batch is garbage as soon as it is written.
 */
export async function* exportRowBatches(
  db: Db,
  sqlite: SqliteHandle,
  /** The view's query selecting `key AS k`, ordered, with `key` last (a stable order). */
  ordered: (key: 'rowid' | 'id') => { compile(): { sql: string; parameters: readonly unknown[] } },
  columns: readonly string[],
  batch = 500,
): AsyncGenerator<unknown[][]> {
  const list = columns.map((c) => `o.${c}`).join(', ');
  if (isPostgres(db)) {
    const order = ordered('id').compile();
    const ids = (await pgRows<{ k: string }>(db, order.sql, [...order.parameters])).map((r) => r.k);
    const text = `SELECT ${list} FROM unnest($1::text[]) WITH ORDINALITY AS j(id, n) JOIN organizations AS o ON o.id = j.id ORDER BY j.n`;
    for (let at = 0; at < ids.length; at += batch) {
      const rows = await pgRows<Record<string, unknown>>(db, text, [ids.slice(at, at + batch)]);
      yield rows.map((r) => columns.map((c) => r[c]));
    }
    return;
  }
  const order = ordered('rowid').compile();
  const rids = sqlite.prepare(order.sql).pluck().all(...(order.parameters as unknown[])) as number[];
  const batchQ = sqlite.prepare(`SELECT ${list} FROM json_each(?) AS j JOIN organizations AS o ON o.rowid = j.value ORDER BY j.key`).raw();
  for (let at = 0; at < rids.length; at += batch) yield batchQ.all(JSON.stringify(rids.slice(at, at + batch))) as unknown[][];
}

