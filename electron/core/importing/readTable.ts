/**
 * Reads one table from an imported file — an .xlsx workbook (exceljs streaming reader, so a 30,000-row sheet
 * never sits in memory as a full workbook model) or a CSV/TXT file in UTF-8 (with or without BOM), UTF-16 or
 * GBK/GB18030 (detected) — into header titles and rows of raw cell values. Every importer (organizations, bank
 * statements, sign-in sheets…) starts here; mapping cells to fields and validating them is the importer's job.
 *
 * The header row is found below any title rows ("XX街道社区社会组织台账", "填报单位:…"): the first row whose cells
 * match enough of the expected header titles. Row numbers are the ones the user sees in Excel (1-based sheet
 * rows; for CSV the 1-based record number), so error messages can name them.
 *
 * Errors are `AppError('VALIDATION')` with a Chinese message saying what is wrong with the file.
 */
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import exceljsUtils from 'exceljs/lib/utils/utils.js';
import iconv from 'iconv-lite';
import { AppError } from '@shared/errors';
import { isBlank, normalizeHeader, normalizeText } from '@shared/text/normalize';

/** A raw cell: text, a number, a date (exceljs date cells) or null when empty. Booleans arrive as 是/否. */
export type CellValue = string | number | Date | null;

export interface TableRow {
  /** Row number as the user sees it: the sheet row in Excel, the record number in a CSV file. */
  rowNumber: number;
  /** One value per column, aligned with `headers` (same length). */
  cells: CellValue[];
}

export interface Table {
  format: 'xlsx' | 'csv';
  /** CSV only: the detected encoding ('utf-8', 'utf-16le', 'utf-16be' or 'gb18030'). */
  encoding?: string;
  /** xlsx only: the sheet that was read. */
  sheetName?: string;
  /** Row number of the header row. */
  headerRowNumber: number;
  /** Header titles, whitespace-normalized (line breaks inside a title become one space); '' for an empty title. */
  headers: string[];
  /** Data rows below the header; completely empty rows are left out. */
  rows: TableRow[];
}

export interface ReadTableOptions {
  /** Read this sheet instead of the first visible one (xlsx only). */
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
}

export type TableSource = { path: string; fileName?: string } | { buffer: Buffer | Uint8Array; fileName?: string };

const invalid = (message: string) => new AppError('VALIDATION', message);

type FileKind = 'xlsx' | 'csv';

const MAGIC_ZIP = [0x50, 0x4b, 0x03, 0x04];
const MAGIC_OLE = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (head: Uint8Array, magic: number[]) => magic.every((b, i) => head[i] === b);

/** Decides how to read the file from its first bytes (extensions lie: .xls files are often HTML or CSV). */
function detectKind(head: Uint8Array, fileName: string | undefined, size: number): FileKind {
  const ext = fileName ? extname(fileName).toLowerCase() : '';
  if (size === 0) throw invalid('文件是空的');
  if (startsWith(head, MAGIC_ZIP)) return 'xlsx';
  if (startsWith(head, MAGIC_OLE)) {
    throw invalid('不支持旧版 Excel 97-2003 (.xls) 或 WPS (.et) 格式,请在 Excel 或 WPS 中"另存为" .xlsx 或 CSV 后再导入');
  }
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) throw invalid('这是 PDF 文件,请导入 .xlsx 或 CSV 表格');
  const asText = Buffer.from(head).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart().toLowerCase();
  if (asText.startsWith('<')) {
    throw invalid('该文件是网页(HTML/XML)格式而不是真正的表格,请用 Excel 或 WPS 打开后"另存为" .xlsx 再导入');
  }
  if (ext === '.xlsx' || ext === '.xlsm') throw invalid('文件已损坏或不是有效的 .xlsx 工作簿');
  if (ext && !['.csv', '.txt', '.tsv', ''].includes(ext)) {
    throw invalid(`不支持 ${ext} 文件,请导入 .xlsx 工作簿或 CSV 文件`);
  }
  return 'csv';
}

/** Reads a table from a file path or bytes. */
export async function readTable(source: TableSource, options: ReadTableOptions = {}): Promise<Table> {
  const fileName = source.fileName ?? ('path' in source ? source.path : undefined);
  let head: Uint8Array;
  let size: number;
  if ('path' in source) {
    let handle;
    try {
      handle = await open(source.path, 'r');
    } catch {
      throw invalid(`无法打开文件:${source.path}`);
    }
    try {
      size = (await handle.stat()).size;
      head = new Uint8Array(512);
      const { bytesRead } = await handle.read(head, 0, 512, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } else {
    size = source.buffer.byteLength;
    head = source.buffer.subarray(0, 512);
  }
  const kind = detectKind(head, fileName, size);
  if (kind === 'xlsx') {
    const stream = 'path' in source ? undefined : Readable.from([Buffer.from(source.buffer)]);
    return readXlsx('path' in source ? source.path : stream!, options);
  }
  const bytes = 'path' in source ? await readFile(source.path) : Buffer.from(source.buffer);
  return readCsvBytes(bytes, options);
}

// ---------------------------------------------------------------------------------------------------------------
// Text decoding and CSV

/**
 * Decodes text bytes: a BOM decides (UTF-8, UTF-16LE/BE); otherwise strict UTF-8 when the bytes are valid UTF-8,
 * else GB18030 (a superset of GBK and GB2312, what Chinese Excel and bank systems save).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
  }
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
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedOpenedAtRecord = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quotedOpenedAtRecord = records.length + 1;
      i++;
    } else if (ch === delimiter) {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // a quote in the middle of an unquoted field is kept literally (Excel does the same)
      field += ch;
      i++;
    }
  }
  if (inQuotes) throw invalid(`CSV 文件第 ${quotedOpenedAtRecord} 行的引号没有闭合,文件可能不完整`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function readCsvBytes(bytes: Buffer, options: ReadTableOptions): Table {
  const { text, encoding } = decodeText(bytes);
  if (text.includes('\u0000')) throw invalid('文件不是文本表格(含有二进制内容),请导入 .xlsx 工作簿或 CSV 文件');
  const records = parseCsv(text);
  const rows: RawRow[] = records.map((cells, i) => ({ rowNumber: i + 1, cells: cells.map((c) => (isBlank(c) ? null : c)) }));
  return { format: 'csv', encoding, ...shapeTable(rows, options) };
}

// ---------------------------------------------------------------------------------------------------------------
// xlsx

interface RawRow {
  rowNumber: number;
  cells: CellValue[];
}

// exceljs 4.4 runs `xmlDecode` over text its XML parser (saxes) has already decoded — `t="str"`/`inlineStr` cells and
// sheet names — so a cell typed as `&amp;` or `&lt;` would arrive as `&` or `<`. Decoding once is the parser's job.
exceljsUtils.xmlDecode = (text: string) => text;

/** Turns an exceljs cell value (rich text, formula, hyperlink, error, boolean…) into a plain value. */
export function plainCellValue(value: unknown): CellValue {
  if (value == null) return null;
  if (typeof value === 'string') return isBlank(value) ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return plainCellValue((v.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('formula' in v || 'sharedFormula' in v) return plainCellValue(v.result);
    if ('text' in v && 'hyperlink' in v) return plainCellValue(v.text);
    if ('error' in v) return null;
  }
  return plainCellValue(String(value));
}

/**
 * Yields the chunks of a stream cut at UTF-8 character boundaries. exceljs 4.4's streaming reader decodes every
 * inflated chunk on its own (`parse-sax.js`: `bufferToString(chunk)`), so a Chinese character split between two
 * chunks becomes two U+FFFD and a 30,000-row 台账 arrives with a dozen garbled cells. Carrying the incomplete tail
 * of each chunk over to the next keeps every chunk decodable.
 */
export async function* utf8Chunks(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = carry.length ? Buffer.concat([carry, bytes]) : bytes;
    let cut = buf.length;
    let i = buf.length - 1;
    while (i >= 0 && buf.length - i <= 4 && (buf[i] & 0xc0) === 0x80) i--; // continuation bytes
    if (i >= 0 && buf.length - i <= 4) {
      const lead = buf[i];
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (buf.length - i < need) cut = i;
    }
    carry = Buffer.from(buf.subarray(cut));
    if (cut > 0) yield buf.subarray(0, cut);
  }
  if (carry.length) yield carry;
}

/** exceljs's streaming reader with the shared strings and the sheets read through `utf8Chunks`. */
class Utf8SafeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  // exceljs internals (not in its typings): `_parseSharedStrings(entry)` reads the entry stream with `on('data')`,
  // `_parseWorksheet(iterator, sheetNo)` hands the iterator to a WorksheetReader.
  _parseSharedStrings(entry: Readable): unknown {
    const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as { _parseSharedStrings(e: Readable): unknown };
    return base._parseSharedStrings.call(this, Readable.from(utf8Chunks(entry)));
  }
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string): unknown {
    const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as { _parseWorksheet(i: AsyncIterable<Buffer>, n: string): unknown };
    return base._parseWorksheet.call(this, utf8Chunks(iterator), sheetNo);
  }
}

async function readXlsx(input: string | Readable, options: ReadTableOptions): Promise<Table> {
  const reader = new Utf8SafeWorkbookReader(input as never, {
    sharedStrings: 'cache',
    styles: 'cache', // needed to know which numeric cells are dates
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const maxRows = options.maxRows ?? 200_000;
  const seen: string[] = [];
  let picked: { name: string; rows: RawRow[] } | null = null;
  try {
    for await (const sheet of reader) {
      const ws = sheet as unknown as ExcelJS.stream.xlsx.WorksheetReader & { name?: string; state?: string };
      const name = ws.name ?? `Sheet${seen.length + 1}`;
      seen.push(name);
      const wanted = options.sheetName ? normalizeText(name) === normalizeText(options.sheetName) : ws.state !== 'hidden' && ws.state !== 'veryHidden';
      const rows: RawRow[] = [];
      for await (const row of ws) {
        if (!wanted) continue; // the streaming reader has to consume a sheet to reach the next one
        const values = (row as ExcelJS.Row).values as unknown[];
        const cells: CellValue[] = [];
        for (let c = 1; c < values.length; c++) cells.push(plainCellValue(values[c]));
        if (cells.every((c) => c === null)) continue;
        rows.push({ rowNumber: (row as ExcelJS.Row).number, cells });
        if (rows.length > maxRows + (options.headerSearchRows ?? 30)) {
          throw invalid(`工作表"${name}"超过 ${maxRows} 行,请拆分后分批导入`);
        }
      }
      if (wanted) {
        picked = { name, rows };
        break;
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid(`无法读取工作簿:文件已损坏或不是有效的 .xlsx 文件(${e instanceof Error ? e.message : String(e)})`);
  } finally {
    const stream = (reader as unknown as { stream?: Readable }).stream;
    if (stream && !stream.destroyed) stream.destroy();
  }
  if (!picked) {
    if (seen.length === 0) throw invalid('工作簿中没有工作表,文件可能已损坏');
    if (options.sheetName) throw invalid(`工作簿中没有名为"${options.sheetName}"的工作表(现有:${seen.join('、')})`);
    throw invalid('工作簿中没有可见的工作表');
  }
  return { format: 'xlsx', sheetName: picked.name, ...shapeTable(picked.rows, options) };
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
    }
    if (matched.size >= minMatches) return i;
  }
  return -1;
}

function shapeTable(rows: RawRow[], options: ReadTableOptions): Omit<Table, 'format' | 'encoding' | 'sheetName'> {
  const nonEmpty = rows.filter((r) => r.cells.some((c) => c !== null));
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
  const dataRows = nonEmpty.slice(headerIndex + 1);
  const maxRows = options.maxRows ?? 200_000;
  if (dataRows.length > maxRows) throw invalid(`表格超过 ${maxRows} 行,请拆分后分批导入`);
  if (dataRows.length === 0) throw invalid(`表头(第 ${headerRow.rowNumber} 行)下面没有数据行`);
  // Width: the header row, or wider when data runs past the last titled column (kept, with an empty title, so
  // nothing typed into the sheet is silently dropped).
  let width = headerRow.cells.length;
  while (width > 0 && headerRow.cells[width - 1] === null) width--;
  for (const r of dataRows) {
    let w = r.cells.length;
    while (w > width && r.cells[w - 1] === null) w--;
    if (w > width) width = w;
  }
  const headers = Array.from({ length: width }, (_, i) => {
    const c = headerRow.cells[i];
    if (c == null) return '';
    return normalizeText(c instanceof Date ? c.toISOString().slice(0, 10) : String(c));
  });
  return {
    headerRowNumber: headerRow.rowNumber,
    headers,
    // the rows' own cell arrays brought to the width in place (cells past it are all empty): copying 30,000 rows
    // only to pad them doubled the garbage of reading a big sheet
    rows: dataRows.map((r) => {
      const cells = r.cells;
      for (let i = 0; i < cells.length && i < width; i++) if (cells[i] === undefined) cells[i] = null;
      if (cells.length > width) cells.length = width;
      while (cells.length < width) cells.push(null);
      return r;
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
