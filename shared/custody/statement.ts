/**
 * Bank statements: how the big Chinese banks lay out their exports, and a pure normalizer from table rows (as
 * read from CSV/xlsx, header rows above the table included) to statement lines in integer fen.
 *
 * Sign convention of a line: from the hub's point of view, money in (贷方发生额/收入) is positive and money
 * out (借方发生额/支出) negative — on a customer's statement the bank writes its own books' sides.
 */
import type { ErrorIssue } from '../errors';
import { parseYuanCell } from '../money';
import { parseBusinessDate } from '../dates/parse';
import { normalizeHeader, normalizeName, normalizeText } from '../text/normalize';

export const STATEMENT_FIELDS = [
  'date',
  'debit',
  'credit',
  'amount',
  'direction',
  'balance',
  'counterpartyName',
  'counterpartyAccount',
  'payerName',
  'payerAccount',
  'payeeName',
  'payeeAccount',
  'summary',
  'purpose',
  'serial',
] as const;
export type StatementField = (typeof STATEMENT_FIELDS)[number];

export const STATEMENT_FIELD_LABELS: Record<StatementField, string> = {
  date: '交易日期',
  debit: '支出(借方)金额',
  credit: '收入(贷方)金额',
  amount: '交易金额',
  direction: '借贷标志',
  balance: '余额',
  counterpartyName: '对方户名',
  counterpartyAccount: '对方账号',
  payerName: '付款人名称',
  payerAccount: '付款人账号',
  payeeName: '收款人名称',
  payeeAccount: '收款人账号',
  summary: '摘要',
  purpose: '用途/附言',
  serial: '交易流水号',
};

/**
 * How amounts are laid out: two columns (支出/收入 or 借方/贷方发生额), one signed column, or one unsigned
 * column with a 借/贷 flag beside it.
 */
export type AmountMode = 'split' | 'signed' | 'direction';

export interface BankFormat {
  id: string;
  name: string;
  amountMode: AmountMode;
  /** Header titles per field, in order of preference, compared after normalization (see `headerKey`). */
  columns: Partial<Record<StatementField, readonly string[]>>;
  /** Values of the direction column meaning money out / money in. */
  directionValues?: { out: readonly string[]; in: readonly string[] };
  /** Header titles only this bank uses, to tell formats apart when detecting. */
  signature?: readonly string[];
}

const DIRECTION_DEFAULT = { out: ['借', '借方', 'D', 'DR', '支出', '付', '-'], in: ['贷', '贷方', 'C', 'CR', '收入', '收', '+'] };

const COMMON = {
  balance: ['余额', '账户余额', '交易后余额', '本次余额', '当前余额', '联机余额'],
  counterpartyName: ['对方户名', '对方账户名称', '对方单位名称', '对方单位', '对方名称', '对方账户名', '收/付方名称'],
  counterpartyAccount: ['对方账号', '对方账户', '对方账户账号', '收/付方账号'],
  summary: ['摘要', '交易摘要', '交易类型'],
  purpose: ['用途', '交易用途', '附言', '备注', '交易附言'],
  serial: ['交易流水号', '流水号', '账户明细编号-交易流水号', '会计流水号', '日志号', '凭证号', '交易参考号'],
} satisfies Partial<Record<StatementField, string[]>>;

/** The formats built in. Headers are those the banks' corporate online banking exports are known to use. */
export const BANK_FORMATS: readonly BankFormat[] = [
  {
    id: 'icbc',
    name: '工商银行',
    amountMode: 'split',
    columns: {
      ...COMMON,
      date: ['交易日期', '交易时间', '记账日期', '入账日期'],
      debit: ['借方发生额', '借方金额', '支出金额', '转出金额'],
      credit: ['贷方发生额', '贷方金额', '收入金额', '转入金额'],
      counterpartyName: ['对方单位名称', '对方户名', '对方账户名称', '对方单位'],
      serial: ['交易流水号', '凭证号', '流水号'],
    },
    signature: ['对方单位名称', '个性化信息', '本方账号'],
  },
  {
    id: 'abc',
    name: '农业银行',
    amountMode: 'split',
    columns: {
      ...COMMON,
      date: ['交易日期', '交易时间', '记账日期'],
      debit: ['支出金额', '借方发生额', '支出'],
      credit: ['收入金额', '贷方发生额', '收入'],
      purpose: ['交易用途', '用途', '附言', '备注'],
      serial: ['交易流水号', '日志号', '流水号'],
    },
    signature: ['交易用途', '本次余额', '日志号', '对方开户行'],
  },
  {
    id: 'ccb',
    name: '建设银行',
    amountMode: 'split',
    columns: {
      ...COMMON,
      date: ['记账日期', '交易时间', '交易日期'],
      debit: ['借方发生额', '支出金额'],
      credit: ['贷方发生额', '收入金额'],
      purpose: ['备注', '用途', '附言'],
      serial: ['账户明细编号-交易流水号', '交易流水号', '流水号'],
    },
    signature: ['账户明细编号-交易流水号', '对方开户机构', '企业流水号'],
  },
  {
    id: 'boc',
    name: '中国银行',
    amountMode: 'signed',
    columns: {
      ...COMMON,
      date: ['交易日期', '记账日期'],
      amount: ['交易金额', '发生额'],
      balance: ['交易后余额', '余额', '账户余额'],
      payerName: ['付款人名称'],
      payerAccount: ['付款人账号'],
      payeeName: ['收款人名称'],
      payeeAccount: ['收款人账号'],
      serial: ['交易流水号', '流水号'],
    },
    signature: ['付款人名称', '收款人名称', '交易后余额', '起息日期'],
  },
  {
    id: 'bocom',
    name: '交通银行',
    amountMode: 'direction',
    columns: {
      ...COMMON,
      date: ['交易日期', '记账日期', '交易时间'],
      amount: ['发生额', '交易金额', '金额'],
      direction: ['借贷标志', '借贷方向', '借贷', '借贷标识', '收支标志'],
      serial: ['会计流水号', '流水号', '交易流水号'],
    },
    directionValues: DIRECTION_DEFAULT,
    signature: ['借贷标志', '会计流水号'],
  },
  {
    id: 'psbc',
    name: '邮储银行',
    amountMode: 'split',
    columns: {
      ...COMMON,
      date: ['交易日期', '记账日期', '交易时间'],
      debit: ['支出金额', '借方发生额', '支出'],
      credit: ['收入金额', '贷方发生额', '收入'],
      purpose: ['附言', '用途', '备注'],
    },
    signature: ['交易渠道', '附言'],
  },
];

/**
 * Any other bank (a 农商银行, 村镇银行, 城商行…): the column names banks use for each field, wider than any one
 * bank's, tried when no built-in format fits — two amount columns first, then one with a 借/贷 flag, then one
 * signed column. A file none of them reads is mapped once by the user (and the mapping remembered per hub).
 */
const SYNONYMS = {
  ...COMMON,
  date: ['交易日期', '记账日期', '入账日期', '交易时间', '日期', '发生日期', '账务日期', '会计日期', '记账时间', '交易日'],
  debit: ['支出金额', '支取金额', '借方金额', '借方发生额', '付出金额', '转出金额', '取款金额', '付款金额', '支出', '支取', '付出', '借方', '借'],
  credit: ['收入金额', '存入金额', '贷方金额', '贷方发生额', '转入金额', '存款金额', '收款金额', '收入', '存入', '贷方', '贷'],
  amount: ['交易金额', '发生额', '金额', '发生金额'],
  direction: ['借贷标志', '借贷方向', '收支标志', '收付标志', '借贷标识', '借贷', '收支方向', '方向'],
  balance: ['余额', '账户余额', '交易后余额', '本次余额', '当前余额', '联机余额', '结余', '结余金额', '余额金额'],
  counterpartyName: [...COMMON.counterpartyName, '交易对手', '对手户名', '对手名称', '对方账户户名', '对方户名称'],
  counterpartyAccount: [...COMMON.counterpartyAccount, '对手账号', '对方卡号'],
} satisfies Partial<Record<StatementField, string[]>>;

export const SYNONYM_FORMATS: readonly BankFormat[] = [
  { id: 'syn-split', name: '其他银行(按常见列名识别:收入、支出两列)', amountMode: 'split', columns: SYNONYMS },
  { id: 'syn-direction', name: '其他银行(按常见列名识别:金额 + 借贷标志)', amountMode: 'direction', columns: SYNONYMS, directionValues: DIRECTION_DEFAULT },
  { id: 'syn-signed', name: '其他银行(按常见列名识别:一列金额)', amountMode: 'signed', columns: SYNONYMS },
];

/** The synonym format that reads a file's header, or null. */
export function detectBySynonyms(rows: readonly (readonly unknown[])[]): BankFormat | null {
  for (const format of SYNONYM_FORMATS) if (findHeaderRow(rows, format)) return format;
  return null;
}

export function bankFormatById(id: string): BankFormat | undefined {
  return BANK_FORMATS.find((f) => f.id === id) ?? SYNONYM_FORMATS.find((f) => f.id === id);
}

/**
 * A mapping the user builds for any other bank: one header title per field. Saved and reused like a built-in.
 */
export interface GenericMapping {
  name: string;
  amountMode: AmountMode;
  columns: Partial<Record<StatementField, string>>;
  directionValues?: { out: readonly string[]; in: readonly string[] };
}

export function formatFromMapping(m: GenericMapping): BankFormat {
  const columns: Partial<Record<StatementField, readonly string[]>> = {};
  for (const f of STATEMENT_FIELDS) {
    const title = m.columns[f];
    if (title && title.trim()) columns[f] = [title];
  }
  return { id: 'generic', name: m.name, amountMode: m.amountMode, columns, directionValues: m.directionValues ?? DIRECTION_DEFAULT };
}

/** A header cell in comparable form: half-width, no blanks, without `(元)`/`（支取）`/`[ Trade Amount ]` suffixes. */
export function headerKey(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  return normalizeHeader(String(cell))
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(/[:：]$/, '')
    .toLowerCase();
}

export function requiredFields(mode: AmountMode): StatementField[] {
  if (mode === 'split') return ['date', 'debit', 'credit'];
  if (mode === 'signed') return ['date', 'amount'];
  return ['date', 'amount', 'direction'];
}

export type ColumnMap = Partial<Record<StatementField, number>>;

/** Resolve the fields of a format against one header row. */
export function resolveColumns(header: readonly unknown[], format: BankFormat): ColumnMap {
  const keys = header.map(headerKey);
  const used = new Set<number>();
  const out: ColumnMap = {};
  for (const field of STATEMENT_FIELDS) {
    const titles = format.columns[field];
    if (!titles) continue;
    for (const t of titles) {
      const want = headerKey(t);
      const idx = keys.findIndex((k, i) => k === want && !used.has(i));
      if (idx >= 0) {
        out[field] = idx;
        used.add(idx);
        break;
      }
    }
  }
  return out;
}

const HEADER_SCAN_ROWS = 40;

/** The first row (0-based) within the first 40 where every required field of the format is found. */
export function findHeaderRow(rows: readonly (readonly unknown[])[], format: BankFormat): { index: number; columns: ColumnMap } | null {
  const need = requiredFields(format.amountMode);
  for (let i = 0; i < Math.min(rows.length, HEADER_SCAN_ROWS); i++) {
    const columns = resolveColumns(rows[i] ?? [], format);
    if (need.every((f) => columns[f] !== undefined)) return { index: i, columns };
  }
  return null;
}

/** Suggest the built-in format that fits a file best: all required columns found, then most columns, then signature. */
export function detectBankFormat(rows: readonly (readonly unknown[])[]): BankFormat | null {
  let best: { format: BankFormat; score: number } | null = null;
  for (const format of BANK_FORMATS) {
    const found = findHeaderRow(rows, format);
    if (!found) continue;
    const keys = new Set((rows[found.index] ?? []).map(headerKey));
    const signature = (format.signature ?? []).filter((s) => keys.has(headerKey(s))).length;
    const score = Object.keys(found.columns).length + signature * 2;
    if (!best || score > best.score) best = { format, score };
  }
  return best?.format ?? null;
}

export interface StatementLine {
  /** 1-based row number in the file, for messages. */
  row: number;
  date: string;
  /** Signed fen: + money in, - money out. Never 0. */
  amountFen: number;
  balanceFen: number | null;
  counterpartyName: string;
  counterpartyAccount: string;
  summary: string;
  serial: string;
  /** Stable across re-imports of the same statement; distinct for two identical payments in one file. */
  dedupeKey: string;
}

export interface NormalizeResult {
  /** 0-based index of the header row, or -1 when not found. */
  headerRow: number;
  columns: ColumnMap;
  lines: StatementLine[];
  issues: ErrorIssue[];
  /** Rows passed over as not being transactions (blank, 合计, footer text), with the reason. */
  skipped: { row: number; reason: string }[];
}

const TOTAL_ROW = /^(本页)?(合计|总计|小计|累计|本月合计|本期合计|承前页|过次页)/;
/** Footer cells below a statement (打印日期：…, 经办人：…, 复核：…, 第 1 页), wherever in the row they stand. */
const FOOTER_CELL = /^(打印|制表|制单|经办|复核|审核|授权|柜员|记账员|操作员|主管|会计主管|盖章|签章|签字|银行盖章|业务专用章|注[:：]|说明[:：]|第\d+页|共\d+页|页码)/;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return '';
  return normalizeText(String(v));
}

function isEmptyCell(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return false;
  if (v instanceof Date) return false;
  const t = cellText(v);
  return t === '' || t === '-' || t === '--';
}

function parseDateCell(v: unknown): { ok: true; date: string } | { ok: false; reason: string } {
  const r = parseBusinessDate(v);
  if (r.ok) return r;
  // Some exports put date and time in one cell as "20260305 10:11:12", which the date parser does not take whole.
  if (typeof v === 'string') {
    const first = normalizeText(v).split(' ')[0];
    if (first && first !== v.trim()) {
      const again = parseBusinessDate(first);
      if (again.ok) return again;
    }
  }
  return r;
}

function parseAmount(v: unknown): { ok: true; fen: number } | { ok: false; error: string } {
  return parseYuanCell(typeof v === 'string' ? v : v);
}

/**
 * Turn the rows of an exported statement into lines. Every problem is reported with its 1-based row and the
 * column title as found in the file; the caller writes nothing when `issues` is not empty unless the user chose
 * to import the valid rows only.
 */
const NO_CELLS: unknown[] = [];

export function normalizeStatement(
  rows: readonly (readonly unknown[])[],
  format: BankFormat,
  /** Row numbers as the user sees them, one per row (default: index + 1), for readers that drop empty rows. */
  rowNumbers?: readonly number[],
  /**
   * The caller's rows are let go one by one as they are read (each data row's array is replaced by an empty one;
   * the rows above the header stay): a 100,000-line file's cells and its lines are not both held whole.
   */
  how: { releaseRows?: boolean } = {},
): NormalizeResult {
  const found = findHeaderRow(rows, format);
  if (!found) {
    const need = requiredFields(format.amountMode)
      .map((f) => `${STATEMENT_FIELD_LABELS[f]}（${(format.columns[f] ?? []).join('/') || '未设置'}）`)
      .join('、');
    return {
      headerRow: -1,
      columns: {},
      lines: [],
      issues: [{ message: `没有找到${format.name}对账单的表头，需要这些列：${need}` }],
      skipped: [],
    };
  }
  const { index: headerIndex, columns } = found;
  const header = rows[headerIndex];
  const title = (f: StatementField) => cellText(header[columns[f]!]) || STATEMENT_FIELD_LABELS[f];
  const get = (row: readonly unknown[], f: StatementField): unknown => (columns[f] === undefined ? undefined : row[columns[f]!]);
  const text = (row: readonly unknown[], f: StatementField) => cellText(get(row, f));

  const lines: StatementLine[] = [];
  const issues: ErrorIssue[] = [];
  const skipped: { row: number; reason: string }[] = [];
  const directions = format.directionValues ?? DIRECTION_DEFAULT;
  const norm = (s: string) => s.trim().toUpperCase();
  const outSet = new Set(directions.out.map(norm));
  const inSet = new Set(directions.in.map(norm));

  const release = how.releaseRows ? (rows as unknown[][]) : null;
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    if (release) release[i] = NO_CELLS;
    const rowNo = rowNumbers?.[i] ?? i + 1;
    if (row.every(isEmptyCell)) {
      skipped.push({ row: rowNo, reason: '空行' });
      continue;
    }
    let firstText = '';
    for (let c = 0; c < row.length && firstText === ''; c++) firstText = cellText(row[c]);
    if (TOTAL_ROW.test(firstText.replace(/\s/g, ''))) {
      skipped.push({ row: rowNo, reason: '合计行' });
      continue;
    }
    const amountFields: StatementField[] = format.amountMode === 'split' ? ['debit', 'credit'] : ['amount'];
    const noAmount = amountFields.every((f) => isEmptyCell(get(row, f)));
    const dateCell = get(row, 'date');
    const rowIssues: ErrorIssue[] = [];
    const date = isEmptyCell(dateCell) ? null : parseDateCell(dateCell);
    if (noAmount && (date === null || !date.ok)) {
      // Footer text below the table (打印时间、经办人…) carries neither a date nor an amount.
      skipped.push({ row: rowNo, reason: '不是交易行' });
      continue;
    }
    if ((date === null || !date.ok) && row.every((c) => isEmptyCell(c) || FOOTER_CELL.test(cellText(c).replace(/\s/g, '')))) {
      // 打印日期/经办人/复核 spread over the cells below the table, under the amount columns too
      skipped.push({ row: rowNo, reason: '页脚' });
      continue;
    }
    if (date === null) rowIssues.push({ row: rowNo, path: title('date'), message: `第 ${rowNo} 行「${title('date')}」为空` });
    else if (!date.ok) rowIssues.push({ row: rowNo, path: title('date'), message: `第 ${rowNo} 行「${title('date')}」${date.reason}` });

    let amountFen: number | null = null;
    const amountIssue = (f: StatementField, msg: string) =>
      rowIssues.push({ row: rowNo, path: title(f), message: `第 ${rowNo} 行「${title(f)}」${msg}` });
    if (format.amountMode === 'split') {
      const parts: Record<'debit' | 'credit', number> = { debit: 0, credit: 0 };
      for (const f of ['debit', 'credit'] as const) {
        const v = get(row, f);
        if (isEmptyCell(v)) continue;
        const p = parseAmount(v);
        if (!p.ok) amountIssue(f, p.error);
        else if (p.fen < 0) amountIssue(f, '不应为负数（支出与收入分列时金额都写正数）');
        else parts[f] = p.fen;
      }
      if (parts.debit !== 0 && parts.credit !== 0) amountIssue('credit', '与支出金额同时有值，无法判断方向');
      else amountFen = parts.credit - parts.debit;
    } else {
      const p = isEmptyCell(get(row, 'amount')) ? null : parseAmount(get(row, 'amount'));
      if (p === null) amountIssue('amount', '为空');
      else if (!p.ok) amountIssue('amount', p.error);
      else if (format.amountMode === 'signed') amountFen = p.fen;
      else {
        const flag = norm(text(row, 'direction'));
        if (p.fen < 0) amountIssue('amount', '有借贷标志时金额应为正数');
        else if (outSet.has(flag)) amountFen = -p.fen;
        else if (inSet.has(flag)) amountFen = p.fen;
        else amountIssue('direction', flag === '' ? '为空' : `"${flag}" 无法识别（应为 借/贷）`);
      }
    }
    if (amountFen === 0 && rowIssues.length === 0) {
      skipped.push({ row: rowNo, reason: '金额为零' });
      continue;
    }

    let balanceFen: number | null = null;
    const balCell = get(row, 'balance');
    if (!isEmptyCell(balCell)) {
      const b = parseAmount(balCell);
      if (!b.ok) amountIssue('balance', b.error);
      else balanceFen = b.fen;
    }
    if (rowIssues.length > 0 || amountFen === null || !date || !date.ok) {
      issues.push(...rowIssues);
      continue;
    }

    let counterpartyName = normalizeName(text(row, 'counterpartyName'));
    let counterpartyAccount = text(row, 'counterpartyAccount').replace(/\s/g, '');
    if (!counterpartyName) {
      // 中国银行 lists payer and payee; the other party is the payer of money in and the payee of money out.
      counterpartyName = normalizeName(text(row, amountFen > 0 ? 'payerName' : 'payeeName'));
      counterpartyAccount = text(row, amountFen > 0 ? 'payerAccount' : 'payeeAccount').replace(/\s/g, '');
    }
    const summaryText = text(row, 'summary');
    const purpose = text(row, 'purpose');
    const summary = purpose === '' ? summaryText : summaryText === '' ? purpose : `${summaryText} ${purpose}`;
    lines.push({
      row: rowNo,
      date: date.date,
      amountFen,
      balanceFen,
      counterpartyName,
      counterpartyAccount,
      summary,
      serial: text(row, 'serial').replace(/\s/g, ''),
      dedupeKey: '',
    });
  }
  setDedupeKeys(lines);
  return { headerRow: headerIndex, columns, lines, issues, skipped };
}

/**
 * The dedupe key of each line. With a bank serial number: serial + date + amount; without one: date + amount +
 * counterparty + balance. Either way an occurrence index counts identical tuples within the file, so two equal
 * payments on one day stay two lines while the same file imported again yields the same keys.
 */
export function assignDedupeKeys<T extends Omit<StatementLine, 'dedupeKey'>>(lines: readonly T[]): (T & { dedupeKey: string })[] {
  const keys = dedupeKeysOf(lines);
  return lines.map((l, i) => ({ ...l, dedupeKey: keys[i] }));
}

/** The same keys written into the lines themselves (the import's 100,000 lines are not copied to carry them). */
export function setDedupeKeys(lines: StatementLine[]): void {
  const keys = dedupeKeysOf(lines);
  for (let i = 0; i < lines.length; i++) lines[i].dedupeKey = keys[i];
}

function dedupeKeysOf(lines: readonly Omit<StatementLine, 'dedupeKey'>[]): string[] {
  const keys: string[] = new Array(lines.length);
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    // joined, not concatenated: one flat string per key (a chain of concatenations is a tree of string nodes)
    const base = l.serial ? ['S', l.serial, l.date, l.amountFen].join('|') : ['D', l.date, l.amountFen, l.counterpartyName, l.balanceFen ?? ''].join('|');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    keys[i] = [base, n].join('|');
  }
  return keys;
}

/**
 * Check a statement's running balance: each line's balance should equal the previous balance plus its amount.
 * Returns the rows where it does not (a sign that rows were lost, doubled or the sign convention is wrong).
 */
export function checkRunningBalance(lines: readonly StatementLine[]): { row: number; expectedFen: number; actualFen: number }[] {
  const out: { row: number; expectedFen: number; actualFen: number }[] = [];
  let prev: number | null = null;
  for (const l of lines) {
    if (l.balanceFen === null) {
      prev = null;
      continue;
    }
    if (prev !== null && prev + l.amountFen !== l.balanceFen) out.push({ row: l.row, expectedFen: prev + l.amountFen, actualFen: l.balanceFen });
    prev = l.balanceFen;
  }
  return out;
}
