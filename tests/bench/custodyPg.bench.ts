import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { voucherNumberFor } from '@shared/custody/voucher';
import { openSqlite } from '../../electron/core/db/connection';
import { copySqliteToPostgres } from '../../electron/core/db/copyToPostgres';
import { openPgClient, openPostgres } from '../../electron/core/db/postgres';
import { EXPORT_FILE, VOUCHER_EXPORT_FORMATS, writeVoucherExport } from '../../electron/core/custody/voucherExport';
import { snapshotSourceOf } from '../../electron/core/custody/engineSql';
import { percentile, type Bench } from './bench';
import { exportLedger } from './custody.bench';

/**
 * The custody figures on PostgreSQL, each beside a raw `pg` baseline doing the same work on the same database:
 * - the voucher exports of a year (1,000,000 journal lines) in each format, through the call and to a file, vs
 *   one plain cursor read of the same rows as arrays (the best plain way to stream them out of PostgreSQL);
 * - posting one voucher through the API vs the same rows written with plain `pg` in one transaction (read the
 *   voucher and the month's last number, two journal lines, the status change, the audit row) through the
 *   same PL/pgSQL triggers;
 * - one organization's balance and all 2,000 balances.
 * The ledger is the SQLite export ledger of `custody.bench.ts`, copied into a fresh database with the
 * migration copier. Runs only when a PostgreSQL server is given (`INCUBASE_BENCH_DATABASE`, or the server
 * `scripts/with-postgres.ts` started: `npx tsx scripts/with-postgres.ts -- npm run bench -- custodyPg`).
 */
function serverUrl(): string | null {
  return process.env.INCUBASE_BENCH_DATABASE ?? process.env.INCUBASE_TEST_DATABASE ?? null;
}

async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `incubase_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const measure = async <T>(fn: () => Promise<T> | T) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { r, wall, cpu: (c.user + c.system) / 1000 };
};

export default async function custodyPgBench(b: Bench): Promise<void> {
  const server = serverUrl();
  if (!server) {
    process.stderr.write('# custodyPg: no PostgreSQL server given (INCUBASE_BENCH_DATABASE), skipped\n');
    return;
  }
  const dir = await exportLedger(b);
  // Opened once as the app would, so a cached ledger is at the latest schema (the copier copies only that).
  await (await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false })).close();
  const src = openSqlite(join(dir, 'incubase.db'), { readonly: true });
  const target = await freshDatabase(server);
  try {
    const { db } = openPostgres(target.url);
    const copy = await measure(() => copySqliteToPostgres(src, db));
    src.close();
    const c = await openPgClient(target.url);
    await c.query('ANALYZE');
    await c.end();
    await db.destroy();
    b.report({ name: 'custody.pg.copy_export_ledger', value: Math.round(copy.wall), unit: 'ms' });
    const dataDir = b.workDir(`custody-pg-${randomBytes(3).toString('hex')}`);
    const core = await Core.open({ dataDir, database: target.url, seed: 'empty', autoBackup: false });
    try {
      await exportFigures(b, core, target.url);
      await postingFigures(b, core, target.url);
    } finally {
      await core.close();
    }
  } finally {
    await target.drop();
  }
}

async function exportFigures(b: Bench, core: Core, url: string): Promise<void> {
  const from = '2024-01-01';
  const to = '2024-12-31';
  const token = (await core.invoke('auth.login', { username: 'zhaoqiang', password: DEMO_PASSWORD })).sessionToken!;
  // The raw read: the same rows with their voucher, account and user names, as arrays, through one cursor.
  const rawRead = async () => {
    const c = await openPgClient(url);
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await c.query({
        text: `DECLARE raw_export NO SCROLL CURSOR FOR
          SELECT v.id, v.date, v.seq, v.number, v.attachments, v.purpose, v.counterparty, j.account_code, j.amount_fen, b.seq, b.holds, b.bank_name || b.name,
                 a.seq, o.name, mu.display_name, au.display_name, pu.display_name
            FROM custody_vouchers v JOIN custody_journal j ON j.voucher_id = v.id
            LEFT JOIN custody_bank_accounts b ON b.id = j.bank_account_id LEFT JOIN custody_accounts a ON a.org_id = j.org_id
            LEFT JOIN organizations o ON o.id = j.org_id
            LEFT JOIN users mu ON mu.id = v.maker_id LEFT JOIN users au ON au.id = v.approver_id LEFT JOIN users pu ON pu.id = v.poster_id
           WHERE v.status = 'posted' AND v.seq IS NOT NULL AND v.period BETWEEN '2024-01' AND '2024-12' AND v.date BETWEEN $1 AND $2
           ORDER BY v.period, v.seq, j.line_no`,
        values: [from, to],
      });
      let n = 0;
      for (;;) {
        const rows = (await c.query({ text: 'FETCH 20000 FROM raw_export', rowMode: 'array' })).rows;
        n += rows.length;
        if (rows.length < 20000) break;
      }
      await c.query('COMMIT');
      return n;
    } finally {
      await c.end();
    }
  };
  await rawRead(); // warm the cache as the exports below find it
  const base = await measure(rawRead);
  b.report({ name: 'custody.pg.voucher_export_lines_one_year', value: base.r, unit: 'lines' });
  b.report({ name: 'custody.pg.voucher_export_raw_read', value: Math.round(base.wall), unit: 'ms' });
  b.report({ name: 'custody.pg.voucher_export_raw_read_cpu', value: Math.round(base.cpu), unit: 'ms' });
  const load = () => Math.round(loadavg()[0] * 100) / 100;
  for (const format of VOUCHER_EXPORT_FORMATS) {
    const l0 = load();
    const viaCall = await measure(async () => {
      const r = await core.invoke('custody.vouchers.export', { format, from, to }, token);
      if (!r.ok) throw new Error(r.error!.message);
      return (r.data as { base64: string }).base64.length;
    });
    b.report({ name: `custody.pg.voucher_export_${format}_one_year`, value: Math.round(viaCall.wall), unit: 'ms', baseline: Math.round(base.wall), target: '< 10000 ms' });
    b.report({ name: `custody.pg.voucher_export_${format}_one_year_cpu`, value: Math.round(viaCall.cpu), unit: 'ms', baseline: Math.round(base.cpu) });
    const out = join(b.workDir('custody-export-out'), `vouchers-pg.${EXPORT_FILE[format].ext}`);
    const toFile = await measure(() => writeVoucherExport(snapshotSourceOf(core), format, from, to, out));
    b.report({ name: `custody.pg.voucher_export_${format}_to_file`, value: Math.round(toFile.wall), unit: 'ms', baseline: Math.round(base.wall), target: '< 10000 ms' });
    b.report({ name: `custody.pg.voucher_export_${format}_to_file_cpu`, value: Math.round(toFile.cpu), unit: 'ms', baseline: Math.round(base.cpu) });
    b.report({ name: `custody.pg.voucher_export_${format}_bytes`, value: statSync(out).size, unit: 'bytes' });
    b.report({ name: `custody.pg.voucher_export_${format}_load_avg`, value: Math.max(l0, load()), unit: 'load' });
  }
}

async function postingFigures(b: Bench, core: Core, url: string): Promise<void> {
  const raw = await openPgClient(url);
  try {
    const q = async <T>(text: string, values: unknown[] = []) => (await raw.query({ text, values })).rows as T[];
    const ORGS = (await q<{ n: number }>(`SELECT count(*) AS n FROM custody_accounts`))[0].n;
    // One organization's balance: the kept balance through kysely vs the same single-row read in plain pg.
    const one = await b.timeP95(500, (i) => core.db.selectFrom('custody_accounts').select('balance_fen').where('org_id', '=', `bench-org-${(i + 7) % ORGS}`).executeTakeFirst());
    const oneRaw = await b.timeP95(500, (i) => q(`SELECT balance_fen FROM custody_accounts WHERE org_id = $1`, [`bench-org-${(i + 7) % ORGS}`]));
    b.report({ name: 'custody.pg.one_org_balance_p95', value: one, unit: 'ms', baseline: oneRaw, target: '< 5 ms' });
    const viewer = (await core.invoke('auth.login', { username: 'zhaoqiang', password: DEMO_PASSWORD })).sessionToken!;
    const cashier = (await core.invoke('auth.login', { username: 'chenjing', password: DEMO_PASSWORD })).sessionToken!;
    const invoke = async (token: string, name: string, input: unknown) => {
      const r = await core.invoke(name, input, token);
      if (!r.ok) throw new Error(`${name}: ${r.error!.message}`);
      return r.data;
    };
    const all = await b.timeMedian(5, () => invoke(viewer, 'custody.accounts.list', {}));
    const allRaw = await b.timeMedian(5, () =>
      q(`SELECT a.org_id, a.balance_fen, o.name FROM custody_accounts a JOIN organizations o ON o.id = a.org_id ORDER BY a.seq`),
    );
    b.report({ name: 'custody.pg.all_2000_balances_api', value: all, unit: 'ms', baseline: allRaw, target: '< 1000 ms' });

    // Posting: API and raw alternate (load from other jobs falls on both alike); wall and CPU per posting.
    const month = '2026-01';
    const users = Object.fromEntries((await q<{ username: string; id: string }>(`SELECT username, id FROM users`)).map((u) => [u.username, u.id]));
    const approved = async (n: number) => {
      const ids: string[] = [];
      await raw.query('BEGIN');
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const at = new Date().toISOString();
        await raw.query(
          `INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, org_id, bank_account_id, counterparty, purpose, maker_id, approver_id, approved_at, created_at, updated_at)
           VALUES ($1, 'receipt', 'approved', $2, $3, $4, $5, 'bench-bank', '区民政局', '项目拨款', $6, $7, $8, $9, $10)`,
          [id, `${month}-15`, month, 100_000 + i, `bench-org-${i % ORGS}`, users.wangfang, users.liming, at, at, at],
        );
        ids.push(id);
      }
      await raw.query('COMMIT');
      return ids;
    };
    const POSTS = 200;
    const apiIds = await approved(POSTS + 1);
    const rawIds = await approved(POSTS + 1);
    const postRaw = async (id: string) => {
      await raw.query('BEGIN');
      try {
        const v = (await q<{ date: string; period: string; amount_fen: number; org_id: string; bank_account_id: string }>(`SELECT * FROM custody_vouchers WHERE id = $1`, [id]))[0];
        const seq = ((await q<{ m: number | null }>(`SELECT max(seq) AS m FROM custody_vouchers WHERE period = $1 AND seq IS NOT NULL`, [v.period]))[0].m ?? 0) + 1;
        const number = voucherNumberFor(v.date, seq);
        const at = new Date().toISOString();
        const line = `INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
        await q(line, [id, 1, v.date, v.period, '1002', v.amount_fen, v.bank_account_id, null]);
        await q(line, [id, 2, v.date, v.period, '2601', -v.amount_fen, null, v.org_id]);
        await q(`UPDATE custody_vouchers SET status = 'posted', seq = $1, number = $2, poster_id = $3, posted_at = $4, updated_at = $5 WHERE id = $6 AND status = 'approved'`, [seq, number, users.chenjing, at, at, id]);
        await q(
          `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json) VALUES ($1, $2, 'chenjing', 'custody.vouchers.post', 'custody_voucher', $3, $4, $5, $6)`,
          [at, users.chenjing, id, `记账 ${number}`, JSON.stringify(v), JSON.stringify({ ...v, status: 'posted', seq, number })],
        );
        await raw.query('COMMIT');
      } catch (e) {
        await raw.query('ROLLBACK');
        throw e;
      }
    };
    await invoke(cashier, 'custody.vouchers.post', { id: apiIds[0] }); // warm-up
    await postRaw(rawIds[0]);
    const api: { wall: number; cpu: number }[] = [];
    const rawT: { wall: number; cpu: number }[] = [];
    for (let i = 1; i <= POSTS; i++) {
      api.push(await measure(() => invoke(cashier, 'custody.vouchers.post', { id: apiIds[i] })));
      rawT.push(await measure(() => postRaw(rawIds[i])));
    }
    const p95 = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => percentile(xs.map((x) => x[k]), 95);
    const mean = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => xs.reduce((t, x) => t + x[k], 0) / xs.length;
    b.report({ name: 'custody.pg.post_voucher_api_p95', value: p95(api, 'wall'), unit: 'ms', baseline: p95(rawT, 'wall'), target: '< 5 ms' });
    b.report({ name: 'custody.pg.post_voucher_api_median', value: percentile(api.map((x) => x.wall), 50), unit: 'ms', baseline: percentile(rawT.map((x) => x.wall), 50) });
    b.report({ name: 'custody.pg.post_voucher_api_cpu_mean', value: mean(api, 'cpu'), unit: 'ms', baseline: mean(rawT, 'cpu') });

    const stmt = await b.timeMedian(5, (i) => invoke(viewer, 'custody.orgStatement', { orgId: `bench-org-${(i + 3) % ORGS}`, from: '2024-01-01', to: '2024-12-31' }));
    b.report({ name: 'custody.pg.org_statement_one_year', value: stmt, unit: 'ms' });
  } finally {
    await raw.end();
  }
}
