import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { SeededRandom } from '../../electron/core/seed/random';
import { readHub } from '../../electron/core/admin/hubService';
import { demoCreditCode, seedOrganizations } from '../../electron/core/organizations/seed';
import { ORG_COLUMNS } from '@shared/organizations/columns';
import { hubOnEngine } from './benchEngine';
import { peakRssDuring, type Bench } from './bench';

const ORGS = 50_000;
const IMPORT_ROWS = 30_000;

/**
 * A hub with 50,000 organizations and their incubation histories, activities, evaluations and reports, made by
 * the demo seeder (every class and stage), cached in the bench work folder.
 */
async function bigHub(b: Bench): Promise<string> {
  const dir = b.workDir('organizations-50k');
  const marker = join(dir, 'ready');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false });
  const have = (core.sqlite.prepare('SELECT count(*) n FROM organizations').get() as { n: number }).n;
  await core.write(async (trx) => {
    const hub = (await readHub(trx))!;
    await seedOrganizations({ trx, core, rng: new SeededRandom(50_000), scale: 1, now: core.now(), hub, users: {} }, { count: ORGS - have });
  });
  core.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  core.sqlite.exec('ANALYZE');
  await core.close();
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

const STREETS = ['玉林街道', '簇桥街道', '望江路街道', '晋阳街道', '红牌楼街道'];
const FIELDS = ['为民服务', '公益慈善', '邻里互助', '文体娱乐'];
const KINDS: [string, string | null, string][] = [
  ['依法登记', '社会服务机构', '2'],
  ['依法登记', '社会团体', '1'],
  ['街道(乡镇)备案', null, ''],
  ['社区(村)指导', null, ''],
  ['社区(村)指导', null, ''],
];

/** A 30,000-row 台账 workbook with the export's titles, written with exceljs's streaming writer. */
export async function importWorkbook(path: string, takenCodes: Set<string>): Promise<void> {
  const rng = new SeededRandom(30_000);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('台账');
  ws.addRow(['基准街道社区社会组织台账']).commit();
  const headers = ['组织名称', '统一社会信用代码', '管理类别', '登记类型', '街道(乡镇)', '社区(村)', '城市/农村', '活动领域', '服务对象', '负责人', '负责人电话', '成员人数', '志愿者人数', '成立日期', '已制定章程', '党组织形式', '固定活动时间', '固定活动地点'];
  for (const h of headers) if (!ORG_COLUMNS.some((c) => c.header === h)) throw new Error(`not an export title: ${h}`);
  ws.addRow(headers).commit();
  const dateForms = [(y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, (y: number, m: number, d: number) => `${y}/${m}/${d}`, (y: number, m: number, d: number) => `${y}年${m}月${d}日`, (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d))];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const [cls, kind, kindChar] = KINDS[i % KINDS.length];
    let code = '';
    if (kindChar) {
      do code = demoCreditCode(rng, kindChar);
      while (takenCodes.has(code));
      takenCodes.add(code);
    }
    const street = STREETS[i % STREETS.length];
    ws.addRow([
      `基准导入${i + 1}号邻里互助会`,
      code,
      cls,
      kind ?? '',
      street,
      `第${(i % 9) + 1}社区`,
      '城市',
      FIELDS[i % FIELDS.length],
      '老年人、儿童',
      `王${'丽芳敏静秀英'[i % 6]}`,
      `13${String(800_000_000 + i).padStart(9, '0')}`,
      12 + (i % 40),
      i % 15,
      dateForms[i % dateForms.length](2015 + (i % 10), 1 + (i % 12), 1 + (i % 28)),
      '是',
      '选派党建指导员',
      '每周三下午',
      '社区党群服务中心',
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}

/** The columns the export writes (every column of the 台账 sheet comes from one of these). */
const EXPORT_READ_COLUMNS = `name, short_name, credit_code, credit_code_confirmed, mgmt_class, registered_kind, region_code, street, community,
  area_type, field_code, people_served, leader_name, leader_phone, contact_name, contact_phone, member_count, volunteer_count, founded_date,
  charter_adopted, party_in_charter, party_org_form, party_instructor, mass_orgs, marks, fixed_activity_time, fixed_activity_place, remark,
  incubation_stage, incubation_date, incubation_mode, status, withdrawn_date, withdrawn_reason`;

const LIST_SQL = `SELECT id, name, short_name, credit_code, credit_code_confirmed, mgmt_class, registered_kind, street, community, area_type,
  field_code, leader_name, leader_phone, member_count, volunteer_count, founded_date, party_org_form, marks, incubation_stage,
  incubation_date, admitted_date, agreement_end, status, activity_count, last_activity_date, latest_grade, updated_at FROM organizations`;

/** Import of a 30,000-row workbook into a copy of the 50,000-organization hub: all rows new, one transaction. */
async function importFigures(b: Bench, dir: string): Promise<void> {
  const hub = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false });
  const takenCodes = new Set((hub.sqlite.prepare('SELECT credit_code FROM organizations WHERE credit_code IS NOT NULL').all() as { credit_code: string }[]).map((r) => r.credit_code));
  await hub.close();
  const work = b.workDir('organizations-import');
  rmSync(work, { recursive: true, force: true });
  cpSync(dir, join(work, 'hub'), { recursive: true });
  const xlsx = join(work, '台账-30000.xlsx');
  await importWorkbook(xlsx, takenCodes);
  const copy = await Core.open({ dataDir: join(work, 'hub'), seed: 'demo', demoScale: 0, autoBackup: false });
  const staff = (await copy.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).sessionToken!;
  const file = { name: '台账-30000.xlsx', base64: readFileSync(xlsx).toString('base64') };
  const before = process.memoryUsage().rss / 1024 / 1024;
  b.report({ name: 'organizations.rss_before_import', value: before, unit: 'MB' });
  let created = 0;
  const cpu0 = process.cpuUsage();
  const { result: importMs, peakMb } = await peakRssDuring(() =>
    b.time(async () => {
      const r = await copy.invoke('organizations.import.commit', { file, mode: 'all' }, staff);
      if (!r.ok) throw new Error(`import: ${r.error!.message}`);
      created = (r.data as { counts: { create: number } }).counts.create;
    }),
  );
  if (created !== IMPORT_ROWS) throw new Error(`import created ${created} of ${IMPORT_ROWS}`);
  const cpu = process.cpuUsage(cpu0);
  // Raw baseline: the same 30,000 stored rows written again with plain better-sqlite3 (one prepared INSERT, all
  // columns, positional) into the same table with the same indexes, after deleting them in the same transaction,
  // which is rolled back. The floor of the writing alone: no file reading, parsing, validation, pinyin, audit or commit.
  const imported = copy.sqlite.prepare(`SELECT * FROM organizations WHERE name LIKE '基准导入%'`).raw().all() as unknown[][];
  if (imported.length !== IMPORT_ROWS) throw new Error(`found ${imported.length} imported rows`);
  const cols = copy.sqlite.prepare(`SELECT * FROM organizations LIMIT 1`).columns().map((c) => c.name);
  const rawInsert = copy.sqlite.prepare(`INSERT INTO organizations (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  copy.sqlite.exec('BEGIN IMMEDIATE');
  let rawMs = 0;
  try {
    copy.sqlite.prepare(`DELETE FROM organizations WHERE name LIKE '基准导入%'`).run();
    rawMs = await b.time(() => {
      for (const r of imported) rawInsert.run(r);
    });
  } finally {
    copy.sqlite.exec('ROLLBACK');
  }
  b.report({ name: 'organizations.import_30k_xlsx_into_50k', value: importMs, unit: 'ms', baseline: rawMs, target: '< 10000 ms' });
  b.report({ name: 'organizations.import_30k_xlsx_into_50k_cpu', value: (cpu.user + cpu.system) / 1000, unit: 'ms' });
  b.report({ name: 'organizations.import_30k_peak_rss', value: peakMb, unit: 'MB', target: '< 500 MB' });
  b.report({ name: 'organizations.import_30k_rss_growth', value: peakMb - before, unit: 'MB' });
  const after = (copy.sqlite.prepare('SELECT count(*) n FROM organizations').get() as { n: number }).n;
  b.report({ name: 'organizations.rows_after_import', value: after, unit: 'organizations' });
  await copy.close();
  rmSync(work, { recursive: true, force: true });
}

/** On both engines (`npm run bench -- --database pg organizations`): the PostgreSQL pass is {@link organizationsOnPostgres}. */
export const engines = ['sqlite', 'postgres'];

export default async function organizationsBench(b: Bench): Promise<void> {
  if (b.engine === 'postgres') return organizationsOnPostgres(b);
  const dir = await bigHub(b);
  // the import first, so its memory figure is not inflated by the export's garbage
  await importFigures(b, dir);
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false });
  const db = core.sqlite;
  const token = (await core.invoke('auth.login', { username: 'zhaoqiang', password: DEMO_PASSWORD })).sessionToken!;
  const invoke = async <T>(name: string, input: unknown, as = token): Promise<T> => {
    const r = await core.invoke(name, input, as);
    if (!r.ok) throw new Error(`${name}: ${r.error!.message}`);
    return r.data as T;
  };
  const orgs = (db.prepare('SELECT count(*) n FROM organizations').get() as { n: number }).n;
  const acts = (db.prepare('SELECT count(*) n FROM org_activities').get() as { n: number }).n;
  b.report({ name: 'organizations.rows', value: orgs, unit: 'organizations' });
  b.report({ name: 'organizations.activity_rows', value: acts, unit: 'activities' });

  const count = (where: string) => db.prepare(`SELECT count(*) n FROM organizations ${where}`);
  const page = (where: string, order = 'updated_at DESC, id DESC') => db.prepare(`${LIST_SQL} ${where} ORDER BY ${order} LIMIT 100`);

  // First page of the list as the grid asks for it (block of 100 with the total), default order.
  type ListOut = { rows: { name: string }[]; total: number };
  const first = await b.timeMedian(20, () => invoke<ListOut>('organizations.list', { startRow: 0, endRow: 100, withCount: true }));
  const firstRawPage = page('');
  const firstRawCount = count('');
  const firstRaw = await b.timeMedian(20, () => [firstRawPage.all(), firstRawCount.get()]);
  b.report({ name: 'organizations.list_first_page_50k', value: first, unit: 'ms', baseline: firstRaw, target: '< 100 ms' });

  // First page sorted by name (pinyin order).
  const byName = await b.timeMedian(20, () => invoke<ListOut>('organizations.list', { startRow: 0, endRow: 100, withCount: true, sortModel: [{ colId: 'name', sort: 'asc' }] }));
  const byNameRawPage = page('', 'name_pinyin ASC, id ASC');
  const byNameRaw = await b.timeMedian(20, () => [byNameRawPage.all(), firstRawCount.get()]);
  b.report({ name: 'organizations.list_sorted_by_name_50k', value: byName, unit: 'ms', baseline: byNameRaw });

  // A two-column filter from the grid: street equals + management class.
  const filterInput = {
    startRow: 0,
    endRow: 100,
    withCount: true,
    filterModel: { street: { filterType: 'text', type: 'equals', filter: '簇桥街道' }, mgmtClass: { filterType: 'enum', values: ['filed'] } },
  };
  let filtered = 0;
  const filter = await b.timeMedian(20, async () => {
    filtered = (await invoke<ListOut>('organizations.list', filterInput)).total;
  });
  const filterWhere = `WHERE street = ? AND mgmt_class IN (?)`;
  const filterRawPage = page(filterWhere);
  const filterRawCount = count(filterWhere);
  let filteredRaw = 0;
  const filterRaw = await b.timeMedian(20, () => {
    filterRawPage.all('簇桥街道', 'filed');
    filteredRaw = (filterRawCount.get('簇桥街道', 'filed') as { n: number }).n;
  });
  if (filtered !== filteredRaw) throw new Error(`filter: ${filtered} rows through the API, ${filteredRaw} in raw SQL`);
  b.report({ name: `organizations.list_two_column_filter_50k(${filtered}_rows)`, value: filter, unit: 'ms', baseline: filterRaw, target: '< 100 ms' });

  // The search box: pinyin initials (llsw finds 邻里守望…), a phone tail, a name fragment.
  for (const term of ['llsw', '5678', '书画']) {
    let hits = 0;
    const search = await b.timeMedian(20, async () => {
      hits = (await invoke<ListOut>('organizations.list', { startRow: 0, endRow: 100, withCount: true, search: term })).total;
    });
    // the baseline is the better of the two raw forms for these rows: testing rows in list order, or finding the
    // matches in the search index first
    const where = `WHERE search_text LIKE ? ESCAPE '\\'`;
    const rawPlain = page(where);
    const rawViaIndex = page(`WHERE rowid IN (SELECT rowid FROM organizations ${where})`);
    const rawCount = count(where);
    let rawHits = 0;
    const raw = (stmt: typeof rawPlain) => () => {
      rawHits = (rawCount.get(`%${term}%`) as { n: number }).n;
      stmt.all(`%${term}%`);
    };
    const searchRaw = Math.min(await b.timeMedian(20, raw(rawPlain)), await b.timeMedian(20, raw(rawViaIndex)));
    if (hits !== rawHits) throw new Error(`search ${term}: ${hits} through the API, ${rawHits} in raw SQL`);
    b.report({ name: `organizations.search_${term}_50k(${hits}_hits)`, value: search, unit: 'ms', baseline: searchRaw, target: '< 50 ms' });
  }

  // Grouping counts by street (the grid's group bar).
  const groups = await b.timeMedian(10, () => invoke('organizations.groupCounts', { by: 'street' }));
  const groupsRaw = await b.timeMedian(10, () => db.prepare('SELECT street, count(*) FROM organizations GROUP BY street ORDER BY count(*) DESC').all());
  b.report({ name: 'organizations.group_counts_by_street_50k', value: groups, unit: 'ms', baseline: groupsRaw });

  // Export of all 50,000 to .xlsx. Raw baseline: reading the same rows (the exported columns, in the export's
  // order) with plain better-sqlite3 — the floor under formatting, writing and zipping the workbook.
  const rawExportRead = db.prepare(`SELECT ${EXPORT_READ_COLUMNS} FROM organizations ORDER BY name_pinyin, rowid`).raw();
  const exportRaw = await b.time(() => rawExportRead.all());
  let exported = 0;
  const exportCpu0 = process.cpuUsage();
  const exportMs = await b.time(async () => {
    exported = (await invoke<{ rowCount: number }>('organizations.export', {})).rowCount;
  });
  const exportCpu = process.cpuUsage(exportCpu0);
  if (exported !== orgs) throw new Error(`export wrote ${exported} of ${orgs}`);
  b.report({ name: 'organizations.export_50k_xlsx', value: exportMs, unit: 'ms', baseline: exportRaw, target: '< 5000 ms' });
  b.report({ name: 'organizations.export_50k_xlsx_cpu', value: (exportCpu.user + exportCpu.system) / 1000, unit: 'ms' });
  await core.close();

}

/**
 * The 50,000-organization hub in a PostgreSQL database of the run: the SQLite bench hub (built or reused by
 * {@link bigHub}) copied over by the `migrate-to-postgres` copier and ANALYZEd (benchEngine.ts hubOnEngine).
 */
async function bigHubOnPostgres(b: Bench, name: string): Promise<{ url: string; dir: string }> {
  const engine = b.engine;
  b.engine = 'sqlite'; // the SQLite hub's cached folder
  let sqliteDir: string;
  try {
    sqliteDir = await bigHub(b);
  } finally {
    b.engine = engine;
  }
  const hub = await hubOnEngine(b, name, sqliteDir);
  return { url: hub.database!, dir: hub.dataDir };
}

/** `?` → `$1, $2…` for the raw pg statements (the same SQL texts as the SQLite pass). */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/**
 * The organization figures on PostgreSQL (`organizations.pg.*`): the same calls on the same 50,000 organizations,
 * each beside plain `pg` running the same SQL (the list page and its count, the search, the grouping, the export's
 * read, the import's rows written again) on the same server.
 */
async function organizationsOnPostgres(b: Bench): Promise<void> {
  // The import: 30,000 new rows into a copy of the hub (its own database), one transaction.
  {
    const { url, dir } = await bigHubOnPostgres(b, 'organizations_import');
    const copy = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false, database: url });
    const raw = await b.rawPg(url);
    try {
      const takenCodes = new Set((await raw.query<{ credit_code: string }>('SELECT credit_code FROM organizations WHERE credit_code IS NOT NULL')).rows.map((r) => r.credit_code));
      const work = b.workDir('organizations-import');
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      const xlsx = join(work, '台账-30000.xlsx');
      await importWorkbook(xlsx, takenCodes);
      const staff = (await copy.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).sessionToken!;
      const file = { name: '台账-30000.xlsx', base64: readFileSync(xlsx).toString('base64') };
      let created = 0;
      const cpu0 = process.cpuUsage();
      const { result: importMs, peakMb } = await peakRssDuring(() =>
        b.time(async () => {
          const r = await copy.invoke('organizations.import.commit', { file, mode: 'all' }, staff);
          if (!r.ok) throw new Error(`import: ${r.error!.message}`);
          created = (r.data as { counts: { create: number } }).counts.create;
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      if (created !== IMPORT_ROWS) throw new Error(`import created ${created} of ${IMPORT_ROWS}`);
      // Raw: the same 30,000 stored rows written again by plain pg — multi-row INSERTs of 500 rows (the best plain
      // way short of COPY), all columns, into the same table with the same indexes, after deleting them in the
      // same transaction, which is rolled back.
      const imported = await raw.query({ text: `SELECT * FROM organizations WHERE name LIKE '基准导入%'`, rowMode: 'array' });
      if (imported.rows.length !== IMPORT_ROWS) throw new Error(`found ${imported.rows.length} imported rows`);
      const cols = imported.fields.map((f) => f.name);
      const BATCH = 500;
      const insertText = (n: number) =>
        `INSERT INTO organizations (${cols.join(', ')}) VALUES ${Array.from({ length: n }, (_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`).join(', ')}`;
      await raw.query('BEGIN');
      let rawMs = 0;
      try {
        await raw.query(`DELETE FROM organizations WHERE name LIKE '基准导入%'`);
        rawMs = await b.time(async () => {
          for (let i = 0; i < imported.rows.length; i += BATCH) {
            const rows = imported.rows.slice(i, i + BATCH) as unknown[][];
            await raw.query(insertText(rows.length), rows.flat());
          }
        });
      } finally {
        await raw.query('ROLLBACK');
      }
      b.report({ name: 'organizations.pg.import_30k_xlsx_into_50k', value: importMs, unit: 'ms', baseline: rawMs, target: '< 10000 ms' });
      b.report({ name: 'organizations.pg.import_30k_xlsx_into_50k_cpu', value: (cpu.user + cpu.system) / 1000, unit: 'ms' });
      b.report({ name: 'organizations.pg.import_30k_peak_rss', value: peakMb, unit: 'MB', target: '< 500 MB' });
      rmSync(work, { recursive: true, force: true });
    } finally {
      await raw.end();
      await copy.close();
    }
  }

  const { url, dir } = await bigHubOnPostgres(b, 'organizations');
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false, database: url });
  const raw = await b.rawPg(url);
  try {
    const token = (await core.invoke('auth.login', { username: 'zhaoqiang', password: DEMO_PASSWORD })).sessionToken!;
    const invoke = async <T>(name: string, input: unknown): Promise<T> => {
      const r = await core.invoke(name, input, token);
      if (!r.ok) throw new Error(`${name}: ${r.error!.message}`);
      return r.data as T;
    };
    const q = async (text: string, ...params: unknown[]) => (await raw.query(numbered(text), params)).rows;
    const orgs = Number((await q('SELECT count(*) n FROM organizations'))[0].n);
    b.report({ name: 'organizations.pg.rows', value: orgs, unit: 'organizations' });
    const count = (where: string, ...p: unknown[]) => q(`SELECT count(*) n FROM organizations ${where}`, ...p);
    const page = (where: string, order: string, ...p: unknown[]) => q(`${LIST_SQL} ${where} ORDER BY ${order} LIMIT 100`, ...p);
    type ListOut = { rows: { name: string }[]; total: number };

    const first = await b.timeMedian(20, () => invoke<ListOut>('organizations.list', { startRow: 0, endRow: 100, withCount: true }));
    const firstRaw = await b.timeMedian(20, async () => [await page('', 'updated_at DESC, id DESC'), await count('')]);
    b.report({ name: 'organizations.pg.list_first_page_50k', value: first, unit: 'ms', baseline: firstRaw, target: '< 100 ms' });

    const byName = await b.timeMedian(20, () => invoke<ListOut>('organizations.list', { startRow: 0, endRow: 100, withCount: true, sortModel: [{ colId: 'name', sort: 'asc' }] }));
    const byNameRaw = await b.timeMedian(20, async () => [await page('', 'name_pinyin ASC, id ASC'), await count('')]);
    b.report({ name: 'organizations.pg.list_sorted_by_name_50k', value: byName, unit: 'ms', baseline: byNameRaw });

    const filterInput = {
      startRow: 0,
      endRow: 100,
      withCount: true,
      filterModel: { street: { filterType: 'text', type: 'equals', filter: '簇桥街道' }, mgmtClass: { filterType: 'enum', values: ['filed'] } },
    };
    let filtered = 0;
    const filter = await b.timeMedian(20, async () => {
      filtered = (await invoke<ListOut>('organizations.list', filterInput)).total;
    });
    let filteredRaw = 0;
    const filterRaw = await b.timeMedian(20, async () => {
      await page('WHERE street = ? AND mgmt_class IN (?)', 'updated_at DESC, id DESC', '簇桥街道', 'filed');
      filteredRaw = Number((await count('WHERE street = ? AND mgmt_class IN (?)', '簇桥街道', 'filed'))[0].n);
    });
    if (filtered !== filteredRaw) throw new Error(`filter: ${filtered} rows through the API, ${filteredRaw} in raw SQL`);
    b.report({ name: `organizations.pg.list_two_column_filter_50k(${filtered}_rows)`, value: filter, unit: 'ms', baseline: filterRaw, target: '< 100 ms' });

    for (const term of ['llsw', '5678', '书画']) {
      let hits = 0;
      const search = await b.timeMedian(20, async () => {
        hits = (await invoke<ListOut>('organizations.list', { startRow: 0, endRow: 100, withCount: true, search: term })).total;
      });
      let rawHits = 0;
      const searchRaw = await b.timeMedian(20, async () => {
        rawHits = Number((await count(`WHERE search_text LIKE ?`, `%${term}%`))[0].n);
        await page(`WHERE search_text LIKE ?`, 'updated_at DESC, id DESC', `%${term}%`);
      });
      if (hits !== rawHits) throw new Error(`search ${term}: ${hits} through the API, ${rawHits} in raw SQL`);
      b.report({ name: `organizations.pg.search_${term}_50k(${hits}_hits)`, value: search, unit: 'ms', baseline: searchRaw, target: '< 50 ms' });
    }

    const groups = await b.timeMedian(10, () => invoke('organizations.groupCounts', { by: 'street' }));
    const groupsRaw = await b.timeMedian(10, () => q('SELECT street, count(*) FROM organizations GROUP BY street ORDER BY count(*) DESC'));
    b.report({ name: 'organizations.pg.group_counts_by_street_50k', value: groups, unit: 'ms', baseline: groupsRaw });

    const exportRaw = await b.time(() => raw.query({ text: `SELECT ${EXPORT_READ_COLUMNS} FROM organizations ORDER BY name_pinyin, id`, rowMode: 'array' }));
    let exported = 0;
    const exportCpu0 = process.cpuUsage();
    const exportMs = await b.time(async () => {
      exported = (await invoke<{ rowCount: number }>('organizations.export', {})).rowCount;
    });
    const exportCpu = process.cpuUsage(exportCpu0);
    if (exported !== orgs) throw new Error(`export wrote ${exported} of ${orgs}`);
    b.report({ name: 'organizations.pg.export_50k_xlsx', value: exportMs, unit: 'ms', baseline: exportRaw, target: '< 5000 ms' });
    b.report({ name: 'organizations.pg.export_50k_xlsx_cpu', value: (exportCpu.user + exportCpu.system) / 1000, unit: 'ms' });
  } finally {
    await raw.end();
    await core.close();
  }
}
