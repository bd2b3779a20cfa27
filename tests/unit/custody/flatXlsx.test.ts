import { describe, expect, it } from 'vitest';
import * as XLSXns from '@e965/xlsx';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { crc32, inflateRawSync } from 'node:zlib';
import { columnName, excelSerial, FlatXlsx, flatSheetName, STYLE, xmlText } from '../../../electron/core/custody/flatXlsx';

const XLSX = ((XLSXns as unknown as { default?: typeof XLSXns }).default?.utils ? (XLSXns as unknown as { default: typeof XLSXns }).default : XLSXns) as typeof XLSXns;

/** A workbook written by FlatXlsx from [date, amount in fen, text] rows, `perSheet` data rows a sheet. */
async function write(rows: [string, number, string][], perSheet = 1_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // A sink that is sometimes behind, as a file is.
  const x = new FlatXlsx({ write: (c) => (chunks.push(c), chunks.length % 3 === 0 ? new Promise<void>((r) => setImmediate(r)) : undefined) }, {
    sheetName: '明细:一/二',
    title: '标题 & <说明>',
    columns: [
      { header: '日期', width: 12 },
      { header: '金额', width: 15 },
      { header: '文字', width: 40 },
    ],
  });
  await x.sheet();
  for (const [date, fen, text] of rows) {
    if (x.rows - 2 >= perSheet) await x.sheet();
    x.row();
    x.int(0, excelSerial(date), STYLE.date);
    x.fen(1, fen);
    x.text(2, text);
    x.endRow();
    await x.ready();
  }
  await x.end();
  return Buffer.concat(chunks);
}

/** What a reader sees of a text: XML 1.0 cannot hold most control characters, so they are dropped. */
// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const HOSTILE = ['a & b', '<tag attr="x">', "it's", ' 前后有空格 ', '\t制表', '换\n行', '控制\u0001\u0008字符', '😀 表情', '\ufffe', '</t></si>', 'x'.repeat(5_000), '0123', '=SUM(A1)', '中文，全角：；'];

describe('flat xlsx writer', () => {
  it('round-trips hostile text, dates and amounts through SheetJS and ExcelJS, over several sheets', async () => {
    const rows: [string, number, string][] = HOSTILE.map((t, i) => [`2024-0${(i % 9) + 1}-1${i % 10}`, i * 12_345 + 1, t]);
    rows.push(['2024-12-31', 0, ''], ['1999-12-31', 99_999_999_999, '最后']);
    const buf = await write(rows, 5);
    const expected = rows.map(([d, fen, t]) => [d, fen, visible(t)]);

    const wb = XLSX.read(buf, { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['明细 一 二', '明细 一 二2', '明细 一 二3', '明细 一 二4']);
    const got = wb.SheetNames.flatMap((n) => {
      const aoa = XLSX.utils.sheet_to_json(wb.Sheets[n], { header: 1, raw: true, defval: '' }) as unknown[][];
      expect(aoa[0][0]).toBe('标题 & <说明>');
      expect(aoa[1]).toEqual(['日期', '金额', '文字']);
      return aoa.slice(2).map((r) => [new Date(Date.UTC(1899, 11, 30) + (r[0] as number) * 86_400_000).toISOString().slice(0, 10), Math.round((r[1] as number) * 100), r[2]]);
    });
    expect(got).toEqual(expected);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buf as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(wb.SheetNames);
    const ej: unknown[][] = [];
    for (const ws of book.worksheets) {
      expect(ws.getCell('A1').value).toBe('标题 & <说明>');
      expect(ws.getCell('A2').font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(ws.getColumn(3).width).toBe(40);
      ws.eachRow((row, i) => {
        if (i <= 2) return;
        expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd');
        expect(row.getCell(2).numFmt).toBe('#,##0.00');
        ej.push([(row.getCell(1).value as Date).toISOString().slice(0, 10), Math.round((row.getCell(2).value as number) * 100), row.getCell(3).value ?? '']);
      });
    }
    expect(ej).toEqual(expected);
  });

  it('any text survives the shared-string table (random strings, SheetJS re-read)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 30 }), async (texts) => {
        const buf = await write(texts.map((t) => ['2025-06-01', 100, t]));
        const wb = XLSX.read(buf, { type: 'buffer' });
        const aoa = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: true, defval: '' }) as unknown[][];
        // A lone surrogate has no UTF-8 form: it is written as U+FFFD, as Buffer.from does.
        expect(aoa.slice(2).map((r) => r[2])).toEqual(texts.map((t) => Buffer.from(visible(t), 'utf8').toString('utf8')));
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it('an empty workbook still opens: title and header only', async () => {
    const buf = await write([]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buf as never);
    expect(book.worksheets[0].rowCount).toBe(2);
  });

  it('helpers: column letters, day serials, sheet names, escaping', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(excelSerial('1900-03-01')).toBe(61);
    expect(excelSerial('2024-01-01')).toBe(45292);
    expect(flatSheetName('x'.repeat(40), 0)).toHaveLength(31);
    expect(flatSheetName('x'.repeat(40), 11)).toBe(`${'x'.repeat(29)}12`);
    expect(xmlText('a<b>&"c"\u0002')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});

/** The entries of a zip as its central directory lists them, each checked against its local data. */
function zipEntries(buf: Buffer): { name: string; size: number; crc: number; data: Buffer }[] {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out: { name: string; size: number; crc: number; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const crc = buf.readUInt32LE(p + 16);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = inflateRawSync(buf.subarray(dataAt, dataAt + compressed));
    out.push({ name, size, crc, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('flat xlsx writer: bytes', () => {
  it('every zip entry\'s CRC-32 and sizes (taken from zlib\'s gzip trailer for the streamed parts) match its data, over many chunks', async () => {
    const rows: [string, number, string][] = Array.from({ length: 40_000 }, (_, i) => ['2024-03-01', i * 7 - 9_000, `文字${i % 300}`]);
    const buf = await write(rows, 30_000);
    const entries = zipEntries(buf);
    expect(entries.map((e) => e.name)).toContain('xl/worksheets/sheet2.xml');
    const sheet1 = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    // Several megabytes: handed to zlib in many buffers.
    expect(sheet1.size).toBeGreaterThan(3 * 1024 * 1024);
    for (const e of entries) {
      expect(e.data.length, e.name).toBe(e.size);
      expect(crc32(e.data), e.name).toBe(e.crc);
    }
  });

  it('numbers are written exactly: integers (negative too) and amounts in 分 as their decimal in yuan', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.maxSafeInteger()), { minLength: 1, maxLength: 40 }), async (pairs) => {
        const chunks: Buffer[] = [];
        const x = new FlatXlsx({ write: (c) => void chunks.push(c) }, { sheetName: 's', columns: [{ header: 'a', width: 9 }, { header: 'b', width: 9 }, { header: 'c', width: 9 }, { header: 'd', width: 9 }] });
        await x.sheet();
        for (const [fen, big] of pairs) {
          x.row();
          x.int(0, fen);
          x.fen(1, fen);
          x.int(2, -big);
          x.num(3, fen / 7);
          x.endRow();
        }
        await x.end();
        const buf = Buffer.concat(chunks);
        const xml = zipEntries(buf).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
        const values = [...xml.matchAll(/<c r="B\d+" s="2"><v>([^<]*)<\/v>/g)].map((m) => m[1]);
        const yuan = (f: number) => `${f < 0 ? '-' : ''}${Math.floor(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`;
        expect(values).toEqual(pairs.map(([fen]) => yuan(fen)));
        const wb = XLSX.read(buf, { type: 'buffer' });
        const aoa = XLSX.utils.sheet_to_json(wb.Sheets.s, { header: 1, raw: true }) as number[][];
        expect(aoa.slice(1)).toEqual(pairs.map(([fen, big]) => [fen, fen / 100, -big, fen / 7]));
      }),
      { numRuns: 30, seed: 16 },
    );
  });

  it('inline texts (a voucher number) are escaped and kept, spaces preserved', async () => {
    const chunks: Buffer[] = [];
    const x = new FlatXlsx({ write: (c) => void chunks.push(c) }, { sheetName: 's', columns: [{ header: 'n', width: 9 }] });
    await x.sheet();
    const texts = ['记-2024-01-0001', ' a & <b> ', '控制\u0001字符', '😀'];
    for (const t of texts) {
      x.row();
      x.inline(0, x.inlineText(t));
      x.endRow();
    }
    await x.end();
    const aoa = XLSX.utils.sheet_to_json(XLSX.read(Buffer.concat(chunks), { type: 'buffer' }).Sheets.s, { header: 1, raw: true }) as string[][];
    expect(aoa.slice(1).map((r) => r[0])).toEqual(texts.map(visible));
  });
});
