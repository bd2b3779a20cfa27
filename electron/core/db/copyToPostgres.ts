import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { SqliteHandle } from './connection';
import { migrations } from './migrations';
import { appliedPostgresMigrations, migratePostgresToLatest } from './postgres';

/**
 * Copies a hub's SQLite database into an empty PostgreSQL database, then checks the copy: the same rows in every
 * table, the kept balances equal to the sums of the journal (on PostgreSQL), and the audit log the same sequence
 * of entries (ids and a digest over every field). Used by `migrate-to-postgres` and to seed a PostgreSQL core.
 *
 * The rows are copied as they are, so the triggers that derive them (balances, training statistics) and the
 * triggers that refuse writes to posted or append-only records must not run on the copy: they are switched off for
 * this one transaction (`session_replication_role = replica` when the role may set it, else DISABLE TRIGGER USER
 * with the tables in foreign-key order). The whole copy is one transaction: it is complete or absent.
 */
export interface CopyReport {
  tables: { table: string; rows: number }[];
  totalRows: number;
  balances: { checked: number };
  audit: { entries: number; lastId: number; digest: string };
}

export class CopyRefused extends Error {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const SKIP = new Set(['kysely_migration', 'kysely_migration_lock']);
/** Tables the migrations fill (the default dictionaries): replaced by the source's rows, not counted as "not empty". */
const FILLED_BY_MIGRATIONS = new Set(['dictionary_entries']);

function sqliteTables(src: SqliteHandle): string[] {
  return (src.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !SKIP.has(n));
}

/** Tables ordered so every table comes after the tables it references (self-references aside). */
function foreignKeyOrder(src: SqliteHandle, tables: string[]): string[] {
  const deps = new Map(
    tables.map((t) => [
      t,
      new Set(
        (src.prepare(`SELECT "table" AS ref FROM pragma_foreign_key_list(?)`).all(t) as { ref: string }[]).map((r) => r.ref).filter((r) => r !== t),
      ),
    ]),
  );
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const d of deps.get(t) ?? []) if (deps.has(d)) visit(d);
    out.push(t);
  };
  tables.forEach(visit);
  return out;
}

/** The public tables of the target besides kysely's bookkeeping; non-empty ones make it "not empty". */
async function targetTables(db: AnyDb): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  return r.rows.map((x) => x.name).filter((n) => !SKIP.has(n));
}

/** Refuses a target that already holds tables with rows or a different schema history. */
export async function assertEmptyTarget(db: AnyDb): Promise<void> {
  const applied = await appliedPostgresMigrations(db);
  const names = Object.keys(migrations);
  if (applied.some((n, i) => names[i] !== n)) throw new CopyRefused('目标数据库的结构不是本程序建立的，拒绝写入');
  for (const t of await targetTables(db)) {
    if (FILLED_BY_MIGRATIONS.has(t)) continue;
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(db);
    if (r.rows[0].n > 0) throw new CopyRefused(`目标数据库不是空的(表 ${t} 已有 ${r.rows[0].n} 行)，拒绝写入：请指定一个新建的空数据库`);
  }
  if (applied.length === 0 && (await targetTables(db)).length > 0) throw new CopyRefused('目标数据库已有其他表，拒绝写入：请指定一个新建的空数据库');
}

function auditDigest(rows: Record<string, unknown>[]): string {
  const h = createHash('sha256');
  for (const r of rows)
    h.update(JSON.stringify([Number(r.id), r.at, r.user_id, r.username, r.action, r.entity, r.entity_id, r.summary, r.before_json, r.after_json]) + '\n');
  return h.digest('hex');
}

const AUDIT_COLUMNS = 'id, at, user_id, username, action, entity, entity_id, summary, before_json, after_json';

export async function copySqliteToPostgres(src: SqliteHandle, db: AnyDb, opts: { batchParams?: number } = {}): Promise<CopyReport> {
  const srcApplied = (src.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  if (srcApplied.join() !== Object.keys(migrations).join()) throw new CopyRefused('源数据库不是最新结构：请先用本程序打开(升级)后再迁移');
  await assertEmptyTarget(db);
  await migratePostgresToLatest(db);

  const tables = foreignKeyOrder(src, sqliteTables(src));
  const targets = new Set(await targetTables(db));
  const missing = tables.filter((t) => !targets.has(t));
  if (missing.length) throw new CopyRefused(`目标数据库缺少表：${missing.join('、')}`);
  const batchParams = opts.batchParams ?? 20_000;
  const report: CopyReport['tables'] = [];

  await db.connection().execute(async (conn) => {
    await sql`BEGIN`.execute(conn);
    try {
      let replica = true;
      try {
        await sql`SAVEPOINT role`.execute(conn);
        await sql`SET LOCAL session_replication_role = replica`.execute(conn);
        await sql`RELEASE SAVEPOINT role`.execute(conn);
      } catch {
        replica = false;
        await sql`ROLLBACK TO SAVEPOINT role`.execute(conn);
      }
      if (!replica) for (const t of tables) await sql`ALTER TABLE ${sql.table(t)} DISABLE TRIGGER USER`.execute(conn);

      for (const t of tables) if (FILLED_BY_MIGRATIONS.has(t)) await sql`DELETE FROM ${sql.table(t)}`.execute(conn);
      for (const table of tables) {
        const pgCols = new Set(
          (
            await sql<{ c: string }>`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(
              conn,
            )
          ).rows.map((r) => r.c),
        );
        const cols = (src.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
        const extra = cols.filter((c) => !pgCols.has(c));
        if (extra.length) throw new CopyRefused(`表 ${table} 的列 ${extra.join('、')} 在目标数据库中不存在`);
        const perBatch = Math.max(1, Math.floor(batchParams / cols.length));
        const colList = cols.map((c) => `"${c}"`).join(', ');
        let stmt;
        try {
          stmt = src.prepare(`SELECT ${colList} FROM "${table}" ORDER BY rowid`);
        } catch {
          stmt = src.prepare(`SELECT ${colList} FROM "${table}"`); // WITHOUT ROWID tables
        }
        stmt.raw(true);
        let batch: unknown[][] = [];
        let n = 0;
        const flush = async () => {
          if (!batch.length) return;
          const params: unknown[] = [];
          const tuples = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
          await conn.executeQuery(CompiledQuery.raw(`INSERT INTO "${table}" (${colList}) VALUES ${tuples.join(', ')}`, params));
          n += batch.length;
          batch = [];
        };
        for (const row of stmt.iterate() as Iterable<unknown[]>) {
          batch.push(row);
          if (batch.length >= perBatch) await flush();
        }
        await flush();
        report.push({ table, rows: n });
      }

      // Identity columns continue after the copied ids.
      for (const { table, column } of [
        { table: 'audit_log', column: 'id' },
        { table: 'custody_journal', column: 'id' },
      ]) {
        if (!targets.has(table)) continue;
        await sql
          .raw(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), coalesce((SELECT max(${column}) FROM ${table}), 0) + 1, false)`)
          .execute(conn);
      }
      if (!replica) for (const t of tables) await sql`ALTER TABLE ${sql.table(t)} ENABLE TRIGGER USER`.execute(conn);
      await sql`COMMIT`.execute(conn);
    } catch (e) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw e;
    }
  });

  // Fresh statistics for the planner: the tables were empty when the copy began (autovacuum would come later).
  await sql`ANALYZE`.execute(db);
  return { ...(await verifyCopy(src, db, report)), tables: report, totalRows: report.reduce((s, t) => s + t.rows, 0) };
}

/** Row counts, balances and the audit log of the copy, compared with the source. Throws on any difference. */
export async function verifyCopy(src: SqliteHandle, db: AnyDb, tables: { table: string; rows: number }[]): Promise<Pick<CopyReport, 'balances' | 'audit'>> {
  for (const { table } of tables) {
    const a = (src.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    const b = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0].n;
    if (a !== b) throw new Error(`复制校验失败：表 ${table} 源 ${a} 行，目标 ${b} 行`);
  }
  // Kept balances equal to the sums of the journal, on the copy, and equal to the source's. Each as one grouped
  // pass over the journal joined to the accounts (a sum per account, not a subquery per account: thousands of
  // accounts over a million lines must not depend on the planner's statistics of a table just filled).
  const balanceQueries = [
    `SELECT a.id AS k, a.ledger_balance_fen AS kept, coalesce(s.total, 0) AS summed FROM custody_bank_accounts a
       LEFT JOIN (SELECT bank_account_id, sum(amount_fen) AS total FROM custody_journal WHERE bank_account_id IS NOT NULL GROUP BY bank_account_id) s ON s.bank_account_id = a.id`,
    `SELECT a.org_id AS k, a.balance_fen AS kept, coalesce(s.total, 0) AS summed FROM custody_accounts a
       LEFT JOIN (SELECT org_id, -sum(amount_fen) AS total FROM custody_journal WHERE org_id IS NOT NULL AND substr(account_code, 1, 4) IN ('2601', '2209') GROUP BY org_id) s ON s.org_id = a.org_id`,
    `SELECT a.id AS k, a.spent_fen AS kept, coalesce(s.total, 0) AS summed FROM custody_budget_lines a
       LEFT JOIN (SELECT budget_line_id, sum(amount_fen) AS total FROM custody_journal WHERE budget_line_id IS NOT NULL GROUP BY budget_line_id) s ON s.budget_line_id = a.id`,
  ];
  let checked = 0;
  for (const q of balanceQueries) {
    const source = new Map((src.prepare(`${q} ORDER BY k`).all() as { k: string; kept: number }[]).map((r) => [r.k, Number(r.kept)]));
    const rows = (await sql.raw<{ k: string; kept: number; summed: number }>(`${q} ORDER BY k`).execute(db)).rows;
    for (const r of rows) {
      if (Number(r.kept) !== Number(r.summed)) throw new Error(`复制校验失败：余额 ${r.k} 记录为 ${r.kept} 分，分录合计 ${r.summed} 分`);
      if (source.get(r.k) !== Number(r.kept)) throw new Error(`复制校验失败：余额 ${r.k} 源 ${source.get(r.k)} 分，目标 ${r.kept} 分`);
      checked++;
    }
  }
  const srcAudit = src.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`).all() as Record<string, unknown>[];
  const dstAudit = (await sql.raw<Record<string, unknown>>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`).execute(db)).rows;
  const digest = auditDigest(srcAudit);
  if (srcAudit.length !== dstAudit.length || digest !== auditDigest(dstAudit)) throw new Error('复制校验失败：审计日志与源不一致');
  return { balances: { checked }, audit: { entries: srcAudit.length, lastId: Number(srcAudit.at(-1)?.id ?? 0), digest } };
}
