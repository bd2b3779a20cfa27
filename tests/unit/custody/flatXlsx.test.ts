import { describe, expect, it } from 'vitest';
import * as XLSXns from '@e965/xlsx';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
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
    const r = x.nextRow();
    await x.add(`<row r="${r}"><c r="A${r}" s="${STYLE.date}"><v>${excelSerial(date)}</v></c><c r="B${r}" s="${STYLE.amount}"><v>${fen / 100}</v></c>${text === '' ? '' : `<c r="C${r}" t="s"><v>${x.sst(text)}</v></c>`}</row>`);
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
