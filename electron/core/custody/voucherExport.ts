/**
 * Posted vouchers for the hub's general-ledger software, one row per journal line, in number order:
 * - `yonyou`: 用友 T3/U8 总账「凭证引入」text — comma-separated, GBK (the tools read the Windows ANSI code page of a
 *   Chinese system), CRLF, fields in the documented order 制单日期, 凭证类别字, 凭证号, 附单据数, 摘要, 科目编码,
 *   借方金额, 贷方金额, 数量, 外币, 汇率, 制单人. One side of the amounts is 0; no field may hold a comma, so a
 *   comma in a 摘要 becomes a full-width one; 摘要 is cut at 60 bytes (GBK) and 科目编码 must fit 15.
 * - `kingdee`: 金蝶 KIS「凭证引入」Excel — an Excel 97-2003 .xls (KIS reads it everywhere) with the columns 日期, 凭证字,
 *   凭证号, 附单据数, 摘要, 科目代码, 科目名称, 借方金额, 贷方金额, 币别, 汇率, 数量, 单价, 制单人, 审核人, 过账人;
 *   amounts are number cells in yuan with two decimals (KIS needs numbers; the value is fen / 100 exactly rounded).
 * - `xlsx`: a plain workbook for people — dates as dates, amounts as numbers shown with two decimals beside an
 *   integer 分 column, our codes and theirs; written by flatXlsx (SpreadsheetML straight into a zip stream).
 * Codes go through the hub's 科目对照 (custody_account_map): an exact row for our detail code, else a row for its
 * level-1 code, whose code replaces that prefix (2601 → 220101 turns 26010003 into 2201010003); else our own code.
 *
 * Streams the journal on its own read-only connection (like the package extract; on PostgreSQL a cursor in a
 * read-only snapshot, `engineSql.ts`): one query over the vouchers'
 * number index joined to their lines, read as arrays; accounts and user names come from small maps built once,
 * so a line costs one row array and one small object. Each format writes as it reads, in big chunks (GBK
 * encoded a quarter-megabyte at a time, sheet XML deflated as it is produced), to a file or to memory.
 *
 * An Excel 97-2003 sheet holds 65,536 rows, so the 金蝶 file puts at most 65,535 lines on a sheet and starts
 * the next sheet (凭证1, 凭证2, …) at a voucher boundary: a voucher is never split across two sheets.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import iconv from 'iconv-lite';
import { accountByCode, bankDetailCode, bankDetailName, custodyDetailCode, custodyDetailName, type BankHolds, type CustodyLiabilityCode } from '@shared/custody/accounts';
import { VOUCHER_WORD } from '@shared/custody/voucher';
import { fail } from '@shared/errors';
import { formatFenPlain } from '@shared/money';
import { openSnapshot, type SnapshotReader } from './engineSql';
import { Biff8Sheet, biff8WorkbookStream, XF_DATE } from './biff8';
import { excelSerial, FlatXlsx, STYLE, XLSX_MAX_ROWS } from './flatXlsx';

export const VOUCHER_EXPORT_FORMATS = ['yonyou', 'kingdee', 'xlsx'] as const;
export type VoucherExportFormat = (typeof VOUCHER_EXPORT_FORMATS)[number];

export const YONYOU_FIELDS = ['制单日期', '凭证类别字', '凭证号', '附单据数', '摘要', '科目编码', '借方金额', '贷方金额', '数量', '外币', '汇率', '制单人'] as const;
export const KINGDEE_COLUMNS = ['日期', '凭证字', '凭证号', '附单据数', '摘要', '科目代码', '科目名称', '借方金额', '贷方金额', '币别', '汇率', '数量', '单价', '制单人', '审核人', '过账人'] as const;
export const XLSX_COLUMNS = ['日期', '凭证号', '摘要', '科目编码', '科目名称', '本系统科目编码', '本系统科目名称', '借方金额', '贷方金额', '金额(分,借正贷负)', '对方单位'] as const;

export interface AccountMapRow {
  ourCode: string;
  theirCode: string;
  theirName: string;
}

/** Our code → the hub's code and name, by the 科目对照 rules above. */
export function mapAccount(map: ReadonlyMap<string, AccountMapRow>, ourCode: string, ourName: string): { code: string; name: string } {
  const exact = map.get(ourCode);
  if (exact) return { code: exact.theirCode, name: exact.theirName || ourName };
  const level1 = map.get(ourCode.slice(0, 4));
  if (level1 && ourCode.length > 4) return { code: level1.theirCode + ourCode.slice(4), name: ourName };
  if (level1) return { code: level1.theirCode, name: level1.theirName || ourName };
  return { code: ourCode, name: ourName };
}

export async function readAccountMap(db: SnapshotReader): Promise<Map<string, AccountMapRow>> {
  const rows = await db.rows<[string, string, string]>('SELECT our_code, their_code, their_name FROM custody_account_map');
  return new Map(rows.map(([ourCode, theirCode, theirName]) => [ourCode, { ourCode, theirCode, theirName }]));
}

/** One account as the export writes it: our code and name, and the hub's (by the 科目对照). */
interface Account {
  ourCode: string;
  ourName: string;
  code: string;
  name: string;
}

/** The head of one voucher, shared by its lines. */
interface VoucherHead {
  id: string;
  date: string;
  seq: number;
  number: string;
  attachments: number;
  summary: string;
  counterparty: string;
  maker: string;
  approver: string;
  poster: string;
}

interface Line {
  acct: Account;
  /** Signed fen, debit > 0. */
  amountFen: number;
}

type Row = [string, string, number, string, number, string, string, string | null, string | null, string | null, string, number, string | null, string | null];

/**
 * The export's queries, shared with the benchmark's raw baseline (which reads the same rows the same way): the
 * posted lines of [from, to] (parameters from, to, from, to) with their voucher, in number order; the user names,
 * bank accounts and custody accounts the lines refer to, looked up in memory.
 */
export const VOUCHER_EXPORT_SQL = {
  lines: `SELECT v.id, v.date, v.seq, v.number, v.attachments, v.purpose, v.counterparty, v.maker_id, v.approver_id, v.poster_id,
              j.account_code, j.amount_fen, j.bank_account_id, j.org_id
         FROM custody_vouchers v
         JOIN custody_journal j ON j.voucher_id = v.id
        WHERE v.status = 'posted' AND v.seq IS NOT NULL AND v.period BETWEEN substr(?, 1, 7) AND substr(?, 1, 7) AND v.date BETWEEN ? AND ?
        ORDER BY v.period, v.seq, j.line_no`,
  users: 'SELECT id, display_name FROM users',
  banks: 'SELECT id, seq, holds, bank_name || name FROM custody_bank_accounts',
  orgAccount: 'SELECT a.seq, o.name FROM custody_accounts a LEFT JOIN organizations o ON o.id = a.org_id WHERE a.org_id = ?',
  /** Every custody account at once (one row per organization with one): the export's own lookup, on either engine. */
  orgAccounts: 'SELECT a.org_id, a.seq, o.name FROM custody_accounts a LEFT JOIN organizations o ON o.id = a.org_id',
} as const;

/**
 * Calls `onVoucher` with each posted voucher dated within [from, to] and its lines, in voucher-number order,
 * each checked to balance (the database guarantees it; the export refuses rather than write a voucher the other
 * software would reject). The `lines` array is reused from one voucher to the next. When `onVoucher` returns a
 * promise (its destination is behind) the scan waits: the connection is this export's own, so the open
 * statement may stay open meanwhile, and memory holds one voucher, not the year.
 */
async function eachVoucher(db: SnapshotReader, from: string, to: string, onVoucher: (v: VoucherHead, lines: readonly Line[]) => Promise<void> | void): Promise<void> {
  const map = await readAccountMap(db);
  const users = new Map((await db.rows<[string, string]>(VOUCHER_EXPORT_SQL.users)).map(([id, n]) => [id, n ?? '']));
  const banks = new Map(
    (await db.rows<[string, number, string, string]>(VOUCHER_EXPORT_SQL.banks)).map(([id, seq, holds, label]) => [id, { seq, holds: (holds ?? 'custody') as BankHolds, label: label ?? '' }]),
  );
  // One row per organization with a custody account (a hub has hundreds): read once, looked up per new account.
  const orgAccounts = new Map((await db.rows<[string, number, string | null]>(VOUCHER_EXPORT_SQL.orgAccounts)).map(([orgId, seq, name]) => [orgId, [seq, name] as const]));
  const accounts = new Map<string, Account>();
  const account = (code: string, bankId: string | null, orgId: string | null): Account => {
    const key = bankId !== null ? `b${bankId}` : orgId !== null ? `o${code}\u0000${orgId}` : `c${code}`;
    let a = accounts.get(key);
    if (a) return a;
    let ourCode = code;
    let ourName = accountByCode(code.slice(0, 4))?.name ?? code;
    const bank = bankId !== null ? banks.get(bankId) : undefined;
    const org = bank === undefined && orgId !== null ? orgAccounts.get(orgId) : undefined;
    if (bank) {
      ourCode = bankDetailCode(bank.seq, bank.holds);
      ourName = bankDetailName(bank.label, bank.holds);
    } else if (org) {
      ourCode = custodyDetailCode(code.slice(0, 4) as CustodyLiabilityCode, org[0]);
      ourName = custodyDetailName(code.slice(0, 4) as CustodyLiabilityCode, org[1] ?? '');
    }
    a = { ourCode, ourName, ...mapAccount(map, ourCode, ourName) };
    accounts.set(key, a);
    return a;
  };
  const scan = db.scan<Row>(VOUCHER_EXPORT_SQL.lines, [from, to, from, to]);
  let head: VoucherHead | null = null;
  const lines: Line[] = [];
  let sum = 0;
  const flush = () => {
    if (head === null) return;
    if (sum !== 0) throw fail.rule(`凭证 ${head.number} 借贷不平（差 ${formatFenPlain(sum)} 元），不能导出`);
    const p = onVoucher(head, lines);
    lines.length = 0;
    return p;
  };
  for await (const batch of scan) {
    for (const r of batch) {
      if (head === null || head.id !== r[0]) {
        const p = flush();
        if (p) await p;
        head = { id: r[0], date: r[1], seq: r[2], number: r[3], attachments: r[4], summary: r[5], counterparty: r[6], maker: users.get(r[7] ?? '') ?? '', approver: users.get(r[8] ?? '') ?? '', poster: users.get(r[9] ?? '') ?? '' };
        sum = 0;
      }
      sum += r[11];
      lines.push({ acct: account(r[10], r[12], r[13]), amountFen: r[11] });
    }
  }
  await flush();
}

/** A 用友 text field: no comma or line break inside, at most `bytes` bytes in GBK. */
export function yonyouField(text: string, bytes = 60): string {
  let s = text.replace(/,/g, '，').replace(/[\r\n]+/g, ' ').trim();
  // A UTF-16 unit is at most two bytes in GBK: short text needs no measuring.
  if (s.length * 2 <= bytes) return s;
  while (iconv.encode(s, 'gbk').length > bytes) s = s.slice(0, -1);
  return s;
}

/** `123450` → `1234.50`, `5` → `0.05` (a positive amount in fen as yuan text without grouping). */
function yuanText(fen: number): string {
  const cents = fen % 100;
  return `${(fen - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Where the export's bytes go, in order; `write` waits when the destination is behind. */
interface Sink {
  write(chunk: Buffer): Promise<void> | void;
}

/** Text collected and GBK-encoded a quarter-megabyte at a time. */
class GbkWriter {
  private text = '';
  private pending: Promise<void> | void = undefined;
  constructor(private readonly sink: Sink) {}
  async add(s: string): Promise<void> {
    this.text += s;
    if (this.text.length >= 262_144) await this.flush();
  }
  async flush(): Promise<void> {
    await this.pending;
    if (this.text) this.pending = this.sink.write(iconv.encode(this.text, 'gbk'));
    this.text = '';
  }
  async end(): Promise<void> {
    await this.flush();
    await this.pending;
  }
}

async function yonyouText(db: SnapshotReader, from: string, to: string, sink: Sink): Promise<{ lines: number }> {
  const out = new GbkWriter(sink);
  const checked = new Set<Account>();
  const makers = new Map<string, string>();
  let n = 0;
  await eachVoucher(db, from, to, async (v, lines) => {
    let maker = makers.get(v.maker);
    if (maker === undefined) makers.set(v.maker, (maker = yonyouField(v.maker, 20)));
    const prefix = `${v.date},${VOUCHER_WORD},${v.seq},${v.attachments},${yonyouField(v.summary)},`;
    const suffix = `,,,,${maker}\r\n`;
    let text = '';
    for (const l of lines) {
      if (!checked.has(l.acct)) {
        if (l.acct.code.length > 15) throw fail.rule(`科目编码 ${l.acct.code} 超过用友的 15 位，请在科目对照中改短`);
        checked.add(l.acct);
      }
      text += l.amountFen > 0 ? `${prefix}${l.acct.code},${yuanText(l.amountFen)},0${suffix}` : `${prefix}${l.acct.code},0,${yuanText(-l.amountFen)}${suffix}`;
    }
    n += lines.length;
    await out.add(text);
  });
  await out.end();
  return { lines: n };
}

type SheetJs = typeof import('@e965/xlsx');
async function sheetJs(): Promise<SheetJs> {
  const m = await import('@e965/xlsx');
  return (m as unknown as { default?: SheetJs }).default?.utils ? (m as unknown as { default: SheetJs }).default : m;
}

/** Lines on one sheet of an Excel 97-2003 file: 65,536 rows less the header. */
export const KINGDEE_SHEET_LINES = 65_535;

/** The sheet names of a 金蝶 file of `sheets` sheets: 凭证 alone, else 凭证1, 凭证2, … */
export function kingdeeSheetName(index: number, sheets: number): string {
  return sheets === 1 ? '凭证' : `凭证${index + 1}`;
}

async function kingdeeXls(db: SnapshotReader, from: string, to: string, sink: Sink, sheetLines = KINGDEE_SHEET_LINES): Promise<{ lines: number; sheets: number }> {
  // Sheets of at most `sheetLines` lines, cut between vouchers, written as BIFF8 records as they are read.
  const sheets: Biff8Sheet[] = [];
  let sheet: Biff8Sheet | null = null;
  const open = () => {
    sheet = new Biff8Sheet(String(sheets.length), KINGDEE_COLUMNS.length);
    sheets.push(sheet);
    const r = sheet.nextRow();
    KINGDEE_COLUMNS.forEach((c, i) => sheet!.text_(r, i, c));
    return sheet;
  };
  let n = 0;
  await eachVoucher(db, from, to, (v, lines) => {
    if (lines.length > sheetLines) throw fail.rule(`凭证 ${v.number} 有 ${lines.length} 行分录，超过金蝶 xls 一张表的 ${sheetLines} 行，不能导出`);
    let ws: Biff8Sheet = sheet ?? open();
    if (ws.rowCount - 1 + lines.length > sheetLines) ws = open();
    const date = excelSerial(v.date);
    for (const l of lines) {
      const r = ws.nextRow();
      ws.int(r, 0, date, XF_DATE);
      ws.text_(r, 1, VOUCHER_WORD);
      ws.int(r, 2, v.seq);
      ws.int(r, 3, v.attachments);
      ws.text_(r, 4, v.summary);
      ws.text_(r, 5, l.acct.code);
      ws.text_(r, 6, l.acct.name);
      ws.fen(r, 7, l.amountFen > 0 ? l.amountFen : 0);
      ws.fen(r, 8, l.amountFen < 0 ? -l.amountFen : 0);
      ws.text_(r, 9, 'RMB');
      ws.int(r, 10, 1);
      ws.int(r, 11, 0);
      ws.int(r, 12, 0);
      ws.text_(r, 13, v.maker);
      ws.text_(r, 14, v.approver);
      ws.text_(r, 15, v.poster);
    }
    n += lines.length;
  });
  if (sheets.length === 0) open();
  const sheetCount = sheets.length;
  sheets.forEach((s, i) => (s.name = kingdeeSheetName(i, sheetCount)));
  // The compound-file container around the workbook stream (SheetJS's CFB, as its own xls writer uses).
  const X = await sheetJs();
  const CFB = (X as unknown as { CFB: { utils: { cfb_new(o: object): unknown; cfb_add(c: unknown, path: string, data: Buffer): void }; write(c: unknown, o: object): Uint8Array } }).CFB;
  const cfb = CFB.utils.cfb_new({ root: 'R' });
  const chunks = biff8WorkbookStream(sheets);
  sheets.length = 0;
  const stream = Buffer.concat(chunks);
  chunks.length = 0;
  CFB.utils.cfb_add(cfb, '/Workbook', stream);
  const file = CFB.write(cfb, { type: 'buffer', fileType: 'cfb' });
  await sink.write(Buffer.isBuffer(file) ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  return { lines: n, sheets: sheetCount };
}

/** Columns of the plain xlsx: widths in characters. */
const XLSX_WIDTHS = [12, 17, 34, 14, 36, 14, 36, 15, 15, 18, 22];

/**
 * The plain workbook for people: 日期 as a date (yyyy-mm-dd), 借方金额/贷方金额 as numbers shown with two decimals
 * (#,##0.00; the other side empty), the signed amount in 分 as an integer, codes and names as text (each distinct
 * text once, in the shared strings; the voucher number, its own to each voucher, inline). A title row and the
 * header row stay frozen above the lines. The shared-string indexes of an account (both codes and names) are
 * looked up once per account, those of a voucher once per voucher; a line is then a dozen cell writes.
 */
async function plainXlsx(db: SnapshotReader, from: string, to: string, sink: Sink, sheetRows = XLSX_MAX_ROWS): Promise<{ lines: number; sheets: number }> {
  const x = new FlatXlsx(sink, { sheetName: '记账凭证', title: `记账凭证清单 ${from} 至 ${to}`, columns: XLSX_COLUMNS.map((header, i) => ({ header, width: XLSX_WIDTHS[i] })), creator: 'Incubase' });
  await x.sheet();
  // Shared-string index of a text, -1 for an empty text (no cell).
  const sst = (t: string) => (t === '' ? -1 : x.sst(t));
  const acctCells = new Map<Account, readonly [number, number, number, number]>();
  const serials = new Map<string, number>();
  let n = 0;
  await eachVoucher(db, from, to, async (v, lines) => {
    let serial = serials.get(v.date);
    if (serial === undefined) serials.set(v.date, (serial = excelSerial(v.date)));
    const number = v.number === '' ? null : x.inlineText(v.number);
    const summary = sst(v.summary);
    const counterparty = sst(v.counterparty);
    // A sheet holds 1,048,576 rows (title and header included): the next sheet starts between two vouchers.
    if (lines.length + 2 > sheetRows) throw fail.rule(`凭证 ${v.number} 有 ${lines.length} 行分录，超过一张工作表的行数，不能导出`);
    // (`lines` is the scan's array, emptied once this call returns its promise: keep a copy across the wait.)
    let these = lines;
    if (x.rows + lines.length > sheetRows) {
      these = lines.slice();
      await x.sheet();
    }
    for (const l of these) {
      let a = acctCells.get(l.acct);
      if (a === undefined) acctCells.set(l.acct, (a = [sst(l.acct.code), sst(l.acct.name), sst(l.acct.ourCode), sst(l.acct.ourName)]));
      const amt = l.amountFen;
      x.row();
      x.int(0, serial, STYLE.date);
      if (number !== null) x.inline(1, number);
      if (summary >= 0) x.shared(2, summary);
      if (a[0] >= 0) x.shared(3, a[0]);
      if (a[1] >= 0) x.shared(4, a[1]);
      if (a[2] >= 0) x.shared(5, a[2]);
      if (a[3] >= 0) x.shared(6, a[3]);
      if (amt > 0) x.fen(7, amt, STYLE.amount);
      else if (amt < 0) x.fen(8, -amt, STYLE.amount);
      x.int(9, amt);
      if (counterparty >= 0) x.shared(10, counterparty);
      x.endRow();
    }
    n += these.length;
    const behind = x.ready();
    if (behind) await behind;
  });
  const sheets = x.sheetCount;
  await x.end();
  return { lines: n, sheets };
}

export const EXPORT_FILE = {
  yonyou: { ext: 'txt', mimeType: 'text/plain; charset=gbk', label: '用友凭证引入' },
  kingdee: { ext: 'xls', mimeType: 'application/vnd.ms-excel', label: '金蝶凭证引入' },
  xlsx: { ext: 'xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: '记账凭证' },
} as const;

export interface VoucherExportResult {
  fileName: string;
  mimeType: string;
  /** Journal lines written. */
  lines: number;
  /** Sheets of the 金蝶 or xlsx file (1 for 用友 text). */
  sheets: number;
}

/** Sheet sizes, smaller than the formats' limits only in tests. */
export interface ExportOptions {
  /** Lines on one 金蝶 sheet (KINGDEE_SHEET_LINES). */
  kingdeeSheetLines?: number;
  /** Rows on one xlsx sheet, title and header included (XLSX_MAX_ROWS). */
  xlsxSheetRows?: number;
}

async function writeTo(source: string, format: VoucherExportFormat, from: string, to: string, sink: Sink, opts: ExportOptions): Promise<VoucherExportResult> {
  if (from > to) throw fail.validation('开始日期不能晚于结束日期', [{ path: 'from', message: '开始日期不能晚于结束日期' }]);
  const db = await openSnapshot(source);
  try {
    const r =
      format === 'yonyou'
        ? { ...(await yonyouText(db, from, to, sink)), sheets: 1 }
        : format === 'kingdee'
          ? await kingdeeXls(db, from, to, sink, opts.kingdeeSheetLines)
          : await plainXlsx(db, from, to, sink, opts.xlsxSheetRows);
    const f = EXPORT_FILE[format];
    return { fileName: `${f.label}_${from}_${to}.${f.ext}`, mimeType: f.mimeType, ...r };
  } finally {
    await db.close();
  }
}

/**
 * The export file of the posted vouchers dated within [from, to], in memory, read from `source`: the SQLite file's
 * path or the PostgreSQL URL (`snapshotSourceOf(core)`).
 */
export async function exportVoucherFile(source: string, format: VoucherExportFormat, from: string, to: string, opts: ExportOptions = {}): Promise<VoucherExportResult & { data: Buffer }> {
  const chunks: Buffer[] = [];
  const r = await writeTo(source, format, from, to, { write: (c) => void chunks.push(c) }, opts);
  return { ...r, data: Buffer.concat(chunks) };
}

/**
 * The same file written to `outPath` as it is produced (a temporary name, renamed when complete, so a refused or
 * failed export leaves no partial file behind).
 */
export async function writeVoucherExport(source: string, format: VoucherExportFormat, from: string, to: string, outPath: string, opts: ExportOptions = {}): Promise<VoucherExportResult> {
  const tmp = `${outPath}.part`;
  // A few megabytes may wait for the disk before the export is held back (the default 16 KB would stop zlib's
  // output at every chunk).
  const file: Writable = createWriteStream(tmp, { highWaterMark: 4 * 1024 * 1024 });
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  failed.catch(() => undefined);
  try {
    const r = await writeTo(source, format, from, to, { write: (c) => (file.write(c) ? undefined : Promise.race([once(file, 'drain').then(() => undefined), failed])) }, opts);
    file.end();
    await Promise.race([once(file, 'finish'), failed]);
    renameSync(tmp, outPath);
    return r;
  } catch (e) {
    file.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
}
