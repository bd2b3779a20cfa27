/**
 * A writer for one flat worksheet as an .xlsx file, streamed: for exports of a million rows, where ExcelJS's
 * stream writer spent most of the time in its own row objects, its JavaScript CRC and its zip library.
 *
 * The file holds the minimal SpreadsheetML package (content types, relationships, workbook, styles, shared
 * strings, one sheet). Cells are numbers, dates (a day serial shown as yyyy-mm-dd), amounts (yuan, shown
 * #,##0.00) or text; every distinct text is stored once in the shared-string table, escaped for XML (the five
 * entities; characters XML 1.0 forbids are dropped; leading or trailing spaces preserved). The first rows can be
 * frozen; columns have widths. Rows are added as prepared cell lists; the caller appends XML through `row()`.
 *
 * The zip is written here too: small parts deflated at once, the sheet deflated as a stream by zlib (off the main
 * thread) with its CRC from zlib.crc32, sizes in a data descriptor after the data. No ZIP64: a part over 4 GiB is
 * refused with a message (a million voucher lines are about 200 MB of sheet XML).
 */
import { crc32, createDeflateRaw, deflateRawSync, type DeflateRaw } from 'node:zlib';
import { once } from 'node:events';
import { fail } from '@shared/errors';

/** Where the bytes go, in order; `write` returns a promise when the destination is behind. */
export interface ByteSink {
  write(chunk: Buffer): Promise<void> | void;
}

/** Cell styles of the workbook's styles.xml (indexes into cellXfs). */
export const STYLE = { general: 0, date: 1, amount: 2, header: 3, title: 4 } as const;

const XML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
// eslint-disable-next-line no-control-regex
const NEEDS_ESC = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for an XML element or attribute: the entities escaped, the control characters XML 1.0 forbids dropped. */
export function xmlText(s: string): string {
  return NEEDS_ESC.test(s) ? s.replace(FORBIDDEN, '').replace(/[&<>"]/g, (c) => XML_ESC[c]) : s;
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Days since 1899-12-30 (Excel's day serial, 1900 date system) of a `YYYY-MM-DD` date. */
export function excelSerial(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

const MAX_PART = 0xffff_ffff;
const DOS_TIME_DATE = (() => {
  const d = new Date();
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  const date = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return { time, date };
})();

interface ZipEntry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  descriptor: boolean;
}

/** A zip archive written front to back into a sink: entries deflated, then the central directory. */
class ZipOut {
  private offset = 0;
  private readonly entries: ZipEntry[] = [];
  constructor(private readonly sink: ByteSink) {}

  private put(b: Buffer): Promise<void> | void {
    this.offset += b.length;
    return this.sink.write(b);
  }

  private localHeader(e: ZipEntry): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(e.descriptor ? 0x0008 : 0, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt16LE(DOS_TIME_DATE.time, 10);
    h.writeUInt16LE(DOS_TIME_DATE.date, 12);
    h.writeUInt32LE(e.descriptor ? 0 : e.crc, 14);
    h.writeUInt32LE(e.descriptor ? 0 : e.compressed, 18);
    h.writeUInt32LE(e.descriptor ? 0 : e.size, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    return Buffer.concat([h, e.name]);
  }

  /** A small part, deflated at once. */
  async file(name: string, text: string): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    const packed = deflateRawSync(data);
    const e: ZipEntry = { name: Buffer.from(name), crc: crc32(data), compressed: packed.length, size: data.length, offset: this.offset, descriptor: false };
    this.entries.push(e);
    await this.put(this.localHeader(e));
    await this.put(packed);
  }

  /** A large part written in chunks: deflated by zlib's thread pool while the caller produces the next chunk. */
  stream(name: string, level: number): PartStream {
    const e: ZipEntry = { name: Buffer.from(name), crc: 0, compressed: 0, size: 0, offset: this.offset, descriptor: true };
    this.entries.push(e);
    const header = this.put(this.localHeader(e));
    const deflate = createDeflateRaw({ level, memLevel: 9 });
    let pending: Promise<void>[] = header ? [header] : [];
    deflate.on('data', (c: Buffer) => {
      e.compressed += c.length;
      const p = this.put(c);
      if (p) {
        deflate.pause();
        pending.push(p.then(() => void deflate.resume()));
      }
    });
    const ended = once(deflate, 'end');
    ended.catch(() => undefined);
    return new PartStream(e, deflate, async () => {
      deflate.end();
      await ended;
      await Promise.all(pending);
      pending = [];
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(e.crc, 4);
      d.writeUInt32LE(e.compressed, 8);
      d.writeUInt32LE(e.size, 12);
      await this.put(d);
    }, () => pending.splice(0));
  }

  async end(): Promise<void> {
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(e.descriptor ? 0x0008 : 0, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(DOS_TIME_DATE.time, 12);
      c.writeUInt16LE(DOS_TIME_DATE.date, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.compressed, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      parts.push(c, e.name);
    }
    const dir = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(start, 16);
    if (start > MAX_PART) throw fail.rule('导出文件超过 4 GB，请缩短日期范围后分次导出');
    await this.put(dir);
    await this.put(end);
  }
}

/** The sheet part being written: `write` takes UTF-8 bytes, waits when zlib or the destination is behind. */
class PartStream {
  constructor(
    private readonly e: ZipEntry,
    private readonly deflate: DeflateRaw,
    readonly end: () => Promise<void>,
    private readonly takePending: () => Promise<void>[],
  ) {}
  async write(chunk: Buffer): Promise<void> {
    this.e.crc = crc32(chunk, this.e.crc);
    this.e.size += chunk.length;
    if (this.e.size > MAX_PART) throw fail.rule('导出的表格超过 4 GB，请缩短日期范围后分次导出');
    const more = this.deflate.write(chunk);
    const pending = this.takePending();
    if (pending.length) await Promise.all(pending);
    if (!more) await once(this.deflate, 'drain');
  }
}

export interface FlatColumn {
  header: string;
  /** Width in characters, as Excel measures it. */
  width: number;
}

export interface FlatSheetOptions {
  sheetName: string;
  columns: readonly FlatColumn[];
  /** A title above the header row (bold), or none. */
  title?: string;
  /** Deflate level of the sheet part (1 fast … 9 small). */
  level?: number;
  creator?: string;
}

const CHUNK_CHARS = 262_144;

/** Rows on one sheet: Excel's limit since 2007. */
export const XLSX_MAX_ROWS = 1_048_576;

/**
 * A workbook of flat sheets: each sheet a title row (optional) and the header row (bold, frozen with the rows
 * above it), then data rows the caller appends with `add()`, their row numbers from `nextRow()`. `sheet()` starts
 * the next sheet (same columns) when the caller wants one, say before a row would pass XLSX_MAX_ROWS; the first
 * sheet is named `sheetName`, the next `sheetName2`, `sheetName3`, …  Call `end()` once.
 */
export class FlatXlsx {
  private readonly zip: ZipOut;
  private part: PartStream | null = null;
  private xml = '';
  private readonly strings = new Map<string, number>();
  private rowNumber = 0;
  private sheets = 0;
  private readonly cols: string[];

  constructor(
    sink: ByteSink,
    private readonly opts: FlatSheetOptions,
  ) {
    this.zip = new ZipOut(sink);
    this.cols = opts.columns.map((_, i) => columnName(i));
  }

  /** Rows on the current sheet so far (title and header included). */
  get rows(): number {
    return this.rowNumber;
  }

  /** Sheets started so far. */
  get sheetCount(): number {
    return this.sheets;
  }

  /** Index of a text in the shared-string table (added once). */
  sst(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) {
      i = this.strings.size;
      this.strings.set(s, i);
    }
    return i;
  }

  /** Ends the current sheet (if any) and starts the next: its head, title and header rows. */
  async sheet(): Promise<void> {
    const { opts } = this;
    await this.endSheet();
    this.sheets++;
    this.rowNumber = 0;
    this.part = this.zip.stream(`xl/worksheets/sheet${this.sheets}.xml`, opts.level ?? 1);
    const frozen = (opts.title === undefined ? 0 : 1) + 1;
    const top = `A${frozen + 1}`;
    this.xml +=
      `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      `<sheetViews><sheetView workbookViewId="0"${this.sheets === 1 ? ' tabSelected="1"' : ''}><pane ySplit="${frozen}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/></sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/><cols>${opts.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('')}</cols><sheetData>`;
    if (opts.title !== undefined) {
      const r = ++this.rowNumber;
      this.xml += `<row r="${r}"><c r="A${r}" s="${STYLE.title}" t="s"><v>${this.sst(opts.title)}</v></c></row>`;
    }
    const r = ++this.rowNumber;
    this.xml += `<row r="${r}">${opts.columns.map((c, i) => `<c r="${this.cols[i]}${r}" s="${STYLE.header}" t="s"><v>${this.sst(c.header)}</v></c>`).join('')}</row>`;
  }

  private async endSheet(): Promise<void> {
    if (this.part === null) return;
    this.xml += '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
    await this.flush();
    await this.part.end();
    this.part = null;
  }

  /** The next data row's number (1-based) on the current sheet, to build its cells' references with. */
  nextRow(): number {
    if (this.rowNumber >= XLSX_MAX_ROWS) throw fail.rule(`一张工作表最多 ${XLSX_MAX_ROWS} 行，请分表导出`);
    return ++this.rowNumber;
  }

  /** Appends the XML of `<row>` elements; written out in large chunks. */
  async add(rowXml: string): Promise<void> {
    this.xml += rowXml;
    if (this.xml.length >= CHUNK_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.xml) return;
    const chunk = Buffer.from(this.xml, 'utf8');
    this.xml = '';
    await this.part!.write(chunk);
  }

  /** Ends the last sheet and writes the shared strings and the package parts that list the sheets. */
  async end(): Promise<void> {
    if (this.sheets === 0) await this.sheet();
    await this.endSheet();
    // The shared strings, in chunks too (a year's 摘要 and 对方单位 can be many distinct texts).
    const sst = this.zip.stream('xl/sharedStrings.xml', 6);
    let text = `${XML_HEAD}<sst xmlns="${NS_MAIN}" uniqueCount="${this.strings.size}">`;
    for (const s of this.strings.keys()) {
      const t = xmlText(s);
      text += /^\s|\s$/.test(t) ? `<si><t xml:space="preserve">${t}</t></si>` : `<si><t>${t}</t></si>`;
      if (text.length >= CHUNK_CHARS) {
        await sst.write(Buffer.from(text, 'utf8'));
        text = '';
      }
    }
    text += '</sst>';
    await sst.write(Buffer.from(text, 'utf8'));
    await sst.end();
    this.strings.clear();
    const { zip, opts, sheets } = this;
    await zip.file('xl/styles.xml', STYLES);
    await zip.file('xl/workbook.xml', workbook(opts.sheetName, sheets));
    await zip.file('xl/_rels/workbook.xml.rels', workbookRels(sheets));
    await zip.file('docProps/core.xml', coreProps(opts.creator ?? ''));
    await zip.file('docProps/app.xml', APP_PROPS);
    await zip.file('_rels/.rels', ROOT_RELS);
    await zip.file('[Content_Types].xml', contentTypes(sheets));
    await zip.end();
  }
}

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(sheets: number): string {
  let parts = '';
  for (let i = 1; i <= sheets; i++) parts += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    parts +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
  );
}

const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>';

/** Sheets are rId1…rIdN; styles and shared strings follow. */
function workbookRels(sheets: number): string {
  let rels = '';
  for (let i = 1; i <= sheets; i++) rels += `<Relationship Id="rId${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  return (
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}` +
    `<Relationship Id="rId${sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${sheets + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
  );
}

const APP_PROPS = `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Incubase</Application></Properties>`;

function coreProps(creator: string): string {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:creator>${xmlText(creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${now}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${now}</dcterms:modified></cp:coreProperties>`
  );
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]; the first `name`, then `name2`, `name3`, … */
export function flatSheetName(name: string, index: number): string {
  const base = name.replace(/[:\\/?*[\]]/g, ' ');
  const suffix = index === 0 ? '' : String(index + 1);
  return base.slice(0, 31 - suffix.length) + suffix;
}

function workbook(sheetName: string, sheets: number): string {
  let list = '';
  for (let i = 0; i < sheets; i++) list += `<sheet name="${xmlText(flatSheetName(sheetName, i))}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`;
  return `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView/></bookViews><sheets>${list}</sheets></workbook>`;
}

/** Fonts: the body font, and bold. Formats: 164 yyyy-mm-dd; 4 is the built-in #,##0.00. */
const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>` +
  '<fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
