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

/** The importer's lookups of existing organizations (per row, through their indexes). */
export function orgLookups(db: AnyDb, sqlite: SqliteHandle): OrgLookups {
  if (isPostgres(db)) {
    const q = Object.fromEntries(Object.entries(LOOKUP_SQL).map(([k, v]) => [k, pgText(v)])) as typeof LOOKUP_SQL;
    return {
      codeHolder: async (code) => (await pgRows<{ id: string; name: string }>(db, q.codeHolder, [code]))[0],
      idsByName: async (name) => (await pgRows<{ id: string }>(db, q.byName, [name])).map((r) => r.id),
      idsByNameStreet: async (name, street) => (await pgRows<{ id: string }>(db, q.byNameStreet, [name, street])).map((r) => r.id),
      byId: async (id) => (await pgRows<OrgRow>(db, q.byId, [id]))[0],
    };
  }
  const codeHolder = sqlite.prepare(LOOKUP_SQL.codeHolder);
  const byName = sqlite.prepare(LOOKUP_SQL.byName).pluck();
  const byNameStreet = sqlite.prepare(LOOKUP_SQL.byNameStreet).pluck();
  const byId = sqlite.prepare(LOOKUP_SQL.byId);
  return {
    codeHolder: (code) => codeHolder.get(code) as { id: string; name: string } | undefined,
    idsByName: (name) => byName.all(name) as string[],
    idsByNameStreet: (name, street) => byNameStreet.all(name, street) as string[],
    byId: (id) => byId.get(id) as OrgRow | undefined,
  };
}

export interface OrgWriter {
  insert(values: Record<string, unknown>): Maybe<void>;
  /** The rows changed (0 when the version moved meanwhile). */
  update(values: Record<string, unknown>, id: string, expectedVersion: number): Maybe<number>;
}

/**
 * The importer's writes, one statement per row on the write transaction's connection (`trx`): prepared once on
 * SQLite, the same text with `$n` parameters on PostgreSQL. The column list is the first row's (every row of an
 * import has the same columns).
 */
export function orgWriter(trx: AnyDb, sqlite: SqliteHandle): OrgWriter {
  const pg = isPostgres(trx);
  let insert: Statement | string | undefined;
  let update: Statement | string | undefined;
  let insertKeys: string[] = [];
  let updateKeys: string[] = [];
  return {
    insert(values) {
      if (!insert) {
        insertKeys = Object.keys(values);
        insert = pg
          ? `INSERT INTO organizations (${insertKeys.join(', ')}) VALUES (${insertKeys.map((_, i) => `$${i + 1}`).join(', ')})`
          : sqlite.prepare(`INSERT INTO organizations (${insertKeys.join(', ')}) VALUES (${insertKeys.map((k) => `@${k}`).join(', ')})`);
      }
      if (typeof insert === 'string') return pgRows(trx, insert, insertKeys.map((k) => values[k])).then(() => undefined);
      insert.run(values);
    },
    update(values, id, expectedVersion) {
      if (!update) {
        updateKeys = Object.keys(values);
        const n = updateKeys.length;
        update = pg
          ? `UPDATE organizations SET ${updateKeys.map((k, i) => `${k} = $${i + 1}`).join(', ')} WHERE id = $${n + 1} AND version = $${n + 2}`
          : sqlite.prepare(`UPDATE organizations SET ${updateKeys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id AND version = @expectedVersion`);
      }
      if (typeof update === 'string') {
        return trx
          .executeQuery(CompiledQuery.raw(update, [...updateKeys.map((k) => values[k]), id, expectedVersion]))
          .then((r) => Number(r.numAffectedRows ?? 0));
      }
      return update.run({ ...values, id, expectedVersion }).changes;
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

