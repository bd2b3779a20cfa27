/**
 * `npm run bench -- importing`: a 30,000-row 台账 as an Excel 97-2003 .xls (BIFF8 written with SheetJS, as the CCB
 * portal and many offices produce it) imported through the app's import (the engine: intake layer, column and
 * label mapping, every row check, prepared inserts in one transaction, audit), CPU time and peak RSS, beside a raw
 * baseline: the same bytes parsed with SheetJS directly and inserted with one plain prepared statement in one
 * transaction, with the checks plain code can do (name present and not too long, duplicate names, code format).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as XLSX from '@e965/xlsx';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { peakRssDuring, type Bench } from './bench';

const ROWS = 30_000;
const HEAD = ['组织名称', '管理类别', '街道(乡镇)', '社区(村)', '活动领域', '服务对象', '负责人', '负责人电话', '成员人数', '成立日期', '备注'];
const STREETS = ['玉林街道', '簇桥街道', '桂溪街道', '浆洗街街道', '火车南站街道'];
const FIELDS = ['为民服务', '公益慈善', '邻里互助', '文体娱乐'];
const PEOPLE = ['老年人', '儿童', '妇女', '残疾人'];

function ledgerXls(): Buffer {
  const rows: unknown[][] = [['武侯区社区社会组织台账(基准)'], HEAD];
  for (let i = 0; i < ROWS; i++) {
    rows.push([
      `基准导入组织${String(i).padStart(5, '0')}`,
      i % 3 === 0 ? '街道(乡镇)备案' : '社区(村)指导',
      STREETS[i % STREETS.length],
      `第${(i % 40) + 1}社区`,
      FIELDS[i % FIELDS.length],
      `${PEOPLE[i % 4]}、${PEOPLE[(i + 1) % 4]}`,
      `负责人${i % 997}`,
      `139${String(10_000_000 + i).slice(-8)}`,
      10 + (i % 90),
      `20${String(10 + (i % 15)).padStart(2, '0')}/${(i % 12) + 1}/${(i % 28) + 1}`,
      i % 5 === 0 ? '固定每周三下午活动' : null,
    ]);
  }
  rows.push(['填表人:张丽', null, null, '审核人:李明']);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '台账');
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

// The file is written by a child process: SheetJS's BIFF8 writer takes over a gigabyte for 30,000 rows, which would
// stay in this process's RSS and hide the import's own peak.
if (process.env.INCUBASE_IMPORTING_BENCH_WRITE) {
  writeFileSync(process.env.INCUBASE_IMPORTING_BENCH_WRITE, ledgerXls());
  process.exit(0);
}

/** Runs on both engines (`npm run bench -- importing --database pg`): the app's import beside the raw baseline on the same engine. */
export const engines = ['sqlite', 'postgres'];

export default async function importingBench(b: Bench): Promise<void> {
  const work = b.workDir('importing');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const path = join(work, '台账-30000.xls');
  const w = spawnSync(process.execPath, [join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), __filename], { env: { ...process.env, INCUBASE_IMPORTING_BENCH_WRITE: path }, stdio: 'inherit' });
  if (w.status !== 0) throw new Error('writing the .xls failed');
  const xls = readFileSync(path);
  b.report({ name: 'importing.ledger_30k_xls_size', value: xls.byteLength / 1024 / 1024, unit: 'MB' });

  // the app: the import call as the screen and the CLI make it
  const database = await b.database('importing');
  const core = await Core.open({ dataDir: join(work, 'hub'), database, seed: 'demo', demoScale: 0, autoBackup: false });
  const staff = (await core.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).sessionToken!;
  const file = { name: '台账-30000.xls', base64: xls.toString('base64') };
  const cpu0 = process.cpuUsage();
  let created = 0;
  const { result: ms, peakMb } = await peakRssDuring(() =>
    b.time(async () => {
      const r = await core.invoke('organizations.import.commit', { file, mode: 'all' }, staff);
      if (!r.ok) throw new Error(`import: ${r.error!.message}`);
      created = (r.data as { counts: { create: number } }).counts.create;
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  if (created !== ROWS) throw new Error(`import created ${created} of ${ROWS}`);
  const appCpu = (cpu.user + cpu.system) / 1000;

  // raw baseline: SheetJS straight into one prepared INSERT, same file, same table (rolled back); on PostgreSQL
  // plain `pg` on its own connection, the rows sent 1,000 to a multi-row INSERT (the plain fast way there)
  const cols = ['id', 'name', 'name_pinyin', 'mgmt_class', 'street', 'community', 'field_code', 'people_served', 'leader_name', 'leader_phone', 'member_count', 'founded_date', 'remark', 'search_text', 'created_at', 'updated_at'];
  const raw = await rawEngine(b, core, database);
  const fieldCode = new Map((await raw.all<{ code: string; label: string }>("SELECT code, label FROM dictionary_entries WHERE kind = 'org_field'")).map((e) => [e.label, e.code]));
  const peopleCode = new Map((await raw.all<{ code: string; label: string }>("SELECT code, label FROM dictionary_entries WHERE kind = 'people_served'")).map((e) => [e.label, e.code]));
  const rawCpu0 = process.cpuUsage();
  let rawRows = 0;
  const { result: rawMs } = await peakRssDuring(() =>
    b.time(async () => {
      const wb = XLSX.read(xls, { type: 'buffer', dense: true });
      const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: true, defval: null });
      const insert = raw.inserter('organizations', cols);
      const now = new Date().toISOString();
      const seen = new Set<string>();
      await raw.begin();
      try {
        await raw.run("DELETE FROM organizations WHERE name LIKE '基准导入%'");
        for (const r of aoa.slice(2)) {
          const name = typeof r[0] === 'string' ? r[0].trim() : '';
          if (!name || name.length > 100 || seen.has(name) || !r[1]) continue;
          seen.add(name);
          const phone = String(r[7] ?? '');
          if (phone && !/^1\d{10}$/.test(phone)) continue;
          const people = String(r[5] ?? '').split('、').map((p) => peopleCode.get(p)).filter(Boolean);
          await insert.add([randomUUID(), name, name, r[1] === '街道(乡镇)备案' ? 'filed' : 'guided', r[2], r[3], fieldCode.get(String(r[4])) ?? null, JSON.stringify(people), r[6], phone || null, r[8], String(r[9] ?? ''), r[10], name.toLowerCase(), now, now]);
          rawRows++;
        }
        await insert.flush();
      } finally {
        await raw.rollback();
      }
    }),
  );
  const rawCpuU = process.cpuUsage(rawCpu0);
  const rawCpu = (rawCpuU.user + rawCpuU.system) / 1000;
  if (rawRows !== ROWS) throw new Error(`baseline inserted ${rawRows} of ${ROWS}`);
  b.report({ name: 'importing.ledger_30k_xls', value: ms, unit: 'ms', baseline: rawMs, target: 'within 3× of the raw baseline' });
  b.report({ name: 'importing.ledger_30k_xls_cpu', value: appCpu, unit: 'ms', baseline: rawCpu, target: 'within 3× of the raw baseline' });
  b.report({ name: 'importing.ledger_30k_xls_peak_rss', value: peakMb, unit: 'MB', target: '< 500 MB' });
  await raw.close();
  await core.close();
  rmSync(work, { recursive: true, force: true });
}

/**
 * The raw baseline's database access on the bench's engine: better-sqlite3 on the core's own handle (SQLite), or a
 * plain `pg` client of its own on the same database (PostgreSQL). Inserts: one prepared statement per row on
 * SQLite; multi-row INSERTs of 1,000 rows on PostgreSQL (a round trip per row is not the plain fast way there).
 */
async function rawEngine(b: Bench, core: Core, database: string | undefined) {
  if (!database) {
    const db = core.sqlite;
    return {
      all: async <R>(text: string) => db.prepare(text).all() as R[],
      run: async (text: string) => void db.prepare(text).run(),
      begin: async () => void db.exec('BEGIN IMMEDIATE'),
      rollback: async () => void db.exec('ROLLBACK'),
      inserter(table: string, cols: string[]) {
        const stmt = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        return { add: async (values: unknown[]) => void stmt.run(values), flush: async () => undefined };
      },
      close: async () => undefined,
    };
  }
  const client = await b.rawPg(database);
  return {
    all: async <R>(text: string) => (await client.query(text)).rows as R[],
    run: async (text: string) => void (await client.query(text)),
    begin: async () => void (await client.query('BEGIN')),
    rollback: async () => void (await client.query('ROLLBACK')),
    inserter(table: string, cols: string[]) {
      let pending: unknown[][] = [];
      const flush = async () => {
        if (!pending.length) return;
        const rows = pending;
        pending = [];
        const values = rows.map((_, i) => `(${cols.map((__, j) => `$${i * cols.length + j + 1}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values}`, rows.flat());
      };
      return {
        add: async (row: unknown[]) => {
          pending.push(row);
          if (pending.length >= 1000) await flush();
        },
        flush,
      };
    },
    close: () => client.end(),
  };
}
