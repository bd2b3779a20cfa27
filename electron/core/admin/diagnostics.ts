import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ZipFile } from 'yazl';
import { APP_VERSION } from '../version';
import type { CallContext } from '../api/context';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { postgresMigrations } from '../db/migrations/postgres';
import { appliedPostgresMigrations } from '../db/postgres';

/** Keep the newest part of the log: enough for a support person, small enough to mail. */
const LOG_TAIL_BYTES = 2 * 1024 * 1024;

/**
 * Everything text-like that leaves the machine passes here: digit runs of 6+ (phones, ID numbers, bank accounts,
 * credit-code tails) become ＊, an ID number's X too, and the user's home folder (which carries the Windows user
 * name) becomes ~. Log lines keep only time, level, the message and the stack frames.
 */
export function redact(text: string): string {
  const home = homedir();
  let t = home.length > 3 ? text.split(home).join('~') : text;
  t = t.replace(/(?:[A-Za-z]:\\Users\\|\/home\/|\/Users\/)[^\\/\s"]+/g, (m) => m.replace(/[^\\/]+$/, '~'));
  t = t.replace(/\d{6,}[\dXx]?/g, (m) => '＊'.repeat(Math.min(m.length, 4)));
  return t;
}

/** One log line as it goes into the package: no inputs, no error message text beyond the redacted first line. */
function logLine(raw: string): string | null {
  try {
    const e = JSON.parse(raw) as { at?: string; level?: string; message?: string; error?: { message?: string; stack?: string } };
    const frames = (e.error?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 12);
    return JSON.stringify({ at: e.at, level: e.level, message: redact(String(e.message ?? '')).slice(0, 300), stack: frames.map(redact) });
  } catch {
    return null;
  }
}

async function zipToBuffer(files: { name: string; text: string }[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.text, 'utf8'), f.name, { mtime: new Date(0) });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  zip.end();
  return done;
}

/** What the package says about the database: the engine's version, its check, sizes and state. */
interface DatabaseFacts {
  /** The engine's version for versions.json (`sqlite` or `postgres`). */
  engine: { sqlite: string | null; postgres: string | null };
  /** Applied schema migrations. */
  schemaMigrations: number | null;
  /** database.json (the engine-specific part; the core's own state is added by the caller). */
  database: Record<string, unknown> & { ok: boolean };
}

/**
 * The one place where the package differs by engine. SQLite: `quick_check`, the file sizes, the pragmas and exact
 * row counts. PostgreSQL: the server's version and settings, the migration state, invalid indexes as the check,
 * and the tables' live-row counts and sizes from the statistics catalog (no scan of the tables). Neither holds a
 * connection string (credentials) or any record.
 */
async function databaseFacts(ctx: CallContext): Promise<DatabaseFacts> {
  const core = ctx.core;
  const db = ctx.db;
  if (core.engine === 'postgres') {
    const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0]?.v ?? null;
    const applied = await appliedPostgresMigrations(db);
    const known = Object.keys(postgresMigrations);
    const pending = known.filter((n) => !applied.includes(n));
    const unknown = applied.filter((n) => !known.includes(n));
    const invalid = (
      await sql<{ name: string }>`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready) ORDER BY 1`.execute(db)
    ).rows.map((r) => r.name);
    const problems = [
      ...invalid.map((name) => `索引 ${name} 无效(需要 REINDEX)`),
      ...(pending.length ? [`有 ${pending.length} 个数据库升级尚未执行`] : []),
      ...(unknown.length ? [`数据库含有本程序不认识的升级：${unknown.join('、')}`] : []),
    ];
    const tables = (
      await sql<{ name: string; rows: number; bytes: number }>`SELECT relname AS name, n_live_tup AS rows, pg_total_relation_size(relid) AS bytes
        FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname`.execute(db)
    ).rows;
    const SETTINGS = ['server_version', 'server_encoding', 'lc_collate', 'TimeZone', 'max_connections', 'shared_buffers', 'work_mem', 'default_transaction_isolation', 'synchronous_commit', 'fsync', 'full_page_writes', 'wal_level', 'data_checksums', 'archive_mode', 'autovacuum'];
    const settings = Object.fromEntries(
      (await sql<{ name: string; setting: string; unit: string | null }>`SELECT name, setting, unit FROM pg_settings WHERE name = ANY(${SETTINGS})`.execute(db)).rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
    );
    const size = (await sql<{ n: number }>`SELECT pg_database_size(current_database()) AS n`.execute(db)).rows[0]?.n ?? null;
    return {
      engine: { sqlite: null, postgres: version },
      schemaMigrations: applied.length,
      database: {
        engine: 'postgres',
        check: problems.length ? problems : ['ok'],
        ok: problems.length === 0,
        migrations: { applied: applied.length, expected: LATEST_SCHEMA_VERSION, latest: applied[applied.length - 1] ?? null, pending },
        databaseBytes: size,
        settings,
        // from the statistics catalog (pg_stat_user_tables.n_live_tup): an estimate kept by the server, no table scan
        rowCountsSource: 'pg_stat_user_tables.n_live_tup(估计值)',
        rowCounts: Object.fromEntries(tables.map((t) => [t.name, Number(t.rows)])),
        tableBytes: Object.fromEntries(tables.map((t) => [t.name, Number(t.bytes)])),
      },
    };
  }
  const check = (await sql<{ quick_check: string }>`PRAGMA quick_check(20)`.execute(db)).rows.map((r) => r.quick_check);
  const tables = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)).rows;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t.name)}`.execute(db);
    counts[t.name] = Number(r.rows[0]?.n ?? 0);
  }
  const pragma = async (name: string) => (await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] ?? null;
  const size = (p: string) => (existsSync(p) ? statSync(p).size : null);
  return {
    engine: { sqlite: (await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(db)).rows[0]?.v ?? null, postgres: null },
    schemaMigrations: counts.kysely_migration ?? null,
    database: {
      engine: 'sqlite',
      quickCheck: check,
      ok: check.length === 1 && check[0] === 'ok',
      files: { db: size(core.dbPath), wal: size(`${core.dbPath}-wal`) },
      pragmas: { journal_mode: await pragma('journal_mode'), page_size: await pragma('page_size'), page_count: await pragma('page_count'), freelist_count: await pragma('freelist_count'), user_version: await pragma('user_version') },
      rowCounts: counts,
    },
  };
}

/**
 * 系统管理 → 导出诊断包: versions, the database check, table sizes (counts only), the data folder's layout and the
 * redacted log — nothing of the records themselves (no names, phones, ID numbers, amounts). On either engine
 * ({@link databaseFacts}).
 */
export async function buildDiagnostics(ctx: CallContext): Promise<{ fileName: string; mimeType: string; base64: string }> {
  const core = ctx.core;
  const facts = await databaseFacts(ctx);
  const versions = {
    app: APP_VERSION,
    schemaMigrations: facts.schemaMigrations,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    ...facts.engine,
    platform: process.platform,
    arch: process.arch,
    osRelease: (await import('node:os')).release(),
    madeAt: ctx.now().toISOString(),
  };
  const database = {
    ...facts.database,
    recovery: core.recovery ? redact(core.recovery.reason) : null,
    readOnly: core.readOnly ? true : false,
  };
  const logFile = join(core.dataDir, 'logs', 'incubase.log');
  let log = '';
  if (existsSync(logFile)) {
    const buf = readFileSync(logFile);
    const tail = buf.subarray(Math.max(0, buf.length - LOG_TAIL_BYTES)).toString('utf8');
    log = tail.split('\n').map(logLine).filter((l): l is string => !!l).join('\n');
  }
  const readme = [
    '孵化基地管理系统 诊断包',
    '内容：程序与系统版本(versions.json)、数据库检查结果与各表行数(database.json)、运行日志(logs/incubase.log，已去除数字串与用户目录)。',
    '不含任何业务记录：没有姓名、电话、身份证号、金额。',
  ].join('\n');
  const bytes = await zipToBuffer([
    { name: '说明.txt', text: readme },
    { name: 'versions.json', text: JSON.stringify(versions, null, 2) },
    { name: 'database.json', text: JSON.stringify(database, null, 2) },
    { name: 'logs/incubase.log', text: log },
  ]);
  const stamp = ctx.now().toISOString().slice(0, 19).replace(/[-:T]/g, '');
  return { fileName: `诊断包-${stamp}.zip`, mimeType: 'application/zip', base64: bytes.toString('base64') };
}
