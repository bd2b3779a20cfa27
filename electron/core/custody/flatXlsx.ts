/**
 * A writer for one flat worksheet as an .xlsx file, streamed: for exports of a million rows, where ExcelJS's
 * stream writer spent most of the time in its own row objects, its JavaScript CRC and its zip library.
 *
 * The file holds the minimal SpreadsheetML package (content types, relationships, workbook, styles, shared
 * strings, one sheet). Cells are numbers, dates (a day serial shown as yyyy-mm-dd), amounts (yuan, shown
 * #,##0.00) or text; texts go to the shared-string table (each distinct text once) or, for texts nearly every row
 * has its own, inline in the cell; escaped for XML (the five entities; characters XML 1.0 forbids are dropped;
 * leading or trailing spaces preserved). The first rows can be frozen; columns have widths. Rows are written cell
 * by cell as bytes straight into large buffers (see FlatXlsx).
 *
 * The zip is written here too: small parts deflated at once, the sheet deflated as a stream by zlib in its thread
 * pool (with a gzip wrapper whose trailer gives the CRC-32, so that is computed off the main thread too), sizes in
 * a data descriptor after the data. No ZIP64: a part over 4 GiB is refused with a message (a million voucher
 * lines are about 400 MB of sheet XML).
 */
import { crc32, createGzip, deflateRawSync, type Gzip, type ZlibOptions } from 'node:zlib';
import { once } from 'node:events';
import { fail } from '@shared/errors';

/** Where the bytes go, in order; `write` returns a promise when the destination is behind. */
export interface ByteSink {
  write(chunk: Buffer<ArrayBufferLike>): Promise<void> | void;
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
const GZIP_HEADER = 10;
const GZIP_TRAILER = 8;
const EMPTY = Buffer.alloc(0);
/** Bytes zlib may hold unprocessed before the producer waits: a few chunks, so building and deflating overlap. */
const PART_HIGH_WATER = 8 * 1024 * 1024;
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

  private put(b: Buffer<ArrayBufferLike>): Promise<void> | void {
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

  /**
   * A large part written in chunks, deflated by zlib's thread pool while the caller produces the next chunk. The
   * deflate runs with a gzip wrapper, so zlib computes the part's CRC-32 on that thread too: its 10-byte header is
   * dropped and its 8-byte trailer (CRC-32, size) held back and read at the end, what remains is the raw deflate
   * data a zip entry holds.
   */
  stream(name: string, level: number): PartStream {
    const e: ZipEntry = { name: Buffer.from(name), crc: 0, compressed: 0, size: 0, offset: this.offset, descriptor: true };
    this.entries.push(e);
    this.wait(this.put(this.localHeader(e)));
    // (zlib passes stream options through to its Transform: the high-water mark lets zlib hold a few chunks.)
    const gz = createGzip({ level, memLevel: 9, chunkSize: 512 * 1024, writableHighWaterMark: PART_HIGH_WATER } as ZlibOptions);
    let header = GZIP_HEADER;
    let tail: Buffer<ArrayBufferLike> = EMPTY;
    let failure: unknown = null;
    gz.on('data', (c: Buffer<ArrayBufferLike>) => {
      if (header > 0) {
        if (header === GZIP_HEADER && (c[0] !== 0x1f || c[1] !== 0x8b || c[3] !== 0)) failure = new Error('zlib: unexpected gzip header');
        const k = Math.min(header, c.length);
        header -= k;
        c = c.subarray(k);
      }
      // Everything but the last 8 bytes seen so far is deflate data.
      let out: Buffer<ArrayBufferLike>;
      if (c.length >= GZIP_TRAILER) {
        out = tail.length ? Buffer.concat([tail, c.subarray(0, c.length - GZIP_TRAILER)]) : c.subarray(0, c.length - GZIP_TRAILER);
        tail = c.subarray(c.length - GZIP_TRAILER);
      } else {
        const both = Buffer.concat([tail, c]);
        out = both.subarray(0, Math.max(0, both.length - GZIP_TRAILER));
        tail = both.subarray(out.length);
      }
      if (out.length === 0) return;
      e.compressed += out.length;
      const p = this.put(out);
      if (p) {
        gz.pause();
        p.then(
          () => void gz.resume(),
          (err: unknown) => void gz.destroy(err as Error),
        );
      }
    });
    const ended = once(gz, 'end');
    ended.catch(() => undefined);
    const finish = async () => {
      gz.end();
      await ended;
      if (failure) throw failure;
      if (tail.length !== GZIP_TRAILER || tail.readUInt32LE(4) !== e.size % 0x1_0000_0000) throw new Error('zlib: unexpected gzip trailer');
      e.crc = tail.readUInt32LE(0);
      await this.settle();
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(e.crc, 4);
      d.writeUInt32LE(e.compressed, 8);
      d.writeUInt32LE(e.size, 12);
      this.wait(this.put(d));
      await this.settle();
    };
    return new PartStream(e, gz, finish, () => this.settle());
  }

  private waits: Promise<void>[] = [];
  private wait(p: Promise<void> | void): void {
    if (p) this.waits.push(p);
  }
  /** Resolves when every write handed to the sink so far has been taken. */
  private async settle(): Promise<void> {
    while (this.waits.length) await Promise.all(this.waits.splice(0));
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

/**
 * A part being written: `put` hands bytes to zlib at once (never waits); `ready()` is a promise when zlib or the
 * destination is behind, which the producer awaits before producing more.
 */
class PartStream {
  constructor(
    private readonly e: ZipEntry,
    private readonly gz: Gzip,
    readonly end: () => Promise<void>,
    private readonly settle: () => Promise<void>,
  ) {}
  private behind = false;
  put(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.e.size += chunk.length;
    if (this.e.size > MAX_PART) throw fail.rule('导出的表格超过 4 GB，请缩短日期范围后分次导出');
    if (!this.gz.write(chunk)) this.behind = true;
  }
  ready(): Promise<void> | undefined {
    if (!this.behind) return undefined;
    this.behind = false;
    const gz = this.gz;
    if (!gz.writableNeedDrain) return this.settle();
    return new Promise<void>((resolve) => {
      const done = () => {
        gz.off('drain', done);
        gz.off('close', done);
        resolve();
      };
      gz.on('drain', done);
      gz.on('close', done);
    }).then(() => this.settle());
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
/** Sheet XML is built straight into buffers of this size, each handed to zlib when full. */
const CHUNK_BYTES = 1 << 20;
/** Room every fixed cell fits in: `<c r="XFD1048576" s="99" t="s"><v>` + a number + `</v></c>`. */
const CELL_ROOM = 96;

/** Rows on one sheet: Excel's limit since 2007. */
export const XLSX_MAX_ROWS = 1_048_576;

const ascii = (s: string) => Buffer.from(s, 'latin1');

/** A text cell's bytes after its reference (`" t="inlineStr"><is><t>…</t></is></c>`), made once by `inlineText`. */
export interface InlineText {
  readonly bytes: Uint8Array;
}

/**
 * A workbook of flat sheets: each sheet a title row (optional) and the header row (bold, frozen with the rows
 * above it), then data rows. `sheet()` starts the next sheet (same columns) when the caller wants one, say before a
 * row would pass XLSX_MAX_ROWS; the first sheet is named `sheetName`, the next `sheetName2`, `sheetName3`, …
 * Call `end()` once.
 *
 * A data row is `row()`, its cells left to right (`int`, `fen`, `num`, `shared`, `text`, `inline`; a column with
 * no value is skipped), `endRow()`. The sheet XML is written as bytes straight into large buffers — constant
 * pieces copied, the row's reference digits made once per row and copied into each cell's reference, numbers
 * written digit by digit — so a row costs no strings and no per-cell encoding; full buffers go to zlib at once and
 * the caller awaits `ready()` (a promise only when zlib or the destination is behind) between rows or groups of
 * rows, so building and deflating overlap.
 */
export class FlatXlsx {
  private readonly zip: ZipOut;
  private part: PartStream | null = null;
  private readonly strings = new Map<string, number>();
  private rowNumber = 0;
  private sheets = 0;
  private buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  /** ASCII digits of the open row's number, and how many. */
  private readonly digits = new Uint8Array(8);
  private digitCount = 0;
  private inRow = false;
  /** A full buffer went to zlib since the last `ready()`. */
  private spilled = false;
  /** `<c r="` and the column's letters, per column. */
  private readonly cellOpen: Uint8Array[];
  /** After the reference, per style: a number cell's `" s="1"><v>`, a shared-string cell's `" s="1" t="s"><v>`. */
  private readonly numTail: Uint8Array[];
  private readonly sstTail: Uint8Array[];

  constructor(
    sink: ByteSink,
    private readonly opts: FlatSheetOptions,
  ) {
    this.zip = new ZipOut(sink);
    this.cellOpen = opts.columns.map((_, i) => ascii(`<c r="${columnName(i)}`));
    const styles = Object.values(STYLE);
    this.numTail = styles.map((st) => ascii(st === 0 ? '"><v>' : `" s="${st}"><v>`));
    this.sstTail = styles.map((st) => ascii(st === 0 ? '" t="s"><v>' : `" s="${st}" t="s"><v>`));
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

  /** A text kept in the cell itself (for texts nearly every row has its own, like a voucher number), escaped once. */
  inlineText(s: string): InlineText {
    const t = xmlText(s);
    return { bytes: Buffer.from(/^\s|\s$/.test(t) ? `" t="inlineStr"><is><t xml:space="preserve">${t}</t></is></c>` : `" t="inlineStr"><is><t>${t}</t></is></c>`, 'utf8') };
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
    this.raw(
      `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
        `<sheetViews><sheetView workbookViewId="0"${this.sheets === 1 ? ' tabSelected="1"' : ''}><pane ySplit="${frozen}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/></sheetView></sheetViews>` +
        `<sheetFormatPr defaultRowHeight="15"/><cols>${opts.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('')}</cols><sheetData>`,
    );
    if (opts.title !== undefined) {
      this.startRow();
      this.text(0, opts.title, STYLE.title);
      this.endRow();
    }
    this.startRow();
    opts.columns.forEach((c, i) => this.text(i, c.header, STYLE.header));
    this.endRow();
  }

  private async endSheet(): Promise<void> {
    if (this.part === null) return;
    if (this.inRow) this.endRow();
    this.raw('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
    this.spill();
    await this.part.end();
    this.part = null;
  }

  /** Starts the next data row (1-based number `rows` afterwards); refused past XLSX_MAX_ROWS. */
  row(): void {
    if (this.rowNumber >= XLSX_MAX_ROWS) throw fail.rule(`一张工作表最多 ${XLSX_MAX_ROWS} 行，请分表导出`);
    if (this.part === null) throw new Error('FlatXlsx.row before sheet()');
    this.startRow();
  }

  private startRow(): void {
    if (this.inRow) this.endRow();
    let n = ++this.rowNumber;
    let k = 0;
    const d = this.digits;
    for (let m = n; m >= 10; m = (m - (m % 10)) / 10) k++;
    this.digitCount = k + 1;
    for (; k >= 0; k--) {
      const r = n % 10;
      d[k] = 48 + r;
      n = (n - r) / 10;
    }
    this.reserve(CELL_ROOM);
    this.bytes(ROW_OPEN);
    this.rowDigits();
    this.buf[this.pos++] = 0x22; // "
    this.buf[this.pos++] = 0x3e; // >
    this.inRow = true;
  }

  /** Ends the open row. */
  endRow(): void {
    this.reserve(8);
    this.bytes(ROW_CLOSE);
    this.inRow = false;
  }

  /** An integer cell (a safe integer; a day serial with STYLE.date). */
  int(col: number, n: number, style = 0): void {
    if (!Number.isSafeInteger(n)) return this.num(col, n, style);
    this.open(col, this.numTail[style]);
    if (n < 0) {
      this.buf[this.pos++] = 0x2d; // -
      n = -n;
    }
    this.integer(n);
    this.bytes(CELL_CLOSE);
  }

  /** An amount cell: `fen` (an integer number of 分) as its exact decimal in yuan, e.g. 123450 → 1234.50. */
  fen(col: number, fen: number, style: number = STYLE.amount): void {
    if (!Number.isSafeInteger(fen)) return this.num(col, fen / 100, style);
    this.open(col, this.numTail[style]);
    const buf = this.buf;
    let a = fen;
    if (a < 0) {
      buf[this.pos++] = 0x2d; // -
      a = -a;
    }
    const cents = a % 100;
    this.integer((a - cents) / 100);
    buf[this.pos++] = 0x2e; // .
    buf[this.pos++] = 48 + ((cents / 10) | 0);
    buf[this.pos++] = 48 + (cents % 10);
    this.bytes(CELL_CLOSE);
  }

  /** Any finite number as its shortest decimal (NaN and infinities have no cell: skipped). */
  num(col: number, n: number, style = 0): void {
    if (!Number.isFinite(n)) return;
    this.open(col, this.numTail[style]);
    this.pos += this.buf.write(String(n), this.pos, 'latin1');
    this.bytes(CELL_CLOSE);
  }

  /** A text cell by its shared-string index (from `sst`). */
  shared(col: number, index: number, style = 0): void {
    this.open(col, this.sstTail[style]);
    this.integer(index);
    this.bytes(CELL_CLOSE);
  }

  /** A text cell through the shared strings; an empty text has no cell. */
  text(col: number, s: string, style = 0): void {
    if (s !== '') this.shared(col, this.sst(s), style);
  }

  /** A text cell holding its text (`inlineText`). */
  inline(col: number, t: InlineText): void {
    this.reserve(CELL_ROOM + t.bytes.length);
    this.bytes(this.cellOpen[col]);
    this.rowDigits();
    this.buf.set(t.bytes, this.pos);
    this.pos += t.bytes.length;
  }

  /**
   * A promise when the written bytes are not yet taken (zlib or the destination behind): the caller awaits it
   * before writing more. Undefined when nothing needs waiting for.
   */
  ready(): Promise<void> | undefined {
    if (!this.spilled) return undefined;
    this.spilled = false;
    // zlib works on one chunk at a time and is handed the next (and the finished output taken) only in a turn of
    // the event loop: after every full buffer the builder lets one happen, else zlib would sit idle until the
    // builder waits, and building and deflating would take turns instead of overlapping.
    return this.part?.ready() ?? new Promise<void>((resolve) => setImmediate(resolve));
  }

  private open(col: number, tail: Uint8Array): void {
    this.reserve(CELL_ROOM);
    this.bytes(this.cellOpen[col]);
    this.rowDigits();
    this.bytes(tail);
  }

  private rowDigits(): void {
    const { buf, digits } = this;
    let p = this.pos;
    for (let k = 0; k < this.digitCount; k++) buf[p++] = digits[k];
    this.pos = p;
  }

  /** Short constant pieces: a loop beats a native copy at these sizes. */
  private bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let k = 0; k < b.length; k++) buf[p++] = b[k];
    this.pos = p;
  }

  /** A non-negative safe integer's decimal digits. */
  private integer(n: number): void {
    const buf = this.buf;
    let len = 1;
    for (let m = n; m >= 10; m = (m - (m % 10)) / 10) len++;
    let p = this.pos + len;
    this.pos = p;
    do {
      const r = n % 10;
      buf[--p] = 48 + r;
      n = (n - r) / 10;
    } while (n > 0);
  }

  /** XML text as UTF-8 bytes (sheet head and foot). */
  private raw(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.spill();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, CHUNK_BYTES));
  }

  /** Hands the filled bytes to zlib; the next bytes go to a new buffer (zlib reads the old one meanwhile). */
  private spill(): void {
    if (this.pos === 0) return;
    this.part!.put(this.buf.subarray(0, this.pos));
    this.spilled = true;
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
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
        sst.put(Buffer.from(text, 'utf8'));
        text = '';
        await sst.ready();
      }
    }
    text += '</sst>';
    sst.put(Buffer.from(text, 'utf8'));
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

const ROW_OPEN = ascii('<row r="');
const ROW_CLOSE = ascii('</row>');
const CELL_CLOSE = ascii('</v></c>');

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
