/**
 * A small Excel 97-2003 (BIFF8) workbook writer for large, plain sheets: numbers and text cells, one number format
 * per column, several sheets. It writes the same workbook-globals records as SheetJS's BIFF8 writer (the file the
 * 金蝶 export produced before), but the cells straight into byte chunks: integers and amounts in fen as RK
 * records (4 bytes: an integer, or an integer ÷ 100, exact), text as LABEL records (at most 255 characters, as
 * SheetJS writes them), each distinct text encoded once. SheetJS's own writer builds an object per cell: a year
 * of a million lines took gigabytes and minutes. The compound-file container is SheetJS's CFB.
 */

/** Cell formats: general, a date, an amount with two decimals. */
export const XF_GENERAL = 16;
export const XF_DATE = 17;
export const XF_AMOUNT = 18;
const DATE_FORMAT_ID = 164;

const CHUNK = 4 << 20;

class Bytes {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private done = 0;

  get length(): number {
    return this.done + this.pos;
  }
  room(n: number): Buffer {
    if (this.pos + n > this.buf.length) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.done += this.pos;
      this.buf = Buffer.allocUnsafe(Math.max(CHUNK, n));
      this.pos = 0;
    }
    return this.buf;
  }
  /** A record: type, length, payload. */
  record(type: number, payload: Buffer | number[] = []): void {
    const p = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const b = this.room(4 + p.length);
    b.writeUInt16LE(type, this.pos);
    b.writeUInt16LE(p.length, this.pos + 2);
    p.copy(b, this.pos + 4);
    this.pos += 4 + p.length;
  }
  /** RK cell: `value` is an integer; with `hundredths` the cell holds value ÷ 100. */
  rk(row: number, col: number, xf: number, value: number, hundredths: boolean): void {
    if (!Number.isInteger(value) || value >= 0x20000000 || value < -0x20000000) {
      this.number(row, col, xf, hundredths ? value / 100 : value);
      return;
    }
    const b = this.room(14);
    const p = this.pos;
    b.writeUInt16LE(0x027e, p);
    b.writeUInt16LE(10, p + 2);
    b.writeUInt16LE(row, p + 4);
    b.writeUInt16LE(col, p + 6);
    b.writeUInt16LE(xf, p + 8);
    b.writeInt32LE((value << 2) | (hundredths ? 3 : 2), p + 10);
    this.pos += 14;
  }
  number(row: number, col: number, xf: number, value: number): void {
    const b = this.room(18);
    const p = this.pos;
    b.writeUInt16LE(0x0203, p);
    b.writeUInt16LE(14, p + 2);
    b.writeUInt16LE(row, p + 4);
    b.writeUInt16LE(col, p + 6);
    b.writeUInt16LE(xf, p + 8);
    b.writeDoubleLE(value, p + 10);
    this.pos += 18;
  }
  /** LABEL cell with the pre-encoded XLUnicodeString `s`. */
  label(row: number, col: number, xf: number, s: Buffer): void {
    const b = this.room(10 + s.length);
    const p = this.pos;
    b.writeUInt16LE(0x0204, p);
    b.writeUInt16LE(6 + s.length, p + 2);
    b.writeUInt16LE(row, p + 4);
    b.writeUInt16LE(col, p + 6);
    b.writeUInt16LE(xf, p + 8);
    s.copy(b, p + 10);
    this.pos += 10 + s.length;
  }
  end(): Buffer[] {
    if (this.pos) this.chunks.push(this.buf.subarray(0, this.pos));
    this.done += this.pos;
    this.pos = 0;
    return this.chunks;
  }
}

/** XLUnicodeString: 16-bit count, a flag byte (0: one byte per character, 1: UTF-16LE), the characters. */
function xlString(text: string, wideCount = true): Buffer {
  const s = text.length > 255 ? text.slice(0, 255) : text;
  // eslint-disable-next-line no-control-regex
  const narrow = /^[\u0000-\u00ff]*$/.test(s);
  const head = wideCount ? 3 : 2;
  const b = Buffer.alloc(head + s.length * (narrow ? 1 : 2));
  if (wideCount) b.writeUInt16LE(s.length, 0);
  else b.writeUInt8(s.length, 0);
  b.writeUInt8(narrow ? 0 : 1, head - 1);
  b.write(s, head, narrow ? 'latin1' : 'utf16le');
  return b;
}

const u16 = (...xs: number[]) => {
  const b = Buffer.alloc(xs.length * 2);
  xs.forEach((x, i) => b.writeUInt16LE(x, i * 2));
  return b;
};

/** One sheet being written: add rows in order (row 0 first), at most 65,536 rows and 256 columns. */
export class Biff8Sheet {
  private out = new Bytes();
  private rows = 0;
  private readonly text = new Map<string, Buffer>();

  constructor(
    public name: string,
    private readonly columns: number,
  ) {}

  get rowCount(): number {
    return this.rows;
  }

  /** The encoded form of a text, kept while the sheet is written (texts repeat: names, codes, 摘要). */
  str(s: string): Buffer {
    let b = this.text.get(s);
    if (!b) {
      if (this.text.size > 50_000) this.text.clear();
      b = xlString(s);
      this.text.set(s, b);
    }
    return b;
  }

  /** Starts the next row and returns its index. */
  nextRow(): number {
    if (this.rows >= 65_536) throw new RangeError('BIFF8 sheet holds 65,536 rows');
    return this.rows++;
  }
  text_(row: number, col: number, s: string, xf = XF_GENERAL): void {
    if (s !== '') this.out.label(row, col, xf, this.str(s));
  }
  int(row: number, col: number, n: number, xf = XF_GENERAL): void {
    this.out.rk(row, col, xf, n, false);
  }
  /** An amount in fen, written as yuan (fen ÷ 100, exact). */
  fen(row: number, col: number, fen: number, xf = XF_AMOUNT): void {
    this.out.rk(row, col, xf, fen, true);
  }

  /** The sheet's substream: BOF, DIMENSIONS, the cells, WINDOW2, EOF. */
  finish(first: boolean): Buffer[] {
    const head = new Bytes();
    head.record(0x0809, u16(0x0600, 0x0010, 0x7262, 0x07cd, 0xc009, 0x0001, 0x0706, 0x0000));
    const dim = Buffer.alloc(14);
    dim.writeUInt32LE(0, 0);
    dim.writeUInt32LE(this.rows, 4);
    dim.writeUInt16LE(0, 8);
    dim.writeUInt16LE(this.columns, 10);
    head.record(0x0200, dim);
    const tail = new Bytes();
    const w2 = Buffer.alloc(18);
    w2.writeUInt16LE(first ? 0x06b6 : 0x00b6, 0);
    w2.writeUInt32LE(64, 6);
    tail.record(0x023e, w2);
    tail.record(0x000a);
    this.text.clear();
    const cells = this.out.end();
    // The sheet lets go of its chunks: once the caller has joined the stream they can be collected.
    this.out = new Bytes();
    return [...head.end(), ...cells, ...tail.end()];
  }
}

/** The workbook stream (globals, then each sheet's substream) for `sheets`, as chunks. */
export function biff8WorkbookStream(sheets: Biff8Sheet[]): Buffer[] {
  const bodies = sheets.map((s, i) => s.finish(i === 0));
  const g = new Bytes();
  g.record(0x0809, u16(0x0600, 0x0005, 0x7262, 0x07cd, 0xc009, 0x0001, 0x0706, 0x0000));
  g.record(0x00e1, u16(0x04b0));
  g.record(0x00c1, [0, 0]);
  g.record(0x00e2);
  const access = Buffer.alloc(112, 0x20);
  xlString('Incubase').copy(access, 0);
  g.record(0x005c, access);
  g.record(0x0042, u16(0x04b0)); // CodePage: UTF-16
  g.record(0x0161, u16(0));
  g.record(0x01c0);
  g.record(0x013d, u16(...sheets.map((_, i) => i + 1)));
  g.record(0x009c, u16(0x11));
  for (const t of [0x0019, 0x0012, 0x0013, 0x01af, 0x01bc]) g.record(t, u16(0));
  g.record(0x003d, u16(0, 0, 0x7260, 0x44c0, 0x38, 0, 0, 1, 0x01f4));
  for (const [t, v] of [[0x0040, 0], [0x008d, 0], [0x0022, 0], [0x000e, 1], [0x01b7, 0], [0x00da, 0]]) g.record(t, u16(v));
  // One font (宋体 renders Chinese on every Windows), as SheetJS writes it.
  const fontName = '宋体';
  const font = Buffer.alloc(16 + 2 * fontName.length);
  font.writeUInt16LE(240, 0);
  font.writeUInt16LE(400, 6);
  font.writeUInt8(fontName.length, 14);
  font.writeUInt8(1, 15);
  font.write(fontName, 16, 'utf16le');
  g.record(0x0031, font);
  g.record(0x041e, Buffer.concat([u16(DATE_FORMAT_ID), xlString('yyyy-mm-dd')]));
  const xf = (fmt: number, style: boolean) => {
    const b = Buffer.alloc(20);
    b.writeUInt16LE(fmt, 2);
    b.writeUInt16LE(style ? 0xfff4 : 0, 4);
    return b;
  };
  for (let i = 0; i < 16; i++) g.record(0x00e0, xf(0, true));
  g.record(0x00e0, xf(0, false)); // 16 general
  g.record(0x00e0, xf(DATE_FORMAT_ID, false)); // 17 yyyy-mm-dd
  g.record(0x00e0, xf(2, false)); // 18 0.00
  g.record(0x0160, u16(0));
  const globalsHead = g.end();
  const names = sheets.map((s) => xlString(s.name, false));
  const tailRecords = new Bytes();
  tailRecords.record(0x008c, u16(1, 1));
  tailRecords.record(0x000a);
  const tail = tailRecords.end();
  const size = (bs: Buffer[]) => bs.reduce((n, b) => n + b.length, 0);
  let pos = size(globalsHead) + names.reduce((n, s) => n + 4 + 6 + s.length, 0) + size(tail);
  const bound = new Bytes();
  sheets.forEach((_, i) => {
    const p = Buffer.alloc(6 + names[i].length);
    p.writeUInt32LE(pos, 0);
    names[i].copy(p, 6);
    bound.record(0x0085, p);
    pos += size(bodies[i]);
  });
  return [...globalsHead, ...bound.end(), ...tail, ...bodies.flat()];
}
