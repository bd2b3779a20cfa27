/**
 * `npm run bench -- voucherImport`: a custody history 台账 (100 organizations × 30 lines: 期初 then receipts and
 * disbursements over a year, 3,000 rows, .xlsx) imported through the app (intake layer, the row checks and the
 * 余额 chain, then every line through the ledger's own posting — draft, submit, approve by another user, post —
 * with its audit rows, and the twelve months closed), CPU time and peak RSS, beside a raw baseline: the same bytes
 * parsed with SheetJS, the running balance computed, and each line written as a posted voucher with its two journal
 * lines by plain prepared statements in one transaction (the same tables and triggers; rolled back).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as XLSX from '@e965/xlsx';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { peakRssDuring, type Bench } from './bench';

const ORGS = 100;
const LINES = 30;

function historyXlsx(): Buffer {
  const rows: unknown[][] = [['代管资金台账(基准)'], ['日期', '组织', '摘要', '收入', '支出', '余额']];
  for (let o = 0; o < ORGS; o++) {
    const name = `基准代管组织${String(o).padStart(3, '0')}`;
    let bal = 100_000;
    rows.push(['2023-01-01', name, '上年结转', null, null, bal / 100]);
    const dates: string[] = [];
    for (let i = 1; i < LINES; i++) {
      const month = Math.min(12, 1 + Math.floor((i * 12) / LINES));
      dates.push(`2023-${String(month).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`);
    }
    dates.sort();
    dates.forEach((date, k) => {
      const i = k + 1;
      const amount = 1000 + ((o * 37 + i * 101) % 9000);
      const receipt = i % 3 !== 0;
      bal += receipt ? amount : -amount;
      rows.push([date, name, receipt ? '活动经费拨付' : '活动物料', receipt ? amount / 100 : null, receipt ? null : amount / 100, bal / 100]);
    });
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '台账');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

export default async function voucherImportBench(b: Bench): Promise<void> {
  const work = b.workDir('voucherImport');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const xlsx = historyXlsx();
  const core = await Core.open({ dataDir: join(work, 'hub'), seed: 'demo', demoScale: 0, autoBackup: false });
  const db = core.sqlite;
  const now = new Date().toISOString();
  const insOrg = db.prepare(`INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES (?, ?, 'filed', ?, ?)`);
  for (let o = 0; o < ORGS; o++) insOrg.run(`bench-org-${o}`, `基准代管组织${String(o).padStart(3, '0')}`, now, now);
  const maker = (await core.invoke('auth.login', { username: 'wangfang', password: DEMO_PASSWORD })).sessionToken!;
  const bank = await core.invoke('custody.bankAccounts.save', { name: '代管专户', bankName: '工商银行', accountNo: '4402 0000 0000 0001', formatId: 'icbc', openingDate: '2024-01-01', bankOpeningFen: 0 }, maker);
  if (!bank.ok) throw new Error(bank.error!.message);
  const bankId = (bank.data as { id: string }).id;
  const file = { name: '代管台账.xlsx', base64: xlsx.toString('base64') };

  const cpu0 = process.cpuUsage();
  let created = 0;
  const { result: ms, peakMb } = await peakRssDuring(() =>
    b.time(async () => {
      const r = await core.invoke('custody.vouchers.import.commit', { file, mode: 'all', approverUsername: 'liming' }, maker);
      if (!r.ok) throw new Error(`import: ${r.error!.message}`);
      created = (r.data as { counts: { create: number } }).counts.create;
    }),
  );
  const cpuU = process.cpuUsage(cpu0);
  const appCpu = (cpuU.user + cpuU.system) / 1000;
  if (created !== ORGS * LINES) throw new Error(`import created ${created} of ${ORGS * LINES}`);

  // raw baseline, on a copy of the same hub before the import: reopen a fresh hub with the same setup
  const raw = await Core.open({ dataDir: join(work, 'raw'), seed: 'demo', demoScale: 0, autoBackup: false });
  const rdb = raw.sqlite;
  for (let o = 0; o < ORGS; o++) rdb.prepare(`INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES (?, ?, 'filed', ?, ?)`).run(`bench-org-${o}`, `基准代管组织${String(o).padStart(3, '0')}`, now, now);
  const rawMaker = (await raw.invoke('auth.login', { username: 'wangfang', password: DEMO_PASSWORD })).sessionToken!;
  const rb = await raw.invoke('custody.bankAccounts.save', { name: '代管专户', bankName: '工商银行', accountNo: '4402 0000 0000 0001', formatId: 'icbc', openingDate: '2024-01-01', bankOpeningFen: 0 }, rawMaker);
  const rawBank = (rb.data as { id: string }).id;
  const users = new Map((rdb.prepare(`SELECT username, id FROM users`).all() as { username: string; id: string }[]).map((u) => [u.username, u.id]));
  const makerId = users.get('wangfang')!;
  const approverId = users.get('liming')!;
  const rawCpu0 = process.cpuUsage();
  let rawRows = 0;
  const { result: rawMs } = await peakRssDuring(() =>
    b.time(() => {
      const wb = XLSX.read(xlsx, { type: 'buffer', dense: true, cellDates: false });
      const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: false, defval: null });
      const orgId = new Map((rdb.prepare('SELECT id, name FROM organizations').all() as { id: string; name: string }[]).map((o) => [o.name, o.id]));
      const openAcct = rdb.prepare(`INSERT INTO custody_accounts (id, org_id, seq, liability_code, opened_on, note, created_at) VALUES (?, ?, ?, '2601', ?, '', ?)`);
      const insV = rdb.prepare(`INSERT INTO custody_vouchers (id, status, seq, number, kind, date, period, amount_fen, org_id, bank_account_id, counterparty, purpose, attachments, maker_id, submitted_at, approver_id, approved_at, created_at, updated_at, version)
        VALUES (?, 'approved', NULL, NULL, ?, ?, ?, ?, ?, ?, '', ?, 0, ?, ?, ?, ?, ?, ?, 1)`);
      const insLine = rdb.prepare(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id, source_id, project_id, budget_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`);
      const post = rdb.prepare(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = ?, poster_id = ?, posted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`);
      const seqOf = new Map<string, number>();
      const bal = new Map<string, number>();
      const fen = (x: unknown) => (x == null || x === '' ? null : Math.round(Number(String(x).replace(/,/g, '')) * 100));
      const lines: { org: string; kind: string; date: string; amount: number }[] = [];
      for (const r of aoa.slice(2)) {
        const org = orgId.get(String(r[1]));
        if (!org) continue;
        const income = fen(r[3]);
        const expense = fen(r[4]);
        const balance = fen(r[5]);
        const kind = income ? 'receipt' : expense ? 'disbursement' : 'opening';
        const amount = kind === 'opening' ? balance! : (income ?? expense)!;
        const next = (bal.get(org) ?? 0) + (kind === 'disbursement' ? -amount : amount);
        if (next < 0 || (balance !== null && balance !== next)) continue;
        bal.set(org, next);
        lines.push({ org, kind, date: String(r[0]), amount });
      }
      lines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      rdb.exec('BEGIN IMMEDIATE');
      try {
        let acctSeq = 0;
        const opened = new Set<string>();
        for (const l of lines) {
          if (!opened.has(l.org)) {
            opened.add(l.org);
            openAcct.run(randomUUID(), l.org, ++acctSeq, l.date, now);
          }
          const id = randomUUID();
          const period = l.date.slice(0, 7);
          insV.run(id, l.kind, l.date, period, l.amount, l.org, rawBank, l.kind === 'opening' ? '上年结转' : '活动', makerId, now, approverId, now, now, now);
          const signed = l.kind === 'disbursement' ? -l.amount : l.amount;
          insLine.run(id, 1, l.date, period, '1002', signed, rawBank, null);
          insLine.run(id, 2, l.date, period, '2601', -signed, null, l.org);
          const seq = (seqOf.get(period) ?? 0) + 1;
          seqOf.set(period, seq);
          post.run(seq, `记-${period}-${String(seq).padStart(4, '0')}`, makerId, now, now, id);
          rawRows++;
        }
      } finally {
        rdb.exec('ROLLBACK');
      }
    }),
  );
  const rawCpuU = process.cpuUsage(rawCpu0);
  const rawCpu = (rawCpuU.user + rawCpuU.system) / 1000;
  if (rawRows !== ORGS * LINES) throw new Error(`baseline posted ${rawRows} of ${ORGS * LINES}`);
  b.report({ name: 'voucherImport.history_3000_lines', value: ms, unit: 'ms', baseline: rawMs, target: 'within 3× of the raw baseline' });
  b.report({ name: 'voucherImport.history_3000_lines_cpu', value: appCpu, unit: 'ms', baseline: rawCpu });
  b.report({ name: 'voucherImport.history_3000_lines_peak_rss', value: peakMb, unit: 'MB', target: '< 500 MB' });
  void bankId;
  await core.close();
  await raw.close();
  rmSync(work, { recursive: true, force: true });
}
