/**
 * The intake layer: reads one table from an imported file, whatever produced it, into header titles and rows of
 * raw cell values. Every importer (organizations, trainees, activities, venues, vouchers, bank statements,
 * sign-in sheets…) starts here; mapping cells to fields and validating them is the importer's job.
 *
 * The format is decided from the content, never from the extension (a ".xls" is often an HTML table or a CSV):
 * - ZIP → an xlsx/xlsm (Excel, WPS, LibreOffice, SheetJS, any producer) or an .ods workbook;
 * - OLE2 compound file → BIFF8 .xls (Excel 97-2003, China Construction Bank's portal, WPS .et);
 * - text starting with `<` → an HTML table saved as .xls, or Excel 2003 XML (SpreadsheetML);
 * - other text → CSV/TSV in UTF-8 (with or without BOM), UTF-16LE/BE (BOM or not) or GBK/GB18030.
 * Workbooks are read with SheetJS CE (`@e965/xlsx`, loaded on first use), which reads the whole zip through its
 * central directory, so the result never depends on the order of the zip entries (exceljs's streaming reader did:
 * a workbook written by SheetJS could read differently from run to run). Same file, same result.
 *
 * Tables as people make them: title/单位/blank rows above the header are skipped (the header is the first row
 * matching enough expected titles); a header over two or three rows with merged group cells gives one title per
 * column, `组·子` (`负责人·联系电话`); merged cells are filled with their value; footers (填表人/审核人/合计/打印日期…)
 * are recognized and left out (listed in `footerRows`); phonetic guides (拼音指南) are ignored and rich text
 * flattened; formulas give their cached values; `="…"` wrappers are removed; date-formatted numbers become dates
 * by the workbook's own date system (1900 or 1904).
 *
 * Budgets: the file's size, the zip's inflated size, rows, columns (`IMPORT_MAX_COLUMNS`) and reading time
 * are bounded; each refusal is an `AppError('VALIDATION')` with a Chinese message saying what is wrong with the
 * file. Row numbers are the ones the user sees (1-based sheet rows; for CSV the 1-based record number).
 */
import { open, readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { AppError } from '@shared/errors';
import { IMPORT_MAX_COLUMNS, IMPORT_MAX_ROWS, type TableFormat } from '@shared/importing/limits';
import { isBlank, normalizeHeader, normalizeText } from '@shared/text/normalize';
import { PDF_MAX_BYTES, PDF_MAX_PAGES, readPdfRows } from './readPdf';

/** A raw cell: text, a number, a date (date-formatted cells, UTC midnight of the day shown) or null when empty. Booleans arrive as 是/否. */
export type CellValue = string | number | Date | null;

export interface TableRow {
  /** Row number as the user sees it: the sheet row in Excel, the record number in a CSV file. */
  rowNumber: number;
  /** One value per column, aligned with `headers` (same length). */
  cells: CellValue[];
}

export interface Table {
  format: TableFormat;
  /** Text formats only: the detected encoding ('utf-8', 'utf-16le', 'utf-16be' or 'gb18030'). */
  encoding?: string;
  /** Workbooks only: the sheet that was read. */
  sheetName?: string;
  /** Row number of the (first) header row. */
  headerRowNumber: number;
  /** How many rows the header spans (1, or 2–3 for a header with merged group cells). */
  headerRowCount: number;
  /** Header titles, whitespace-normalized; a multi-row header gives `组·子`; '' for an empty title. */
  headers: string[];
  /** Data rows below the header; completely empty rows and footers are left out. */
  rows: TableRow[];
  /** The rows recognized as footers (填表人, 审核人, 合计, 打印日期…), not data. */
  footerRows: number[];
  /** The rows above the header (titles, 单位, account numbers of a bank statement…), as text. */
  preamble: string[];
  /** The workbook counts dates from 1904 (old Mac Excel): plain numbers in date columns are 1904 serials. */
  date1904: boolean;
}

export interface ReadTableOptions {
  /** Read this sheet instead of the first visible one (workbooks only). */
  sheetName?: string;
  /**
   * Titles (and aliases) the header row should contain. When given, the header row is the first row within
   * `headerSearchRows` whose cells match at least `minHeaderMatches` of them (compared with `normalizeHeader`,
   * so `*组织名称` and `组织名称（必填）` match `组织名称`). Without it, the first non-empty row is the header.
   */
  expectedHeaders?: readonly string[];
  /** Default: 2, or 1 when fewer than 2 titles are expected. */
  minHeaderMatches?: number;
  /** How many rows from the top may hold titles before the header (default 30). */
  headerSearchRows?: number;
  /** Refuse files with more data rows than this (default 200,000). */
  maxRows?: number;
  /** Refuse tables wider than this (default `IMPORT_MAX_COLUMNS`). */
  maxColumns?: number;
  /** Refuse files larger than this many bytes (default 100 MiB). */
  maxBytes?: number;
  /** Give up reading after this many milliseconds (default 120 s). */
  timeBudgetMs?: number;
  /** Look for a header over two or three rows (default true). */
  multiRowHeader?: boolean;
  /** Keep footers as data rows (default false). */
  keepFooters?: boolean;
  /** Read a PDF's text layer as a table (bank statements); otherwise a PDF is refused with a hint. */
  allowPdf?: boolean;
}

export type TableSource = { path: string; fileName?: string } | { buffer: Buffer | Uint8Array; fileName?: string };

const invalid = (message: string) => new AppError('VALIDATION', message);

const MAGIC_ZIP = [0x50, 0x4b, 0x03, 0x04];
const MAGIC_OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (head: Uint8Array, magic: number[]) => magic.every((b, i) => head[i] === b);

const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
/** A zip whose entries inflate to more than this is refused before it is inflated (a "zip bomb"). */
const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

export type DetectedKind = 'zip' | 'ole' | 'pdf' | 'text';

/** What the first bytes say the file is. */
export function detectKind(head: Uint8Array): DetectedKind {
  if (startsWith(head, MAGIC_ZIP)) return 'zip';
  if (startsWith(head, MAGIC_OLE)) return 'ole';
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return 'pdf';
  return 'text';
}

/** The bytes of a file path or buffer source, within the size budget. */
export async function sourceBytes(source: TableSource, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
  if ('path' in source) {
    let handle;
    try {
      handle = await open(source.path, 'r');
    } catch {
      throw invalid(`无法打开文件:${source.path}`);
    }
    try {
      const size = (await handle.stat()).size;
      if (size > maxBytes) throw invalid(`文件有 ${mb(size)},超过 ${mb(maxBytes)} 的上限,请拆分后分批导入`);
    } finally {
      await handle.close();
    }
    return readFile(source.path);
  }
  const buf = Buffer.from(source.buffer.buffer, source.buffer.byteOffset, source.buffer.byteLength);
  if (buf.byteLength > maxBytes) throw invalid(`文件有 ${mb(buf.byteLength)},超过 ${mb(maxBytes)} 的上限,请拆分后分批导入`);
  return buf;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** Reads a table from a file path or bytes. */
export async function readTable(source: TableSource, options: ReadTableOptions = {}): Promise<Table> {
  const bytes = await sourceBytes(source, options.maxBytes);
  const started = Date.now();
  const budget = new Budget(options.timeBudgetMs ?? 120_000, started);
  if (bytes.byteLength === 0) throw invalid('文件是空的');
  const kind = detectKind(bytes.subarray(0, 16));
  if (kind === 'pdf') {
    if (!options.allowPdf) throw invalid('这是 PDF 文件,请导入 Excel 工作簿或 CSV 表格(银行对账单的 PDF 请在对账单导入中选择)');
    if (bytes.byteLength > PDF_MAX_BYTES) throw invalid(`PDF 文件有 ${mb(bytes.byteLength)},超过 ${mb(PDF_MAX_BYTES)} 的上限,请按月份分批导出后再导入`);
    const rows = await readPdfRows(bytes, { maxPages: PDF_MAX_PAGES, check: () => budget.check() });
    return { format: 'pdf', date1904: false, ...shapeTable(rows, [], options, budget) };
  }
  if (kind === 'zip') {
    checkZipBudget(bytes);
    return readWorkbook(bytes, 'buffer', options, budget);
  }
  if (kind === 'ole') return readWorkbook(bytes, 'buffer', options, budget);
  try {
    return await readText(bytes, options, budget);
  } catch (e) {
    // the content decides how the file is read; a name that promised a workbook explains a refusal
    const ext = /\.([a-z0-9]{1,5})$/i.exec(source.fileName ?? ('path' in source ? source.path : ''))?.[1]?.toLowerCase();
    if (e instanceof AppError && ext && !['csv', 'txt', 'tsv', 'xls', 'et', 'htm', 'html', 'xml'].includes(ext)) {
      throw invalid(`${e.message}(文件名是 .${ext},但内容是文本而不是 ${ext === 'xlsx' || ext === 'xlsm' ? 'Excel 工作簿,文件可能已损坏' : `.${ext} 文件`};请导入 .xlsx/.xls 工作簿或 CSV 文件)`);
    }
    throw e;
  }
}

async function readText(bytes: Buffer, options: ReadTableOptions, budget: Budget): Promise<Table> {
  const decoded = decodeText(bytes);
  if (decoded.truncated) throw invalid('文件末尾的字符不完整,文件可能被截断(没有完整下载或保存),请重新导出后再导入');
  const text = decoded.text;
  if (text.includes('\u0000')) throw invalid('文件不是文本表格(含有二进制内容),请导入 .xlsx/.xls 工作簿或 CSV 文件');
  const start = text.slice(0, 4096).trimStart().toLowerCase();
  if (start.startsWith('<')) {
    const sample = text.slice(0, 1 << 20).toLowerCase();
    if (sample.includes('urn:schemas-microsoft-com:office:spreadsheet') && sample.includes('<workbook')) {
      return { ...(await readWorkbook(text, 'string', options, budget, 'xml')), encoding: decoded.encoding };
    }
    if (/<table[\s>]/.test(sample)) return { ...(await readWorkbook(text, 'string', options, budget, 'html')), encoding: decoded.encoding };
    throw invalid('该文件是网页(HTML/XML)格式,但其中没有表格;请用 Excel 或 WPS 打开后"另存为" .xlsx 再导入');
  }
  return readCsvText(text, decoded.encoding, options, budget);
}

class Budget {
  private readonly deadline: number;
  constructor(
    private readonly ms: number,
    started: number,
  ) {
    this.deadline = started + ms;
  }
  check(): void {
    if (Date.now() > this.deadline) throw invalid(`读取文件超过 ${Math.round(this.ms / 1000)} 秒仍未完成,文件可能过大或已损坏,请拆分后分批导入`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text decoding and CSV

/**
 * Decodes text bytes: a BOM decides (UTF-8, UTF-16LE/BE); UTF-16 without a BOM is recognized by its zero bytes;
 * otherwise strict UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK and GB2312, what Chinese
 * Excel and bank systems save). `truncated` says the bytes end inside a UTF-8 or UTF-16 character.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string; truncated?: boolean } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const body = buf.subarray(3);
    return { text: body.toString('utf8'), encoding: 'utf-8', truncated: endsInsideUtf8(body) };
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le', truncated: buf.length % 2 === 1 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be', truncated: buf.length % 2 === 1 };
  const utf16 = utf16WithoutBom(buf);
  if (utf16) return { text: iconv.decode(buf, utf16), encoding: utf16, truncated: buf.length % 2 === 1 };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    // valid UTF-8 up to a last character cut off: a truncated UTF-8 file, not GBK
    if (endsInsideUtf8(buf)) {
      const cut = utf8CompleteLength(buf);
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, cut));
        if (/[^\x00-\x7f]/.test(text)) return { text, encoding: 'utf-8', truncated: true };
      } catch {
        /* not UTF-8 at all */
      }
    }
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
  }
}

/** Length of the bytes up to the last complete UTF-8 character. */
function utf8CompleteLength(buf: Uint8Array): number {
  let i = buf.length - 1;
  while (i >= 0 && buf.length - i <= 4 && (buf[i] & 0xc0) === 0x80) i--;
  if (i < 0 || buf.length - i > 4) return buf.length;
  const lead = buf[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i < need ? i : buf.length;
}

const endsInsideUtf8 = (buf: Uint8Array) => utf8CompleteLength(buf) !== buf.length;

/** 'utf-16le'/'utf-16be' when some odd (or even) bytes of the start are zero and none of the others. */
function utf16WithoutBom(buf: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(buf.length - (buf.length % 2), 4096);
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) zeroEven++;
    if (buf[i + 1] === 0) zeroOdd++;
  }
  // UTF-8 and GB18030 text has no zero byte at all; UTF-16 has one in every ASCII character (delimiters, line
  // breaks, digits), always on the same side of the pair
  const pairs = n / 2;
  const need = Math.max(2, Math.floor(pairs / 50));
  // (a character such as U+4E00 or a surrogate like DC00 has a zero byte of its own, so a few are allowed)
  if (zeroOdd >= need && zeroEven <= zeroOdd / 8) return 'utf-16le';
  if (zeroEven >= need && zeroOdd <= zeroEven / 8) return 'utf-16be';
  return null;
}

/** Picks the delimiter that occurs most often (outside quotes) in the first lines: comma, tab or semicolon. */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, 64 * 1024);
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < sample.length && lines < 20; i++) {
    const ch = sample[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]++;
    else if (!inQuotes && ch === '\n') lines++;
  }
  const [best, count] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return count > 0 ? best : ',';
}

/**
 * RFC 4180 CSV: quoted fields may hold delimiters, doubled quotes and line breaks; records end with LF, CRLF or
 * CR. Returns records as arrays of strings. A quote left open at the end of the file is an error.
 */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): string[][] {
  // Field by field: an unquoted field is one slice of the text up to its delimiter or line break (building fields a
  // character at a time made a new string per character: a 100,000-line statement's garbage was hundreds of MB).
  const records: string[][] = [];
  const n = text.length;
  const delim = delimiter.charCodeAt(0);
  const QUOTE = 0x22;
  const EQ = 0x3d;
  const CR = 0x0d;
  const LF = 0x0a;
  let i = 0;
  const readQuoted = (): string => {
    // i is just after the opening quote
    const opened = records.length + 1;
    let out = '';
    let from = i;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q < 0) throw invalid(`CSV 文件第 ${opened} 行的引号没有闭合,文件可能不完整`);
      if (text.charCodeAt(q + 1) === QUOTE) {
        out += text.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      out += text.slice(from, q);
      i = q + 1;
      return out;
    }
  };
  const readField = (): string => {
    const c = text.charCodeAt(i);
    let field: string;
    if (c === QUOTE || (c === EQ && text.charCodeAt(i + 1) === QUOTE)) {
      // "…" — or ="0123", Excel's way of keeping leading zeros in a CSV: the field is the quoted text
      i += c === EQ ? 2 : 1;
      field = readQuoted();
    } else {
      const start = i;
      while (i < n) {
        const ch = text.charCodeAt(i);
        if (ch === delim || ch === CR || ch === LF) break;
        i++;
      }
      return cellString(start, i);
    }
    // text after a closing quote belongs to the field, as typed (a quote there is kept literally, as Excel does)
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === delim || ch === CR || ch === LF) break;
      if (ch === QUOTE && (field === '' || (field === '=' && text.charCodeAt(i - 1) === EQ))) {
        i++;
        field = readQuoted();
        continue;
      }
      field += text[i];
      i++;
    }
    return field;
  };
  // A column's recent values (a bank statement repeats its currency, branch, counterparties, 摘要 and dates line
  // after line): a field equal to one of them is that same string, compared in the text without slicing it.
  const RECENT = 8;
  let column = 0;
  const recent: string[][] = [];
  const cellString = (start: number, end: number): string => {
    const len = end - start;
    if (len === 0) return '';
    const seen = (recent[column] ??= []);
    for (let k = 0; k < seen.length; k++) {
      const v = seen[k];
      if (v.length === len && text.startsWith(v, start)) return v;
    }
    const v = text.slice(start, end);
    if (seen.length < RECENT) seen.push(v);
    else seen[(start + len) % RECENT] = v;
    return v;
  };
  let record: string[] = [];
  while (i < n) {
    column = record.length;
    const field = readField();
    if (i >= n) {
      // the last record, without a line break after it (an empty one — a lone "" — is no record)
      if (field !== '' || record.length > 0) records.push([...record, field]);
      return records;
    }
    record.push(field);
    const c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i >= n) {
        record.push('');
        records.push(record);
        return records;
      }
      continue;
    }
    records.push(record);
    record = [];
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
  }
  return records;
}

/** Removes Excel's `="…"` text wrapper (`="0123"` keeps leading zeros in CSV and HTML exports). */
export function unwrapFormulaText(text: string): string {
  const m = /^\s*="(.*)"\s*$/s.exec(text);
  return m ? m[1].replace(/""/g, '"') : text;
}

function readCsvText(text: string, encoding: string, options: ReadTableOptions, budget: Budget): Table {
  const records = parseCsv(text);
  budget.check();
  const lastRecordOpen = text.length > 0 && !/[\r\n]$/.test(text);
  const rows: RawRow[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    // the record's own array becomes the row's cells (a copy per record was 100,000 arrays of garbage)
    const cells: CellValue[] = records[i];
    const fields = cells.length;
    for (let c = 0; c < fields; c++) {
      const v = cells[c] as string;
      cells[c] = isBlank(v) ? null : v.charCodeAt(0) === 0x3d /* = */ ? unwrapFormulaText(v) : v;
    }
    rows[i] = { rowNumber: i + 1, cells, fields };
  }
  records.length = 0;
  const table = shapeTable(rows, [], options, budget);
  // A file cut off in the middle of its last record (a download or copy that stopped) ends without a line break
  // and its last record has fewer fields than the header: importing it would store a partial row silently.
  if (lastRecordOpen && table.rows.length > 0) {
    const last = table.rows[table.rows.length - 1];
    const raw = rows[rows.length - 1];
    const headerFields = rows.find((r) => r.rowNumber === table.headerRowNumber)?.fields ?? 0;
    if (last.rowNumber === raw.rowNumber && (raw.fields ?? 0) < headerFields) {
      throw invalid(`CSV 文件最后一行(第 ${raw.rowNumber} 行)只有 ${raw.fields} 列而表头有 ${headerFields} 列,且文件没有以换行结束:文件可能不完整(被截断),请重新导出后再导入`);
    }
  }
  return { format: 'csv', encoding, date1904: false, ...table };
}

// ---------------------------------------------------------------------------------------------------------------
// Workbooks (SheetJS)

interface RawRow {
  rowNumber: number;
  cells: CellValue[];
  /** CSV: how many fields the record had. */
  fields?: number;
}

interface Merge {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

type SheetJs = typeof import('@e965/xlsx');
let sheetJs: Promise<SheetJs> | null = null;
/** SheetJS is loaded on first use (a few megabytes the app does not need until someone imports a file). */
export function loadSheetJs(): Promise<SheetJs> {
  sheetJs ??= import('@e965/xlsx').then((m) => ((m as unknown as { default?: SheetJs }).default?.read ? (m as unknown as { default: SheetJs }).default : m));
  return sheetJs;
}

/** Checks a zip's central directory: entries that would inflate beyond the budget are refused before reading. */
function checkZipBudget(buf: Buffer): void {
  // End of central directory record: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  const from = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf[i] === 0x50 && buf[i + 1] === 0x4b && buf[i + 2] === 0x05 && buf[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalid('无法读取工作簿:文件已损坏或不完整(缺少 zip 目录),请重新导出后再导入');
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let k = 0; k < entries && p + 46 <= buf.length; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) break;
    total += buf.readUInt32LE(p + 24);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  if (total > MAX_INFLATED_BYTES) throw invalid(`工作簿解压后超过 ${mb(MAX_INFLATED_BYTES)},超出可导入的大小,请拆分后分批导入`);
}

const dateFormatCache = new Map<string, boolean>();
const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** An Excel serial (1900 or 1904 system) as a Date at UTC midnight of that day (plus the time of day, if any). */
export function excelSerialToDate(serial: number, date1904: boolean): Date | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return null;
  if (date1904) return new Date(EPOCH_1904 + Math.round(serial * DAY_MS));
  // 1900 system: serial 60 is the 1900-02-29 Lotus kept; serials below it are one day "late"
  if (serial < 1) return null;
  const s = serial < 60 ? serial + 1 : serial;
  return new Date(EPOCH_1900 + Math.round(s * DAY_MS));
}

interface SheetCell {
  t?: string;
  v?: unknown;
  z?: string | number;
}

async function readWorkbook(
  data: Buffer | string,
  type: 'buffer' | 'string',
  options: ReadTableOptions,
  budget: Budget,
  textFormat?: 'html' | 'xml',
): Promise<Table> {
  const XLSX = await loadSheetJs();
  const maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
  const searchRows = options.headerSearchRows ?? 30;
  const sheetRows = maxRows + searchRows + 200; // a footer block and blank rows fit
  let wb: import('@e965/xlsx').WorkBook;
  try {
    wb = XLSX.read(data, {
      type,
      dense: true,
      cellNF: true,
      cellText: false,
      cellHTML: false,
      cellStyles: false,
      cellFormula: false,
      bookVBA: false,
      raw: type === 'string', // HTML/XML cells stay text: an ID number or a 0-led phone is never made a number
      sheetRows,
      ...(options.sheetName ? { sheets: options.sheetName } : {}),
    } as never);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(why)) throw invalid('工作簿设置了打开密码(已加密),请在 Excel 或 WPS 中取消密码后再导入');
    throw invalid(`无法读取工作簿:文件已损坏或不是有效的 Excel/WPS 工作簿(${why.slice(0, 120)})`);
  }
  budget.check();
  const format: Table['format'] =
    textFormat ?? (Buffer.isBuffer(data) && startsWith(data, MAGIC_OLE) ? 'xls' : (wb as { bookType?: string }).bookType === 'ods' || isOds(data) ? 'ods' : 'xlsx');
  const names = wb.SheetNames ?? [];
  if (names.length === 0) throw invalid('工作簿中没有工作表,文件可能已损坏');
  let name: string | undefined;
  if (options.sheetName) {
    name = names.find((n) => normalizeText(n) === normalizeText(options.sheetName!));
    if (!name || !wb.Sheets[name]) {
      // the sheets option reads only the wanted sheet; list the others by name
      throw invalid(`工作簿中没有名为"${options.sheetName}"的工作表(现有:${names.join('、')})`);
    }
  } else {
    const meta = wb.Workbook?.Sheets ?? [];
    name = names.find((n, i) => !(meta[i]?.Hidden ?? 0) && wb.Sheets[n]);
    if (!name) throw invalid('工作簿中没有可见的工作表');
  }
  const ws = wb.Sheets[name] as unknown as { '!data'?: (SheetCell[] | undefined)[]; '!merges'?: Merge[]; '!fullref'?: string; '!ref'?: string };
  if (ws['!fullref'] && ws['!ref'] && ws['!fullref'] !== ws['!ref']) {
    const full = XLSX.utils.decode_range(ws['!fullref']);
    if (full.e.r + 1 > sheetRows) throw invalid(`工作表"${name}"超过 ${maxRows} 行,请拆分后分批导入`);
  }
  const date1904 = !!(wb.Workbook?.WBProps as { date1904?: boolean } | undefined)?.date1904;
  const isDate = (z: string | number | undefined): boolean => {
    if (z === undefined || z === 'General' || z === 'general' || z === '@') return false;
    const key = String(z);
    let d = dateFormatCache.get(key);
    if (d === undefined) {
      d = typeof z === 'number' ? (XLSX.SSF.is_date(XLSX.SSF.get_table()[z] ?? '') as boolean) : (XLSX.SSF.is_date(key) as boolean);
      dateFormatCache.set(key, d);
    }
    return d;
  };
  const data2 = ws['!data'] ?? [];
  const rows: RawRow[] = [];
  for (let r = 0; r < data2.length; r++) {
    const src = data2[r];
    if (!src) continue;
    const cells: CellValue[] = new Array(src.length);
    let any = false;
    for (let c = 0; c < src.length; c++) {
      const cell = src[c];
      let v: CellValue = null;
      if (cell) {
        switch (cell.t) {
          case 's':
          case 'str': {
            const s = cell.v == null ? '' : String(cell.v);
            v = isBlank(s) ? null : s.charCodeAt(0) === 0x3d || s.charCodeAt(0) === 0x20 ? unwrapFormulaText(s) : s;
            if (v === '') v = null;
            break;
          }
          case 'n': {
            const n = cell.v as number;
            if (typeof n === 'number' && Number.isFinite(n)) v = isDate(cell.z) ? (excelSerialToDate(n, date1904) ?? n) : n;
            break;
          }
          case 'b':
            v = cell.v ? '是' : '否';
            break;
          case 'd': {
            const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
            v = Number.isNaN(d.getTime()) ? null : d;
            break;
          }
          default:
            v = null; // errors (#N/A…) and stubs
        }
      }
      if (v !== null) any = true;
      cells[c] = v;
    }
    if (!any) continue;
    rows.push({ rowNumber: r + 1, cells });
    if ((r & 4095) === 0) budget.check();
  }
  const table = shapeTable(rows, ws['!merges'] ?? [], options, budget);
  return { format, sheetName: name, date1904, ...table };
}

function isOds(data: Buffer | string): boolean {
  return Buffer.isBuffer(data) && data.subarray(30, 100).toString('latin1').includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet');
}

// ---------------------------------------------------------------------------------------------------------------
// Header detection and shaping

/**
 * Index (into `rows`) of the header row: the first row within `searchRows` matching at least `minMatches` of the
 * expected titles, or -1. Exported for importers that read rows some other way.
 */
export function findHeaderRow(rows: readonly { cells: readonly CellValue[] }[], expected: readonly string[], minMatches: number, searchRows = 30): number {
  const wanted = new Set(expected.map((h) => normalizeHeader(h)).filter(Boolean));
  for (let i = 0; i < Math.min(rows.length, searchRows); i++) {
    const matched = new Set<string>();
    for (const cell of rows[i].cells) {
      if (typeof cell !== 'string') continue;
      const h = normalizeHeader(cell);
      if (wanted.has(h)) matched.add(h);
      else if (h.includes('·')) {
        for (const part of h.split('·')) if (wanted.has(part)) matched.add(part);
      }
    }
    if (matched.size >= minMatches) return i;
  }
  return -1;
}

/** Footers: who filled in / checked the sheet, totals, print dates, signatures. */
const FOOTER_START =
  /^(填表人|填报人|制表人|制表|填表|审核人|审核|复核人|复核|审批人|经办人|记账|出纳|会计主管|单位负责人|负责人签字|负责人\(签字\)|签字|盖章|单位盖章|打印日期|打印时间|打印人|制表日期|制表时间|填表日期|填报日期|导出时间|导出日期|合计|总计|小计|本页合计|本页小计|本月合计|本年累计|累计|备注说明|注[:：])/;
const TOTAL_CELL = /^(合计|总计|小计|本页合计|本页小计|本月合计|本年累计|累计|合\s*计|总\s*计)[:：]?$/;

function rowText(cells: readonly CellValue[]): string {
  let s = '';
  for (const c of cells) if (c !== null && c !== undefined) s += (s ? ' ' : '') + (c instanceof Date ? c.toISOString().slice(0, 10) : String(c));
  return s;
}

function firstText(cells: readonly CellValue[]): string | null {
  for (const c of cells) {
    if (c === null || c === undefined) continue;
    return typeof c === 'string' ? normalizeText(c).replace(/ /g, '') : null;
  }
  return null;
}

/** True for a row that is a footer: starts with 填表人/审核人/合计/打印日期… */
export function isFooterRow(cells: readonly CellValue[]): boolean {
  const first = firstText(cells);
  return first !== null && FOOTER_START.test(first);
}

/** Copies each merged range's value into every cell it covers, so a merged group or 街道 cell names every column/row. */
function fillMerges(rows: RawRow[], merges: readonly Merge[]): void {
  if (merges.length === 0) return;
  const byNumber = new Map<number, RawRow>();
  for (const r of rows) byNumber.set(r.rowNumber, r);
  for (const m of merges) {
    const top = byNumber.get(m.s.r + 1);
    const v = top?.cells[m.s.c] ?? null;
    if (v === null) continue;
    if ((m.e.r - m.s.r + 1) * (m.e.c - m.s.c + 1) > 100_000) continue;
    for (let r = m.s.r; r <= m.e.r; r++) {
      let row = byNumber.get(r + 1);
      if (!row) {
        row = { rowNumber: r + 1, cells: [] };
        byNumber.set(r + 1, row);
        rows.push(row);
      }
      for (let c = m.s.c; c <= m.e.c; c++) if (row.cells[c] == null) row.cells[c] = v;
    }
  }
  rows.sort((a, b) => a.rowNumber - b.rowNumber);
}

const titleOf = (c: CellValue | undefined): string => (c == null ? '' : normalizeText(c instanceof Date ? c.toISOString().slice(0, 10) : String(c)));

/**
 * Whether `below` continues the header `titles` (a header over several rows): every non-empty cell is text;
 * under a column whose title stands alone the cell is empty or repeats it (a merged cell filled down); and some
 * column under a group title (a title over two or more columns, or an empty title right of one) has a sub-title.
 */
function subHeaderTitles(titles: string[], below: readonly CellValue[], width: number, groupsFromMerges: Set<number>): string[] | null {
  const filled = titles.slice(0, width);
  while (filled.length < width) filled.push('');
  // an empty title right of a titled column that has a sub-title below it belongs to that column's group
  const group = new Array<boolean>(width).fill(false);
  for (let c = 0; c < width; c++) {
    if (groupsFromMerges.has(c)) group[c] = true;
    if (c > 0 && filled[c] !== '' && filled[c] === filled[c - 1]) group[c] = group[c - 1] = true;
  }
  for (let c = 1; c < width; c++) {
    if (filled[c] === '' && filled[c - 1] !== '' && titleOf(below[c]) !== '' && (group[c - 1] || titleOf(below[c - 1]) !== '')) {
      filled[c] = filled[c - 1];
      group[c] = group[c - 1] = true;
    }
  }
  let subs = 0;
  const out: string[] = [];
  for (let c = 0; c < width; c++) {
    const cell = below[c];
    if (cell != null && typeof cell !== 'string') return null;
    const sub = titleOf(cell);
    const title = filled[c];
    if (group[c]) {
      if (sub !== '' && sub !== title) subs++;
      out.push(sub === '' || sub === title ? title : title === '' ? sub : `${title}·${sub}`);
    } else {
      if (sub !== '' && sub !== title) {
        // a title standing alone with different text under it: data, unless the column had no title at all
        if (title !== '') return null;
        out.push(sub);
        continue;
      }
      out.push(title);
    }
  }
  return subs > 0 ? out : null;
}

function shapeTable(rows: RawRow[], merges: readonly Merge[], options: ReadTableOptions, budget: Budget): Omit<Table, 'format' | 'encoding' | 'sheetName' | 'date1904'> {
  fillMerges(rows, merges);
  const nonEmpty = rows.filter((r) => r.cells.some((c) => c !== null && c !== undefined));
  if (nonEmpty.length === 0) throw invalid('表格是空的,没有任何内容');
  let headerIndex = 0;
  const searchRows = options.headerSearchRows ?? 30;
  if (options.expectedHeaders && options.expectedHeaders.length > 0) {
    const min = options.minHeaderMatches ?? Math.min(2, options.expectedHeaders.length);
    headerIndex = findHeaderRow(nonEmpty, options.expectedHeaders, min, searchRows);
    if (headerIndex < 0) {
      const sample = [...new Set(options.expectedHeaders)].slice(0, 6).join('、');
      throw invalid(`在前 ${searchRows} 行中没有找到表头行(表头应包含以下列中的至少 ${min} 个:${sample}…)`);
    }
  }
  const headerRow = nonEmpty[headerIndex];
  const maxColumns = options.maxColumns ?? IMPORT_MAX_COLUMNS;
  const trimmedWidth = (cells: readonly CellValue[]) => {
    let w = cells.length;
    while (w > 0 && (cells[w - 1] === null || cells[w - 1] === undefined)) w--;
    return w;
  };
  // Width: the header row, or wider when data runs past the last titled column (kept, with an empty title, so
  // nothing typed into the sheet is silently dropped).
  let width = trimmedWidth(headerRow.cells);
  for (let i = headerIndex + 1; i < nonEmpty.length; i++) width = Math.max(width, trimmedWidth(nonEmpty[i].cells));
  if (width > maxColumns) {
    throw invalid(`表格有 ${width} 列,超过 ${maxColumns} 列的上限:请删除多余的列(或确认选择了正确的文件)后再导入`);
  }
  budget.check();

  // Header over two or three rows (merged group cells with sub-titles below).
  let titles = Array.from({ length: width }, (_, i) => titleOf(headerRow.cells[i]));
  const groupCols = new Set<number>();
  for (const m of merges) {
    if (m.s.r + 1 === headerRow.rowNumber && m.e.c > m.s.c) for (let c = m.s.c; c <= m.e.c; c++) groupCols.add(c);
  }
  let headerRowCount = 1;
  let next = headerIndex + 1;
  // a row with one title only is a title ("XX银行账户明细"), never the group row of a header
  const titled = titles.filter((t) => t !== '').length;
  while ((options.multiRowHeader ?? true) && titled >= 2 && headerRowCount < 3 && next < nonEmpty.length && nonEmpty[next].rowNumber - nonEmpty[next - 1].rowNumber === 1) {
    const sub = subHeaderTitles(titles, nonEmpty[next].cells, width, headerRowCount === 1 ? groupCols : new Set());
    if (!sub) break;
    titles = sub;
    headerRowCount++;
    next++;
  }
  const dataRows = nonEmpty.slice(next);

  // Footers: the block of footer rows at the end, and total rows anywhere.
  const footerRows: number[] = [];
  let kept = dataRows;
  if (!options.keepFooters) {
    let end = dataRows.length;
    while (end > 0 && isFooterRow(dataRows[end - 1].cells)) end--;
    kept = [];
    for (let i = 0; i < dataRows.length; i++) {
      const r = dataRows[i];
      const first = firstText(r.cells);
      if (i >= end || (first !== null && TOTAL_CELL.test(first))) footerRows.push(r.rowNumber);
      else kept.push(r);
    }
  }
  const maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
  if (kept.length > maxRows) throw invalid(`表格超过 ${maxRows} 行,请拆分后分批导入`);
  if (kept.length === 0) throw invalid(`表头(第 ${headerRow.rowNumber} 行)下面没有数据行`);
  const preamble = nonEmpty.slice(0, headerIndex).map((r) => rowText(r.cells));
  return {
    headerRowNumber: headerRow.rowNumber,
    headerRowCount,
    headers: titles,
    footerRows,
    preamble,
    // the rows' own cell arrays brought to the width in place (cells past it are all empty): copying 30,000 rows
    // only to pad them doubled the garbage of reading a big sheet
    rows: kept.map((r) => {
      const cells = r.cells;
      for (let i = 0; i < cells.length && i < width; i++) if (cells[i] === undefined) cells[i] = null;
      if (cells.length > width) cells.length = width;
      while (cells.length < width) cells.push(null);
      return { rowNumber: r.rowNumber, cells };
    }),
  };
}

/** A cell as trimmed text ('' when empty); dates as YYYY-MM-DD by their UTC day, numbers without float noise. */
export function cellText(cell: CellValue): string {
  if (cell == null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return String(Number.isInteger(cell) ? cell : Number(cell.toPrecision(15)));
  return normalizeText(cell);
}

/**
 * Yields the chunks of a stream cut at UTF-8 character boundaries (a Chinese character split between two chunks
 * must not become two U+FFFD when each chunk is decoded on its own).
 */
export async function* utf8Chunks(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = carry.length ? Buffer.concat([carry, bytes]) : bytes;
    const cut = utf8CompleteLength(buf);
    carry = Buffer.from(buf.subarray(cut));
    if (cut > 0) yield buf.subarray(0, cut);
  }
  if (carry.length) yield carry;
}
