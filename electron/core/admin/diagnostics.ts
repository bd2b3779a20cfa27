import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ZipFile } from 'yazl';
import { APP_VERSION } from '../version';
import type { CallContext } from '../api/context';

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

/**
 * 系统管理 → 导出诊断包: versions, the database check, table sizes (counts only), the data folder's layout and the
 * redacted log — nothing of the records themselves (no names, phones, ID numbers, amounts).
 */
export async function buildDiagnostics(ctx: CallContext): Promise<{ fileName: string; mimeType: string; base64: string }> {
  const core = ctx.core;
  const db = ctx.db;
  const check = (await sql<{ quick_check: string }>`PRAGMA quick_check(20)`.execute(db)).rows.map((r) => r.quick_check);
  const tables = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)).rows;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t.name)}`.execute(db);
    counts[t.name] = Number(r.rows[0]?.n ?? 0);
  }
  const pragma = async (name: string) => (await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] ?? null;
  const size = (p: string) => (existsSync(p) ? statSync(p).size : null);
  const versions = {
    app: APP_VERSION,
    schemaMigrations: counts.kysely_migration ?? null,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    sqlite: (await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(db)).rows[0]?.v ?? null,
    platform: process.platform,
    arch: process.arch,
    osRelease: (await import('node:os')).release(),
    madeAt: ctx.now().toISOString(),
  };
  const database = {
    quickCheck: check,
    ok: check.length === 1 && check[0] === 'ok',
    recovery: core.recovery ? redact(core.recovery.reason) : null,
    readOnly: (core as unknown as { readOnly?: { reason: string } | null }).readOnly ? true : false,
    files: { db: size(core.dbPath), wal: size(`${core.dbPath}-wal`) },
    pragmas: { journal_mode: await pragma('journal_mode'), page_size: await pragma('page_size'), page_count: await pragma('page_count'), freelist_count: await pragma('freelist_count'), user_version: await pragma('user_version') },
    rowCounts: counts,
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
