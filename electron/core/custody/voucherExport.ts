/**
 * Posted vouchers for the hub's general-ledger software, one row per journal line, in number order:
 * - `yonyou`: 用友 T3/U8 总账「凭证引入」text — comma-separated, GBK (the tools read the Windows ANSI code page of a
 *   Chinese system), CRLF, fields in the documented order 制单日期, 凭证类别字, 凭证号, 附单据数, 摘要, 科目编码,
 *   借方金额, 贷方金额, 数量, 外币, 汇率, 制单人. One side of the amounts is 0; no field may hold a comma, so a
 *   comma in a 摘要 becomes a full-width one; 摘要 is cut at 60 bytes (GBK) and 科目编码 must fit 15.
 * - `kingdee`: 金蝶 KIS「凭证引入」Excel — an Excel 97-2003 .xls (KIS reads it everywhere) with the columns 日期, 凭证字,
 *   凭证号, 附单据数, 摘要, 科目代码, 科目名称, 借方金额, 贷方金额, 币别, 汇率, 数量, 单价, 制单人, 审核人, 过账人;
 *   amounts are number cells in yuan with two decimals (KIS needs numbers; the value is fen / 100 exactly rounded).
 * - `xlsx`: a plain workbook for people — amounts as yuan text beside an integer 分 column, our codes and theirs.
 * Codes go through the hub's 科目对照 (custody_account_map): an exact row for our detail code, else a row for its
 * level-1 code, whose code replaces that prefix (2601 → 220101 turns 26010003 into 2201010003); else our own code.
 *
 * Streams the journal on its own read-only connection (like the package extract), one query for all rows.
 */
import iconv from 'iconv-lite';
import { accountByCode, bankDetailCode, bankDetailName, custodyDetailCode, custodyDetailName, type BankHolds, type CustodyLiabilityCode } from '@shared/custody/accounts';
import { VOUCHER_WORD } from '@shared/custody/voucher';
import { fail } from '@shared/errors';
import { fenToYuanText, formatFenPlain } from '@shared/money';
import { openSqlite, type SqliteHandle } from '../db/connection';

export const VOUCHER_EXPORT_FORMATS = ['yonyou', 'kingdee', 'xlsx'] as const;
export type VoucherExportFormat = (typeof VOUCHER_EXPORT_FORMATS)[number];

export const YONYOU_FIELDS = ['制单日期', '凭证类别字', '凭证号', '附单据数', '摘要', '科目编码', '借方金额', '贷方金额', '数量', '外币', '汇率', '制单人'] as const;
export const KINGDEE_COLUMNS = ['日期', '凭证字', '凭证号', '附单据数', '摘要', '科目代码', '科目名称', '借方金额', '贷方金额', '币别', '汇率', '数量', '单价', '制单人', '审核人', '过账人'] as const;
export const XLSX_COLUMNS = ['日期', '凭证号', '摘要', '科目编码', '科目名称', '本系统科目编码', '本系统科目名称', '借方金额', '贷方金额', '金额(分,借正贷负)', '对方单位'] as const;

export interface ExportLine {
  voucherId: string;
  date: string;
  seq: number;
  number: string;
  attachments: number;
  summary: string;
  counterparty: string;
  ourCode: string;
  ourName: string;
  code: string;
  name: string;
  /** Signed fen, debit > 0. */
  amountFen: number;
  maker: string;
  approver: string;
  poster: string;
}

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

export function readAccountMap(db: SqliteHandle): Map<string, AccountMapRow> {
  const rows = db.prepare('SELECT our_code, their_code, their_name FROM custody_account_map').all() as { our_code: string; their_code: string; their_name: string }[];
  return new Map(rows.map((r) => [r.our_code, { ourCode: r.our_code, theirCode: r.their_code, theirName: r.their_name }]));
}

/** Every line of the posted vouchers dated within [from, to], in voucher-number order, mapped to the hub's codes. */
export function* exportLines(db: SqliteHandle, from: string, to: string, map: ReadonlyMap<string, AccountMapRow> = readAccountMap(db)): Generator<ExportLine> {
  const stmt = db.prepare(
    `SELECT v.id, v.date, v.seq, v.number, v.attachments, v.purpose, v.counterparty, j.account_code, j.amount_fen,
            b.seq AS bank_seq, b.holds, b.bank_name || b.name AS bank_label, a.seq AS org_seq, o.name AS org_name,
            coalesce(mu.display_name, ''), coalesce(au.display_name, ''), coalesce(pu.display_name, '')
       FROM custody_vouchers v
       JOIN custody_journal j ON j.voucher_id = v.id
       LEFT JOIN custody_bank_accounts b ON b.id = j.bank_account_id
       LEFT JOIN custody_accounts a ON a.org_id = j.org_id
       LEFT JOIN organizations o ON o.id = j.org_id
       LEFT JOIN users mu ON mu.id = v.maker_id
       LEFT JOIN users au ON au.id = v.approver_id
       LEFT JOIN users pu ON pu.id = v.poster_id
      WHERE v.status = 'posted' AND v.period BETWEEN substr(?, 1, 7) AND substr(?, 1, 7) AND v.date BETWEEN ? AND ?
      ORDER BY v.period, v.seq, j.line_no`,
  );
  type Row = [string, string, number, string, number, string, string, string, number, number | null, string | null, string | null, number | null, string | null, string, string, string];
  // Names repeat: one mapping per distinct account.
  const cache = new Map<string, { ourCode: string; ourName: string; code: string; name: string }>();
  for (const r of stmt.raw().iterate(from, to, from, to) as Iterable<Row>) {
    const [id, date, seq, number, attachments, purpose, counterparty, accountCode, amount, bankSeq, holds, bankLabel, orgSeq, orgName, maker, approver, poster] = r;
    const key = bankSeq !== null ? `b${bankSeq}${holds}${bankLabel}` : orgSeq !== null ? `o${accountCode}${orgSeq}${orgName}` : `c${accountCode}`;
    let acct = cache.get(key);
    if (!acct) {
      let ourCode = accountCode;
      let ourName = accountByCode(accountCode.slice(0, 4))?.name ?? accountCode;
      if (bankSeq !== null) {
        ourCode = bankDetailCode(bankSeq, (holds ?? 'custody') as BankHolds);
        ourName = bankDetailName(bankLabel ?? '', (holds ?? 'custody') as BankHolds);
      } else if (orgSeq !== null) {
        ourCode = custodyDetailCode(accountCode.slice(0, 4) as CustodyLiabilityCode, orgSeq);
        ourName = custodyDetailName(accountCode.slice(0, 4) as CustodyLiabilityCode, orgName ?? '');
      }
      acct = { ourCode, ourName, ...mapAccount(map, ourCode, ourName) };
      cache.set(key, acct);
    }
    yield { voucherId: id, date, seq, number, attachments, summary: purpose, counterparty, ...acct, amountFen: amount, maker, approver, poster };
  }
}

/**
 * Lines grouped by voucher, each voucher checked to balance before it is written (the database guarantees it;
 * the export refuses rather than write a voucher the other software would reject).
 */
function* balancedVouchers(lines: Iterable<ExportLine>): Generator<ExportLine[]> {
  let cur: ExportLine[] = [];
  const flush = () => {
    const sum = cur.reduce((s, l) => s + l.amountFen, 0);
    if (sum !== 0) throw fail.rule(`凭证 ${cur[0].number} 借贷不平（差 ${formatFenPlain(sum)} 元），不能导出`);
  };
  for (const l of lines) {
    if (cur.length && cur[0].voucherId !== l.voucherId) {
      flush();
      yield cur;
      cur = [];
    }
    cur.push(l);
  }
  if (cur.length) {
    flush();
    yield cur;
  }
}

/** A 用友 text field: no comma or line break inside, at most `bytes` bytes in GBK. */
export function yonyouField(text: string, bytes = 60): string {
  let s = text.replace(/,/g, '，').replace(/[\r\n]+/g, ' ').trim();
  while (iconv.encode(s, 'gbk').length > bytes) s = s.slice(0, -1);
  return s;
}

function yonyouText(vouchers: Iterable<ExportLine[]>): Buffer {
  const out: string[] = [];
  for (const v of vouchers) {
    for (const l of v) {
      if (l.code.length > 15) throw fail.rule(`科目编码 ${l.code} 超过用友的 15 位，请在科目对照中改短`);
      const debit = l.amountFen > 0 ? fenToYuanText(l.amountFen) : '0';
      const credit = l.amountFen < 0 ? fenToYuanText(-l.amountFen) : '0';
      out.push([l.date, VOUCHER_WORD, String(l.seq), String(l.attachments), yonyouField(l.summary), l.code, debit, credit, '', '', '', yonyouField(l.maker, 20)].join(','));
    }
  }
  return iconv.encode(out.length ? `${out.join('\r\n')}\r\n` : '', 'gbk');
}

type SheetJs = typeof import('@e965/xlsx');
async function sheetJs(): Promise<SheetJs> {
  const m = await import('@e965/xlsx');
  return (m as unknown as { default?: SheetJs }).default?.utils ? (m as unknown as { default: SheetJs }).default : m;
}

/** Days since 1899-12-30: an Excel date serial for a business date. */
function excelSerial(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

async function kingdeeXls(vouchers: Iterable<ExportLine[]>): Promise<Buffer> {
  const X = await sheetJs();
  const rows: unknown[][] = [[...KINGDEE_COLUMNS]];
  for (const v of vouchers) {
    for (const l of v) {
      rows.push([
        excelSerial(l.date),
        VOUCHER_WORD,
        l.seq,
        l.attachments,
        l.summary,
        l.code,
        l.name,
        l.amountFen > 0 ? l.amountFen / 100 : 0,
        l.amountFen < 0 ? -l.amountFen / 100 : 0,
        'RMB',
        1,
        0,
        0,
        l.maker,
        l.approver,
        l.poster,
      ]);
    }
  }
  // An Excel 97-2003 sheet holds 65,536 rows: refuse rather than write a file that silently loses lines.
  if (rows.length > 65_536) throw fail.rule(`金蝶 xls 文件每张表最多 65535 行分录，本期间有 ${rows.length - 1} 行，请缩短日期范围分批导出`);
  const ws = X.utils.aoa_to_sheet(rows);
  // Dates as date cells, amounts with two decimals.
  for (let r = 1; r < rows.length; r++) {
    const d = ws[X.utils.encode_cell({ r, c: 0 })];
    if (d) d.z = 'yyyy-mm-dd';
    for (const c of [7, 8]) {
      const cell = ws[X.utils.encode_cell({ r, c })];
      if (cell) cell.z = '0.00';
    }
  }
  const wb = X.utils.book_new();
  X.utils.book_append_sheet(wb, ws, '凭证');
  return Buffer.from(X.write(wb, { type: 'buffer', bookType: 'biff8' }) as Uint8Array);
}

async function plainXlsx(vouchers: Iterable<ExportLine[]>, from: string, to: string): Promise<Buffer> {
  const X = await sheetJs();
  const rows: unknown[][] = [[`记账凭证清单 ${from} 至 ${to}`], [...XLSX_COLUMNS]];
  for (const v of vouchers) {
    for (const l of v) {
      rows.push([
        l.date,
        l.number,
        l.summary,
        l.code,
        l.name,
        l.ourCode,
        l.ourName,
        l.amountFen > 0 ? formatFenPlain(l.amountFen) : '',
        l.amountFen < 0 ? formatFenPlain(-l.amountFen) : '',
        l.amountFen,
        l.counterparty,
      ]);
    }
  }
  const ws = X.utils.aoa_to_sheet(rows);
  ws['!cols'] = [12, 17, 34, 14, 36, 14, 36, 15, 15, 18, 22].map((wch) => ({ wch }));
  const wb = X.utils.book_new();
  X.utils.book_append_sheet(wb, ws, '记账凭证');
  return Buffer.from(X.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array);
}

export const EXPORT_FILE = {
  yonyou: { ext: 'txt', mimeType: 'text/plain; charset=gbk', label: '用友凭证引入' },
  kingdee: { ext: 'xls', mimeType: 'application/vnd.ms-excel', label: '金蝶凭证引入' },
  xlsx: { ext: 'xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: '记账凭证' },
} as const;

/** The export file of the posted vouchers dated within [from, to], read from the database file at `dbPath`. */
export async function exportVoucherFile(dbPath: string, format: VoucherExportFormat, from: string, to: string): Promise<{ fileName: string; mimeType: string; data: Buffer }> {
  if (from > to) throw fail.validation('开始日期不能晚于结束日期', [{ path: 'from', message: '开始日期不能晚于结束日期' }]);
  const db = openSqlite(dbPath, { readonly: true });
  try {
    db.prepare('BEGIN').run();
    const vouchers = balancedVouchers(exportLines(db, from, to));
    const data = format === 'yonyou' ? yonyouText(vouchers) : format === 'kingdee' ? await kingdeeXls(vouchers) : await plainXlsx(vouchers, from, to);
    db.prepare('COMMIT').run();
    const f = EXPORT_FILE[format];
    return { fileName: `${f.label}_${from}_${to}.${f.ext}`, mimeType: f.mimeType, data };
  } finally {
    db.close();
  }
}
