/**
 * `npm run bench -- importing`: a 100,000-line bank statement as the banks' portals export it, imported through the
 * app's real path — `custody.statements.preview` (what the accountant sees) then `custody.statements.import` (the
 * same parse run for real: intake layer, bank format detection, account number from the preamble, every line's
 * date/amount/balance checks, dedupe lookups, inserts, audit) — time, CPU and peak RSS, beside a raw baseline: the
 * same bytes parsed with SheetJS directly and the same rows and columns inserted with one plain prepared statement in
 * one transaction.
 *
 * Two files, as two banks make them:
 * - 工商银行: .xlsx as its web portal writes it (SheetJS-made: shared strings, no inline cells), a preamble with the
 *   account number, 借方/贷方发生额 as text with commas, a 合计 line and the print time below — the heaviest (the whole
 *   zip and its shared-string table are read at once);
 * - 建设银行: its 单位账户明细 as CSV in GBK (the portal's .xls is BIFF8, which holds at most 65,536 rows a sheet, so a
 *   100,000-line statement comes as CSV), the preamble with 账号/户名/起止日期, the 12 CCB columns, 记账日期 as
 *   yyyymmdd, 对方账号 as ="…" so Excel keeps its digits, a 合计 line and 打印日期/经办人 spread over the cells below.
 *
 * Each case's app run and its raw baseline run in child processes of their own, so each peak RSS is its own (neither
 * the other's high-water mark, nor the other case's garbage, nor the SheetJS writer's, which builds the files in yet
 * another child); the figures come back as JSON lines.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { peakRssDuring, type Bench, type Figure } from './bench';

const LINES = Number(process.env.INCUBASE_STATEMENT_BENCH_LINES ?? 100_000);
const ACCOUNT_NO = '51050142620800001234';
const COUNTERPARTIES = ['成都市武侯区民政局', '玉林街道办事处', '成都市慈善总会', '四川省社会组织发展基金会', '张丽', '李明', '成都某某文化传播有限公司', '簇桥街道社区发展治理基金'];
const SUMMARIES = ['拨款', '公益创投资金', '活动经费', '讲师费', '物料采购', '手续费', '利息', '退回'];

type Case = 'icbc-xlsx' | 'ccb-csv';
const CASES = (process.env.INCUBASE_STATEMENT_BENCH_CASES?.split(',') as Case[] | undefined) ?? (['icbc-xlsx', 'ccb-csv'] satisfies Case[]);

interface Line {
  serial: string;
  ymd: number;
  date: string;
  debit: number;
  credit: number;
  balance: number;
  who: string;
  whoAccount: string;
  summary: string;
}

/** The statement's lines: 100,000 over one year, a running balance, unique bank serials. */
function lines(): Line[] {
  const out: Line[] = [];
  let balanceFen = 50_000_000;
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < LINES; i++) {
    const d = new Date(start + Math.floor((i * 365) / LINES) * 86_400_000);
    const date = d.toISOString().slice(0, 10);
    const fen = 100 + ((i * 7919) % 2_000_000);
    const out_ = i % 3 !== 0;
    balanceFen += out_ ? -fen : fen;
    out.push({
      serial: `${1 + (i % 9)}-${String(i).padStart(8, '0')}`,
      ymd: Number(date.replace(/-/g, '')),
      date,
      debit: out_ ? fen / 100 : 0,
      credit: out_ ? 0 : fen / 100,
      balance: balanceFen / 100,
      who: COUNTERPARTIES[i % COUNTERPARTIES.length],
      whoAccount: `6222${String(100_000_000_000 + ((i * 31) % 99_999_999_999)).slice(-12)}`,
      summary: SUMMARIES[i % SUMMARIES.length],
    });
  }
  return out;
}

const money = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function statementFile(c: Case): Buffer {
  const ls = lines();
  const rows: unknown[][] = [];
  if (c === 'ccb-csv') {
    rows.push(['中国建设银行单位账户明细'], [`账号：${ACCOUNT_NO}`, null, null, '户名：武侯区社区社会组织孵化基地'], ['起始日期：20250101', null, null, '截止日期：20251231', null, '币种：人民币'], []);
    rows.push(['账户明细编号-交易流水号', '交易时间', '借方发生额（支取）', '贷方发生额（收入）', '余额', '币种', '对方户名', '对方账号', '对方开户机构', '记账日期', '摘要', '备注']);
    for (const l of ls) {
      rows.push([l.serial, `${l.ymd} 10:${String(l.ymd % 60).padStart(2, '0')}:00`, l.debit || null, l.credit || null, l.balance, '人民币', l.who, `="${l.whoAccount}"`, '中国建设银行成都第一支行', l.ymd, l.summary, null]);
    }
    const debit = ls.reduce((s, l) => s + Math.round(l.debit * 100), 0) / 100;
    const credit = ls.reduce((s, l) => s + Math.round(l.credit * 100), 0) / 100;
    rows.push(['合计', null, debit, credit], [], ['打印日期：20260105', null, null, '经办人：王芳']);
    const csv = rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : /[,\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n');
    return iconv.encode(csv + '\r\n', 'gbk');
  } else {
    rows.push(['中国工商银行账户历史明细'], [`本方账号：${ACCOUNT_NO.replace(/(\d{4})(?=\d)/g, '$1 ')}`], ['本方户名：武侯区社区社会组织孵化基地'], []);
    rows.push(['交易日期', '凭证号', '对方单位名称', '对方账号', '摘要', '借方发生额', '贷方发生额', '余额', '个性化信息']);
    for (const l of ls) rows.push([l.date, l.serial, l.who, l.whoAccount, l.summary, l.debit ? money(l.debit) : '', l.credit ? money(l.credit) : '', money(l.balance), '']);
    rows.push(['合计', '', '', '', '', '', '', '', ''], ['打印时间：2026-01-05 09:30:00']);
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows, { dense: true }), 'Sheet1');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

const fileName = (c: Case) => (c === 'ccb-csv' ? `建行对账单-${LINES}.csv` : `工行对账单-${LINES}.xlsx`);
const tsx = join(__dirname, '../../node_modules/tsx/dist/cli.mjs');

/** The raw baseline's reading of one data row: the columns of the file, by position, as plain code knows them. */
function rawLine(c: Case, r: unknown[]): { serial: string; date: string; fen: number; balance: number; who: string; whoAccount: string; summary: string } | null {
  const fen = (v: unknown) => (v === null || v === undefined || v === '' ? 0 : Math.round(Number(String(v).replace(/,/g, '')) * 100));
  if (c === 'ccb-csv') {
    if (!/^\d{8}$/.test(String(r[9] ?? ''))) return null;
    const s = String(r[9]);
    return { serial: String(r[0]), date: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`, fen: fen(r[3]) - fen(r[2]), balance: fen(r[4]), who: String(r[6] ?? ''), whoAccount: String(r[7] ?? '').replace(/^="|"$/g, ''), summary: String(r[10] ?? '') };
  }
  if (typeof r[0] !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(r[0])) return null;
  return { serial: String(r[1]), date: r[0], fen: fen(r[6]) - fen(r[5]), balance: fen(r[7]), who: String(r[2] ?? ''), whoAccount: String(r[3] ?? ''), summary: String(r[4] ?? '') };
}

/** The peak resident set of this process so far, in MB (the kernel's own high-water mark, not a sample). */
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * The app's side of one case, in this (child) process: the preview as the dialog makes it (counts, issues and the
 * first page of lines; the rest kept in the core under its preview id), then the import naming that preview (its
 * kept lines go; the file's bytes are read again). Peak RSS: the process's own high-water mark, Core included.
 */
async function runApp(c: Case, path: string, work: string): Promise<Figure[]> {
  const bytes = readFileSync(path);
  const figures: Figure[] = [{ name: `importing.statement_${c}_size`, value: bytes.byteLength / 1024 / 1024, unit: 'MB' }];
  const core = await Core.open({ dataDir: join(work, `hub-${c}`), seed: 'demo', demoScale: 0, autoBackup: false });
  try {
    const token = (await core.invoke('auth.login', { username: 'wangfang', password: DEMO_PASSWORD })).sessionToken!;
    const saved = await core.invoke('custody.bankAccounts.save', { name: '基准专户', bankName: c === 'ccb-csv' ? '建设银行' : '工商银行', accountNo: ACCOUNT_NO, formatId: c === 'ccb-csv' ? 'ccb' : 'icbc', openingDate: '2025-01-01', bankOpeningFen: 50_000_000 }, token);
    if (!saved.ok) throw new Error(`bank account: ${saved.error!.message}`);
    const bankAccountId = (saved.data as { id: string }).id;
    const file = { name: fileName(c), base64: bytes.toString('base64') };

    let previewMs = 0;
    let importMs = 0;
    let added = 0;
    let previewId: string | null = null;
    const cpu0 = process.cpuUsage();
    const { peakMb } = await peakRssDuring(async () => {
      previewMs = await b0.time(async () => {
        const r = await core.invoke('custody.statements.preview', { bankAccountId, file }, token);
        if (!r.ok) throw new Error(`preview: ${r.error!.message}`);
        const p = r.data as { newCount: number; lineCount: number; lines: unknown[]; issues: unknown[]; balanceBreaks: unknown[]; previewId: string | null };
        if (p.newCount !== LINES || p.lineCount !== LINES || p.issues.length || p.balanceBreaks.length) throw new Error(`preview: ${p.newCount} new, issues ${JSON.stringify(p.issues.slice(0, 3))}, breaks ${p.balanceBreaks.length}`);
        // the dialog's second page, as the user turns to it
        const page = await core.invoke('custody.statements.previewLines', { previewId: p.previewId!, offset: p.lines.length, limit: 50 }, token);
        if (!page.ok || (page.data as { total: number }).total !== LINES) throw new Error(`preview page: ${page.ok ? (page.data as { total: number }).total : page.error!.message}`);
        previewId = p.previewId;
      });
      importMs = await b0.time(async () => {
        const r = await core.invoke('custody.statements.import', { bankAccountId, file, previewId: previewId ?? undefined }, token);
        if (!r.ok) throw new Error(`import: ${r.error!.message}`);
        added = (r.data as { added: number }).added;
      });
    });
    const cpu = process.cpuUsage(cpu0);
    if (added !== LINES) throw new Error(`import added ${added} of ${LINES}`);
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    figures.push(
      { name: `importing.statement_${c}_preview`, value: previewMs, unit: 'ms' },
      { name: `importing.statement_${c}_import`, value: importMs, unit: 'ms' },
      { name: `importing.statement_${c}_preview_and_import`, value: previewMs + importMs, unit: 'ms' },
      { name: `importing.statement_${c}_cpu`, value: ms(cpu), unit: 'ms' },
      { name: `importing.statement_${c}_peak_rss`, value: Math.max(peakMb, maxRssMb()), unit: 'MB', target: '< 500 MB' },
    );
    return figures;
  } finally {
    await core.close();
  }
}

/**
 * The raw baseline of one case, in a process of its own (so its peak RSS is its own, not the app's high-water mark
 * it would inherit in the same process): the same bytes parsed with SheetJS / iconv directly and the same rows and
 * columns inserted with one plain better-sqlite3 prepared statement in one transaction (rolled back), on the hub
 * database the app's run left.
 */
async function runBaseline(c: Case, path: string, work: string): Promise<Figure[]> {
  const { default: Sqlite } = await import('better-sqlite3');
  const bytes = readFileSync(path);
  const db = new Sqlite(join(work, `hub-${c}`, 'incubase.db'));
  const bankAccountId = (db.prepare('SELECT id FROM custody_bank_accounts WHERE account_no = ?').pluck().get(ACCOUNT_NO) as string | undefined) ?? '';
  if (!bankAccountId) throw new Error('baseline: the bank account of the app run is not there');
  const rawCpu0 = process.cpuUsage();
  let rawRows = 0;
  const rawMs = await b0.time(() => {
    // the CSV as plain code reads it (GBK decoded, split on lines and commas); the workbook with SheetJS
    const aoa: unknown[][] =
      c === 'ccb-csv'
        ? iconv.decode(bytes, 'gbk').split('\r\n').map((l) => l.split(','))
        : XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(bytes, { type: 'buffer', dense: true }).Sheets.Sheet1, { header: 1, raw: true, defval: null });
    const insert = db.prepare(
      'INSERT INTO custody_statement_lines (id, bank_account_id, import_id, row_no, date, amount_fen, balance_fen, counterparty_name, counterparty_account, summary, serial, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare('DELETE FROM custody_statement_lines WHERE bank_account_id = ?').run(bankAccountId);
      const importId = randomUUID();
      db.prepare('INSERT INTO custody_statement_imports (id, bank_account_id, file_name, format_id, sha256, added_count, duplicate_count, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)').run(
        importId, bankAccountId, fileName(c), c.slice(0, 4), '', LINES, 'bench', new Date().toISOString(),
      );
      for (let i = 0; i < aoa.length; i++) {
        const l = rawLine(c, aoa[i]);
        if (!l || l.fen === 0) continue;
        insert.run(randomUUID(), bankAccountId, importId, i + 1, l.date, l.fen, l.balance, l.who, l.whoAccount, l.summary, l.serial, `S|${l.serial}|${l.date}|${l.fen}|1`);
        rawRows++;
      }
    } finally {
      db.exec('ROLLBACK');
    }
  });
  const rawCpuU = process.cpuUsage(rawCpu0);
  db.close();
  if (rawRows !== LINES) throw new Error(`baseline inserted ${rawRows} of ${LINES}`);
  return [
    { name: 'baseline_ms', value: rawMs, unit: 'ms' },
    { name: 'baseline_cpu', value: (rawCpuU.user + rawCpuU.system) / 1000, unit: 'ms' },
    { name: 'baseline_rss', value: maxRssMb(), unit: 'MB' },
  ];
}

// a stand-in for the runner's Bench in the child processes (only its timer is used there)
const b0 = { time: async (fn: () => unknown) => { const t = performance.now(); await fn(); return performance.now() - t; } };

if (process.env.INCUBASE_STATEMENT_BENCH_WRITE) {
  const [c, path] = process.env.INCUBASE_STATEMENT_BENCH_WRITE.split('|') as [Case, string];
  writeFileSync(path, statementFile(c));
  process.exit(0);
}
if (process.env.INCUBASE_STATEMENT_BENCH_RUN) {
  const [c, path, work, side] = process.env.INCUBASE_STATEMENT_BENCH_RUN.split('|') as [Case, string, string, 'app' | 'baseline'];
  (side === 'baseline' ? runBaseline : runApp)(c, path, work).then(
    (figures) => {
      for (const f of figures) process.stdout.write(`FIGURE ${JSON.stringify(f)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exit(1);
    },
  );
}

/** Runs one side of a case in a child process of its own and returns its figures. */
function child(c: Case, path: string, work: string, side: 'app' | 'baseline'): Figure[] {
  const r = spawnSync(process.execPath, [tsx, __filename], { env: { ...process.env, INCUBASE_STATEMENT_BENCH_RUN: `${c}|${path}|${work}|${side}` }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the ${c} statement bench (${side}) failed`);
  return r.stdout
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('FIGURE '))
    .map((l) => JSON.parse(l.slice(7)) as Figure);
}

export default async function importingStatementBench(b: Bench): Promise<void> {
  const work = b.workDir('importing-statement');
  for (const c of CASES) {
    const path = join(work, fileName(c));
    if (!existsSync(path)) {
      const w = spawnSync(process.execPath, [tsx, __filename], { env: { ...process.env, INCUBASE_STATEMENT_BENCH_WRITE: `${c}|${path}` }, stdio: 'inherit' });
      if (w.status !== 0) throw new Error(`writing ${fileName(c)} failed`);
    }
    const hub = join(work, `hub-${c}`);
    rmSync(hub, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const app = child(c, path, work, 'app');
    const raw = Object.fromEntries(child(c, path, work, 'baseline').map((f) => [f.name, f.value]));
    const withBaseline: Record<string, { baseline: number; target: string }> = {
      [`importing.statement_${c}_import`]: { baseline: raw.baseline_ms, target: 'within 3× of the raw baseline' },
      [`importing.statement_${c}_preview_and_import`]: { baseline: raw.baseline_ms, target: 'within 3× of the raw baseline' },
      [`importing.statement_${c}_cpu`]: { baseline: raw.baseline_cpu, target: 'preview + import within 3× of the raw baseline' },
      [`importing.statement_${c}_peak_rss`]: { baseline: raw.baseline_rss, target: '< 500 MB (baseline: its own process)' },
    };
    for (const f of app) b.report({ ...f, ...withBaseline[f.name] });
    rmSync(hub, { recursive: true, force: true });
  }
}
