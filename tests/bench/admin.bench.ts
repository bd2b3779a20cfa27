import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Core } from '../../electron/core/core';
import { startHost } from '../../electron/host/server';
import { openSqlite, quickCheck } from '../../electron/core/db/connection';
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

export default async function adminBench(b: Bench): Promise<void> {
  const dir = await oneGigabyteDatabase(b);
  const file = join(dir, 'incubase.db');
  const sizeGb = statSync(file).size / GB;

  // Start-up as the app does it: open, quick_check, migration check, settings; the daily backup is measured apart.
  const open = await b.timeMedian(3, async () => {
    const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false });
    await core.settings();
    await core.close();
  });
  const raw = await b.timeMedian(3, () => {
    const db = openSqlite(file);
    quickCheck(db);
    db.close();
  });
  b.report({ name: `admin.open_${sizeGb.toFixed(2)}gb_database_with_startup_checks`, value: open, unit: 'ms', baseline: raw });

  const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false });
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
}
