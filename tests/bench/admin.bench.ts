import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Core } from '../../electron/core/core';
import { startHost } from '../../electron/host/server';
import { openCoreInBackground } from '../../electron/host/startup';
import { openSqlite, quickCheck } from '../../electron/core/db/connection';
import { pgDump } from '../../electron/core/admin/pgBackups';
import { launchBrowser } from '../e2e/harness';
import { bigCsv } from '../helpers/orgCsv';
import type { Bench } from './bench';

const GB = 1024 ** 3;

/** A demo database grown past 1 GB with audit rows (about 1 KB each), cached between runs. */
async function oneGigabyteDatabase(b: Bench): Promise<string> {
  const dir = b.workDir('admin-1gb');
  const file = join(dir, 'incubase.db');
  if (existsSync(file) && statSync(file).size >= GB) return dir;
  rmSync(dir, { recursive: true, force: true });
  const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false });
  await core.close();
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    'INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?)',
  );
  const payload = JSON.stringify({ name: '邻里守望互助队'.repeat(20), note: 'x'.repeat(300) });
  const fill = db.transaction((from: number, n: number) => {
    for (let i = from; i < from + n; i++)
      insert.run(new Date(1_700_000_000_000 + i * 1000).toISOString(), 'zhangli', 'organizations.update', 'organization', `org-${i % 50000}`, `修改组织 ${i}`, payload, payload);
  });
  let i = 0;
  while (statSync(file).size + (existsSync(file + '-wal') ? statSync(file + '-wal').size : 0) < GB * 1.02) {
    fill(i, 50_000);
    i += 50_000;
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  db.close();
  return dir;
}

/** On both engines (`npm run bench -- --database pg admin`): the PostgreSQL pass is {@link adminOnPostgres}. */
export const engines = ['sqlite', 'postgres'];

export default async function adminBench(b: Bench): Promise<void> {
  if (b.engine === 'postgres') return adminOnPostgres(b);
  const dir = await oneGigabyteDatabase(b);
  const file = join(dir, 'incubase.db');
  const sizeGb = statSync(file).size / GB;
  // INCUBASE_BENCH_ADMIN=startup runs only the start-up to login screen figures (shared machines).
  if (process.env.INCUBASE_BENCH_ADMIN === 'startup') return startupToLoginScreen(b, dir, sizeGb);

  // Start-up as the app does it: open, quick_check, migration check, settings; the daily backup is measured apart.
  const open = await b.timeMedian(3, async () => {
    const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    await core.settings();
    await core.close();
  });
  const raw = await b.timeMedian(3, () => {
    const db = openSqlite(file);
    quickCheck(db);
    db.close();
  });
  b.report({ name: `admin.open_${sizeGb.toFixed(2)}gb_database_with_startup_checks`, value: open, unit: 'ms', baseline: raw });

  // The full integrity_check after opening (reads every index), in its worker thread, vs the same pragma on a
  // plain connection; and how long a call waits meanwhile (the main thread stays free).
  {
    let worst = 0;
    const full = await b.time(async () => {
      const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false });
      let done = false;
      const outcome = core.integrity!.finally(() => (done = true));
      while (!done) {
        const t0 = performance.now();
        await core.settings();
        worst = Math.max(worst, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
      if ((await outcome).status !== 'ok') throw new Error('integrity_check found problems in the bench database');
      await core.close();
    });
    const rawFull = await b.time(() => {
      const db = openSqlite(file, { readonly: true });
      db.pragma('integrity_check');
      db.close();
    });
    b.report({ name: `admin.full_integrity_check_${sizeGb.toFixed(2)}gb_in_background`, value: full, unit: 'ms', baseline: rawFull });
    b.report({ name: 'admin.call_wait_during_integrity_check_worst', value: worst, unit: 'ms' });
  }

  const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
  const backup = await b.time(() => core.backups.create('bench'));
  b.report({ name: 'admin.online_backup_1gb', value: backup, unit: 'ms' });
  for (const x of core.backups.list().filter((x) => x.reason === 'bench')) rmSync(join(core.backups.dir, x.fileName));

  // One write call through the Node host (HTTP, session, validation, transaction, audit row) vs the raw insert.
  const { url, app } = await startHost({ core });
  const headers = { 'content-type': 'application/json', 'x-incubase-client': '1' };
  const login = await fetch(`${url}/api/auth.login`, { method: 'POST', headers, body: JSON.stringify({ username: 'admin', password: 'Demo@2026' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const stamp = Date.now().toString(36);
  const viaHost = await b.timeMedian(200, async (i) => {
    const res = await fetch(`${url}/api/dict.save`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: JSON.stringify({ kind: 'activity_kind', label: `基准${stamp}-${i}`, sortOrder: 999, active: true }),
    });
    if (!res.ok) throw new Error(await res.text());
  });
  await app.close();
  await core.close();
  const db = openSqlite(file);
  const ins = db.prepare('INSERT INTO dictionary_entries (kind, code, label, sort_order, active) VALUES (?, ?, ?, 999, 1)');
  const rawInsert = await b.timeMedian(200, (i) => {
    ins.run('bench_raw', `R${stamp}${i + 1}`, `基准${i}`);
  });
  db.close();
  b.report({ name: 'admin.write_call_round_trip_via_node_host', value: viaHost, unit: 'ms', baseline: rawInsert });

  await startupToLoginScreen(b, dir, sizeGb);
  await secondCallDuringImport(b);
}

/**
 * Start-up to the first paint of the login screen on the 1 GB file, with the Node host as `npm run web` runs it:
 * the host listens at once and the core opens beside it (electron/host/startup.ts), so the login screen paints
 * with the start-up step (正在检查数据库…) while the check runs. Figures: the first paint (用户名 visible), beside the
 * check's own duration (Core.open: quick_check in its worker, migrations, settings) and the moment 登录 is enabled.
 * Baseline of the first paint: the same page load against a core that is already open (the page alone).
 */
async function startupToLoginScreen(b: Bench, dir: string, sizeGb: number): Promise<void> {
  const rendererDir = resolve(__dirname, '../../out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write('admin: out/renderer missing (npm run build); start-up to login screen not measured\n');
    return;
  }
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const startup = (() => {
      const t0 = performance.now();
      const s = openCoreInBackground({ dataDir: dir, seed: 'demo', autoBackup: false });
      return { s, checked: s.ready.then(() => performance.now() - t0), t0 };
    })();
    const host = await startHost({ core: startup.s, rendererDir });
    await page.goto(host.url);
    await page.getByLabel('用户名').waitFor({ state: 'visible', timeout: 120_000 });
    const firstPaint = performance.now() - startup.t0;
    const progressShown = await page.getByTestId('startup-progress').isVisible();
    await page.getByRole('button', { name: /登\s*录/, disabled: false }).waitFor({ timeout: 300_000 });
    const usable = performance.now() - startup.t0;
    const check = await startup.checked;
    const pageOnly = await b.time(async () => {
      await page.goto(host.url);
      await page.getByLabel('用户名').waitFor({ state: 'visible', timeout: 120_000 });
    });
    b.report({ name: `admin.startup_to_login_screen_first_paint_${sizeGb.toFixed(2)}gb_node_host${progressShown ? '_with_progress' : ''}`, value: firstPaint, unit: 'ms', baseline: pageOnly });
    b.report({ name: `admin.startup_check_${sizeGb.toFixed(2)}gb_own_duration (Core.open: quick_check, migrations)`, value: check, unit: 'ms' });
    b.report({ name: `admin.startup_to_login_enabled_${sizeGb.toFixed(2)}gb_node_host`, value: usable, unit: 'ms' });
    await host.app.close();
    await (await startup.s.ready).close();
  } finally {
    await browser.close();
  }
}

/**
 * While a 30,000-row organization import runs, another user's read call (organizations.list, one page) is timed:
 * reads go to their own read-only connection and the import parses before it takes the write lock and gives the
 * event loop a turn every 1,000 rows. Baseline: the same call with nothing else running.
 */
async function secondCallDuringImport(b: Bench, prefix = 'admin'): Promise<void> {
  const dir = b.workDir('admin-during-import');
  rmSync(dir, { recursive: true, force: true });
  const database = await b.database('admin_during_import');
  const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false, ...(database ? { database } : {}) });
  const login = async (username: string) => (await core.invoke('auth.login', { username, password: 'Demo@2026' })).sessionToken!;
  const importer = await login('zhangli');
  const reader = await login('liming');
  const list = async () => {
    const r = await core.invoke('organizations.list', { startRow: 0, endRow: 50 }, reader);
    if (!r.ok) throw new Error(r.error!.message);
  };
  const idle = await b.timeMedian(20, list);
  const file = { name: '台账.csv', base64: Buffer.from(bigCsv(30_000, '基准并发'), 'utf8').toString('base64') };
  let running = true;
  const importing = core.invoke('organizations.import.commit', { file, mode: 'all' }, importer).finally(() => (running = false));
  const during: number[] = [];
  await new Promise((r) => setTimeout(r, 20));
  while (running) {
    during.push(await b.time(list));
    await new Promise((r) => setTimeout(r, 10));
  }
  const r = await importing;
  if (!r.ok) throw new Error(`import: ${r.error!.message}`);
  during.sort((x, y) => x - y);
  const median = during.length ? during[Math.floor(during.length / 2)] : NaN;
  const worst = during.length ? during[during.length - 1] : NaN;
  b.report({ name: `${prefix}.second_call_latency_during_30k_import_median`, value: median, unit: 'ms', baseline: idle });
  b.report({ name: `${prefix}.second_call_latency_during_30k_import_max`, value: worst, unit: 'ms', baseline: idle });
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Audit rows the PostgreSQL hub is grown by (about 1 KB each, as the SQLite pass's 1 GB file): INCUBASE_BENCH_ADMIN_PG_AUDIT. */
const PG_AUDIT_ROWS = Number(process.env.INCUBASE_BENCH_ADMIN_PG_AUDIT ?? 300_000);

/**
 * The admin figures on PostgreSQL (`admin.pg.*`), each beside plain `pg` doing the same work on the same server.
 * What is about the SQLite file itself (quick_check/integrity_check of the file, the start-up check's worker,
 * the login screen painting while the file is checked) has no PostgreSQL counterpart: the server checks its own
 * pages. Measured: start-up (migration check, hub, settings) on a hub whose audit log holds PG_AUDIT_ROWS rows,
 * the online backup (pg_dump) of that database, one write call through the Node host, and a second user's read
 * during a 30,000-row import.
 */
async function adminOnPostgres(b: Bench): Promise<void> {
  const url = (await b.database('admin'))!;
  const dir = b.workDir('admin-hub');
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  await (await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false, database: url })).close();
  const raw = await b.rawPg(url);
  try {
    const payload = JSON.stringify({ name: '邻里守望互助队'.repeat(20), note: 'x'.repeat(300) });
    for (let from = 0; from < PG_AUDIT_ROWS; from += 100_000) {
      await raw.query(
        `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json)
         SELECT to_char(timestamp '2023-11-14 22:13:20' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL, 'zhangli',
                'organizations.update', 'organization', 'org-' || (i % 50000), '修改组织 ' || i, $1, $1
         FROM generate_series($2::int, $3::int) AS i`,
        [payload, from, Math.min(PG_AUDIT_ROWS, from + 100_000) - 1],
      );
    }
    await raw.query('VACUUM ANALYZE audit_log');
    const size = Number((await raw.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0].n) / 1024 ** 2;
    b.report({ name: 'admin.pg.database_size', value: size, unit: `MiB (${PG_AUDIT_ROWS} audit rows added)` });

    // Start-up as the app does it on PostgreSQL: pool, migration check, hub, settings. Raw: a plain client that
    // connects and reads the same (the migrations' names, the hub row, the settings) and disconnects.
    const open = await b.timeMedian(5, async () => {
      const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false, database: url });
      await core.settings();
      await core.close();
    });
    const rawOpen = await b.timeMedian(5, async () => {
      const c = await b.rawPg(url);
      await c.query('SELECT name FROM kysely_migration ORDER BY name');
      await c.query('SELECT id FROM hub LIMIT 1');
      await c.query('SELECT key, value FROM settings');
      await c.end();
    });
    b.report({ name: `admin.pg.open_${size.toFixed(0)}mib_database_with_startup_checks`, value: open, unit: 'ms', baseline: rawOpen });

    // The online backup: the backup manager's pg_dump (with its checks and bookkeeping) vs pg_dump alone.
    const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false, database: url });
    const backup = await b.time(() => core.backups.create('bench'));
    for (const x of core.backups.list().filter((x) => x.reason === 'bench')) rmSync(join(core.backups.dir, x.fileName));
    const tmp = mkdtempSync(join(b.workDir('admin-pgdump'), 'dump-'));
    const rawBackup = await b.time(() => pgDump(url, join(tmp, 'raw.pgdump')));
    rmSync(tmp, { recursive: true, force: true });
    b.report({ name: `admin.pg.online_backup_${size.toFixed(0)}mib`, value: backup, unit: 'ms', baseline: rawBackup });

    // One write call through the Node host (HTTP, session, validation, transaction + write lock, audit row) vs
    // the same two rows (the entry and its audit row) inserted by plain pg in one transaction.
    const { url: hostUrl, app } = await startHost({ core });
    const headers = { 'content-type': 'application/json', 'x-incubase-client': '1' };
    const login = await fetch(`${hostUrl}/api/auth.login`, { method: 'POST', headers, body: JSON.stringify({ username: 'admin', password: 'Demo@2026' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const stamp = Date.now().toString(36);
    const viaHost = await b.timeMedian(200, async (i) => {
      const res = await fetch(`${hostUrl}/api/dict.save`, {
        method: 'POST',
        headers: { ...headers, cookie },
        body: JSON.stringify({ kind: 'activity_kind', label: `基准${stamp}-${i}`, sortOrder: 999, active: true }),
      });
      if (!res.ok) throw new Error(await res.text());
    });
    await app.close();
    await core.close();
    const rawInsert = await b.timeMedian(200, async (i) => {
      await raw.query('BEGIN');
      await raw.query('INSERT INTO dictionary_entries (kind, code, label, sort_order, active) VALUES ($1, $2, $3, 999, 1)', ['bench_raw', `R${stamp}${i + 1}`, `基准${i}`]);
      await raw.query(
        `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json) VALUES ($1, NULL, 'admin', 'dict.save', 'dictionary', $2, $3, NULL, $4)`,
        [new Date().toISOString(), `R${stamp}${i + 1}`, `新增字典项 基准${i}`, JSON.stringify({ label: `基准${i}` })],
      );
      await raw.query('COMMIT');
    });
    b.report({ name: 'admin.pg.write_call_round_trip_via_node_host', value: viaHost, unit: 'ms', baseline: rawInsert });
  } finally {
    await raw.end();
  }
  await secondCallDuringImport(b, 'admin.pg');
}
