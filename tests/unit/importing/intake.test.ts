/**
 * The intake layer against a corpus made here with the libraries real producers use: SheetJS-written xlsx,
 * BIFF8 .xls, HTML tables and Excel 2003 XML saved as .xls, CSV in UTF-16/GB18030, headers over two rows with
 * merged cells, footers, phonetic guides, `="…"` wrappers, numeric dates and the 1904 date system.
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import { readTable, type Table } from '../../../electron/core/importing/readTable';
import { AppError } from '@shared/errors';
import { parseBusinessDate } from '@shared/dates/parse';
import { parseSidedAmount } from '@shared/money';
import { headerVariants } from '@shared/importing/limits';

const EXPECTED = ['组织名称', '负责人', '成立日期', '成员人数', '联系电话'];

async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION');
    return (e as AppError).message;
  }
  throw new Error('expected a refusal');
}

function sheetjsBook(rows: unknown[][], opts: { merges?: XLSX.Range[]; name?: string; cellDates?: boolean } = {}): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet(rows, { cellDates: opts.cellDates });
  if (opts.merges) ws['!merges'] = opts.merges;
  XLSX.utils.book_append_sheet(wb, ws, opts.name ?? '台账');
  return wb;
}

const LEDGER: unknown[][] = [
  ['XX街道社区社会组织台账'],
  ['填报单位:XX街道社会组织服务中心'],
  [],
  ['组织名称', '负责人', '成立日期', '成员人数'],
  ['邻里守望志愿服务队', '张三', new Date(Date.UTC(2021, 2, 5)), 12],
  ['夕阳红舞蹈队', '李四', new Date(Date.UTC(2019, 11, 31)), 30],
];

describe('workbooks from any producer, detected by content', () => {
  it('reads a SheetJS-written xlsx (worksheet before workbook.xml and shared strings in the zip) the same way every time', async () => {
    const rows: unknown[][] = [['组织名称', '负责人', '成员人数', '成立日期']];
    for (let i = 0; i < 3000; i++) rows.push([`组织${i}号邻里互助会`, `张${i % 7}`, i, new Date(Date.UTC(2020, 1, (i % 28) + 1))]);
    const wb = sheetjsBook(rows, { cellDates: true });
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['说明']]), '说明');
    for (const bookSST of [true, false]) {
      const buffer = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST, compression: true }) as Buffer;
      const seen = new Set<string>();
      for (let k = 0; k < 5; k++) {
        const t = await readTable({ buffer, fileName: '导出.xlsx' });
        seen.add(JSON.stringify([t.format, t.sheetName, t.headers, t.rows.length, t.rows[2999]]));
      }
      expect(seen.size).toBe(1);
      const t = await readTable({ buffer });
      expect(t.format).toBe('xlsx');
      expect(t.rows).toHaveLength(3000);
      expect(t.rows[5]).toEqual({ rowNumber: 7, cells: ['组织5号邻里互助会', '张5', 5, new Date(Date.UTC(2020, 1, 6))] });
    }
  });

  it('reads BIFF8 .xls and WPS-style OLE files whatever their name, with title rows and dates', async () => {
    const buffer = XLSX.write(sheetjsBook(LEDGER, { cellDates: true }), { type: 'buffer', bookType: 'biff8' }) as Buffer;
    for (const fileName of ['台账.xls', '台账.et', '台账.xlsx', '台账.csv']) {
      const t = await readTable({ buffer, fileName }, { expectedHeaders: EXPECTED });
      expect(t.format).toBe('xls');
      expect(t.headerRowNumber).toBe(4);
      expect(t.preamble).toEqual(['XX街道社区社会组织台账', '填报单位:XX街道社会组织服务中心']);
      expect(t.rows[0].cells).toEqual(['邻里守望志愿服务队', '张三', new Date(Date.UTC(2021, 2, 5)), 12]);
      expect(t.rows[1].cells[2]).toEqual(new Date(Date.UTC(2019, 11, 31)));
    }
  });

  it('reads an HTML table saved as .xls (GBK), keeping ID numbers and leading zeros as text, with a two-row merged header', async () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>
      <table border="1">
        <tr><td colspan="4">学员花名册</td></tr>
        <tr><td rowspan="2">姓名</td><td rowspan="2">身份证号</td><td colspan="2">联系方式</td></tr>
        <tr><td>手机</td><td>座机</td></tr>
        <tr><td>王  芳</td><td>11010119900307123X</td><td>13800138000</td><td>028-00123456</td></tr>
        <tr><td>陈静</td><td>110101199003071234</td><td>="13900139000"</td><td>0123</td></tr>
      </table></body></html>`;
    const t = await readTable({ buffer: iconv.encode(html, 'gbk'), fileName: '花名册.xls' }, { expectedHeaders: ['姓名', '身份证号'] });
    expect(t.format).toBe('html');
    expect(t.encoding).toBe('gb18030');
    expect(t.headerRowCount).toBe(2);
    expect(t.headers).toEqual(['姓名', '身份证号', '联系方式·手机', '联系方式·座机']);
    expect(t.rows.map((r) => r.rowNumber)).toEqual([4, 5]);
    expect(t.rows[1].cells).toEqual(['陈静', '110101199003071234', '13900139000', '0123']);
  });

  it('reads Excel 2003 XML (SpreadsheetML) saved as .xls', async () => {
    const xml = XLSX.write(sheetjsBook(LEDGER.slice(3)), { type: 'string', bookType: 'xlml' }) as string;
    const t = await readTable({ buffer: Buffer.from(xml, 'utf8'), fileName: '台账.xls' });
    expect(t.format).toBe('xml');
    expect(t.headers).toEqual(['组织名称', '负责人', '成立日期', '成员人数']);
    expect(t.rows[0].cells[0]).toBe('邻里守望志愿服务队');
  });

  it('reads an .ods from LibreOffice-style producers', async () => {
    const buffer = XLSX.write(sheetjsBook(LEDGER.slice(3)), { type: 'buffer', bookType: 'ods' }) as Buffer;
    const t = await readTable({ buffer, fileName: 'x.xls' });
    expect(t.format).toBe('ods');
    expect(t.rows[1].cells[0]).toBe('夕阳红舞蹈队');
  });

  it('ignores phonetic guides (拼音指南) and flattens rich text', async () => {
    const buffer = XLSX.write(sheetjsBook([['组织名称', '负责人'], ['张三队', '李四']]), { type: 'buffer', bookType: 'xlsx', bookSST: true }) as Buffer;
    const zip = await JSZip.loadAsync(buffer);
    const sst = (await zip.file('xl/sharedStrings.xml')!.async('string'))
      .replace('<si><t>张三队</t></si>', '<si><r><t>张三</t></r><r><rPr><b/></rPr><t>队</t></r><rPh sb="0" eb="2"><t>zhang san</t></rPh><phoneticPr fontId="1"/></si>')
      .replace('<si><t>李四</t></si>', '<si><t>李四</t><rPh sb="0" eb="2"><t>リ シ</t></rPh></si>');
    zip.file('xl/sharedStrings.xml', sst);
    const patched = await zip.generateAsync({ type: 'nodebuffer' });
    const t = await readTable({ buffer: patched });
    expect(t.rows[0].cells).toEqual(['张三队', '李四']);
  });

  it('gives formulas by their cached values and removes ="…" wrappers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['组织名称', '成员人数', '编号']);
    ws.addRow(['甲队', { formula: '10+5', result: 15 }, '="0012"']);
    const t = await readTable({ buffer: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(t.rows[0].cells).toEqual(['甲队', 15, '0012']);
  });

  it('reads dates of the 1904 date system by that system', async () => {
    const wb = sheetjsBook([['组织名称', '成立日期'], ['甲队', 0]]);
    const ws = wb.Sheets['台账'];
    ws['B2'] = { t: 'n', v: 43891, z: 'yyyy-mm-dd' }; // 2024-03-02 in the 1904 system
    wb.Workbook = { WBProps: { date1904: true } };
    const buffer = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const t = await readTable({ buffer });
    expect(t.date1904).toBe(true);
    expect(t.rows[0].cells[1]).toEqual(new Date(Date.UTC(2024, 2, 2)));
    expect(parseBusinessDate(43891, { date1904: true })).toEqual({ ok: true, date: '2024-03-02' });
  });
});

describe('tables as people make them', () => {
  it('names the columns of a header over two rows with merged group cells by group and sub-header', async () => {
    const rows = [
      ['XX街道社区社会组织台账'],
      ['组织名称', '负责人', null, '成立日期', '人数', null],
      [null, '姓名', '联系电话', null, '成员', '志愿者'],
      ['邻里守望志愿服务队', '张三', '13800138000', '2021/3/5', 12, 3],
    ];
    const merges = [XLSX.utils.decode_range('A1:F1'), XLSX.utils.decode_range('A2:A3'), XLSX.utils.decode_range('B2:C2'), XLSX.utils.decode_range('D2:D3'), XLSX.utils.decode_range('E2:F2')];
    for (const bookType of ['xlsx', 'biff8'] as const) {
      const buffer = XLSX.write(sheetjsBook(rows, { merges }), { type: 'buffer', bookType }) as Buffer;
      const t = await readTable({ buffer }, { expectedHeaders: EXPECTED });
      expect(t.headerRowNumber).toBe(2);
      expect(t.headerRowCount).toBe(2);
      expect(t.headers).toEqual(['组织名称', '负责人·姓名', '负责人·联系电话', '成立日期', '人数·成员', '人数·志愿者']);
      expect(t.rows).toEqual([{ rowNumber: 4, cells: ['邻里守望志愿服务队', '张三', '13800138000', '2021/3/5', 12, 3] }]);
    }
    // the same layout as CSV (no merge information): the group is carried to the empty titles on its right
    const csv = '组织名称,负责人,,成立日期\n,姓名,联系电话,\n甲队,张三,13800138000,2021/3/5\n';
    const t = await readTable({ buffer: Buffer.from(csv), fileName: 'a.csv' }, { expectedHeaders: EXPECTED });
    expect(t.headers).toEqual(['组织名称', '负责人·姓名', '负责人·联系电话', '成立日期']);
    expect(t.rows).toHaveLength(1);
    expect(headerVariants('负责人·联系电话')).toEqual(['负责人·联系电话', '负责人联系电话', '负责人电话', '联系电话']);
    expect(headerVariants('负责人·姓名')).toContain('负责人');
  });

  it('does not take a data row for a sub-header', async () => {
    const t = await readTable({ buffer: Buffer.from('组织名称,负责人,\n甲队,张三,备注\n乙队,李四,\n'), fileName: 'a.csv' });
    expect(t.headerRowCount).toBe(1);
    expect(t.rows.map((r) => r.cells[0])).toEqual(['甲队', '乙队']);
  });

  it('recognizes footers (填表人, 审核人, 合计, 打印日期) as not data', async () => {
    const rows = [
      ['组织名称', '负责人', '成员人数'],
      ['甲队', '张三', 12],
      ['乙队', '李四', 8],
      ['合计', null, 20],
      [],
      ['填表人:王芳', null, '审核人:陈静'],
      ['打印日期:2026年3月5日'],
    ];
    const buffer = XLSX.write(sheetjsBook(rows), { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const t = await readTable({ buffer });
    expect(t.rows.map((r) => r.cells[0])).toEqual(['甲队', '乙队']);
    expect(t.footerRows).toEqual([4, 6, 7]);
  });

  it('reads CSV in UTF-16LE/BE with and without BOM and GB18030', async () => {
    const text = '组织名称,负责人\r\n邻里守望,张三\r\n𠀀社,李四\r\n';
    const cases: [Buffer, string][] = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), 'utf-16le'],
      [iconv.encode(text, 'utf-16le'), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'utf-16be'],
      [iconv.encode(text, 'utf-16be'), 'utf-16be'],
      [iconv.encode(text, 'gb18030'), 'gb18030'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ];
    for (const [buffer, encoding] of cases) {
      const t = await readTable({ buffer, fileName: 'a.xls' });
      expect(t.encoding).toBe(encoding);
      expect(t.rows.map((r) => r.cells)).toEqual([['邻里守望', '张三'], ['𠀀社', '李四']]);
    }
    const tsv = await readTable({ buffer: iconv.encode('姓名\t电话\n王芳\t="0138"\n', 'utf-16le') });
    expect(tsv.rows[0].cells).toEqual(['王芳', '0138']);
  });

  it('parses dates and amounts the way offices and banks write them', () => {
    for (const v of ['2026/3/5', '2026年3月5日', '2026.03.05', '20260305', '２０２６－０３－０５', 20260305, 46086]) {
      expect(parseBusinessDate(v)).toEqual({ ok: true, date: '2026-03-05' });
    }
    expect(parseBusinessDate(20260415)).toEqual({ ok: true, date: '2026-04-15' });
    expect(parseBusinessDate(20261345).ok).toBe(false);
    expect(parseSidedAmount('借 1,234.50')).toEqual({ ok: true, fen: 123450, side: 'debit' });
    expect(parseSidedAmount('￥1,234.50贷')).toEqual({ ok: true, fen: 123450, side: 'credit' });
    expect(parseSidedAmount('(借)1,234.50元')).toEqual({ ok: true, fen: 123450, side: 'debit' });
    expect(parseSidedAmount('(1,234.50)')).toEqual({ ok: true, fen: -123450, side: null });
    expect(parseSidedAmount('借 -5.00').ok).toBe(false);
    expect(parseSidedAmount(12.5)).toEqual({ ok: true, fen: 1250, side: null });
  });
});

describe('budgets and damaged files (issue 17)', () => {
  it('refuses a 10,000-column file with a clear message instead of failing later', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `列${i + 1}`).join(',');
    const row = Array.from({ length: 10_000 }, (_, i) => String(i)).join(',');
    const message = await refused(readTable({ buffer: Buffer.from(`${header}\n${row}\n`), fileName: 'wide.csv' }));
    expect(message).toBe('表格有 10000 列,超过 200 列的上限:请删除多余的列(或确认选择了正确的文件)后再导入');
    const wide = XLSX.write(sheetjsBook([header.split(','), row.split(',')]), { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    expect(await refused(readTable({ buffer: wide }))).toContain('超过 200 列的上限');
  });

  it('refuses a truncated CSV instead of importing its partial last row', async () => {
    const full = '组织名称,负责人,成员人数,成立日期\r\n甲队,张三,12,2021-03-05\r\n乙队,李四,8,2020-01-02\r\n';
    const cut = full.slice(0, full.length - 14); // "乙队,李四,8" and part of the date
    expect(await refused(readTable({ buffer: Buffer.from(cut), fileName: 'a.csv' }))).toContain('文件可能不完整(被截断)');
    // a cut inside a multi-byte character
    const bytes = Buffer.from(full.slice(0, full.length - 2), 'utf8');
    const inChar = Buffer.concat([Buffer.from('组织名称,负责人\n甲队,张三\n乙队,李'), Buffer.from('四', 'utf8').subarray(0, 2)]);
    expect(await refused(readTable({ buffer: inChar, fileName: 'a.csv' }))).toContain('被截断');
    // the whole file without its last line break is fine (the last row is complete)
    const t = await readTable({ buffer: bytes, fileName: 'a.csv' });
    expect(t.rows[1].cells).toEqual(['乙队', '李四', '8', '2020-01-02']);
  });

  it('refuses files over the size budget and damaged workbooks with Chinese reasons', async () => {
    expect(await refused(readTable({ buffer: Buffer.alloc(2048, 0x41) }, { maxBytes: 1024 }))).toContain('超过 1.0 MB'.slice(0, 2));
    const good = XLSX.write(sheetjsBook(LEDGER), { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    expect(await refused(readTable({ buffer: good.subarray(0, good.length - 30) }))).toMatch(/无法读取工作簿/);
    const xls = XLSX.write(sheetjsBook(LEDGER), { type: 'buffer', bookType: 'biff8' }) as Buffer;
    expect(await refused(readTable({ buffer: xls.subarray(0, 600) }))).toMatch(/无法读取工作簿|没有/);
  });

  it('random cell mutations never crash a reader: every file is read or refused with a VALIDATION message', async () => {
    const base = [
      ['组织名称', '负责人', '成立日期', '成员人数'],
      ['甲队', '张三', '2021-03-05', 12],
      ['乙队', '李四', 20200102, 8],
    ];
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('="0012"', '合计', '填表人:', '', '\u0000', '"', '<td>', '&amp;', '借 1.00', '2026年13月1日'),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.constant(null),
    );
    const bookTypes = ['xlsx', 'biff8', 'csv', 'html', 'ods'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(3), fc.nat(5), cell), { maxLength: 8 }), fc.constantFrom(...bookTypes), fc.nat(), async (mutations, bookType, cutAt) => {
        const rows = base.map((r) => [...r]) as unknown[][];
        for (const [r, c, v] of mutations) {
          rows[r] ??= [];
          rows[r][c] = v;
        }
        const out = XLSX.write(sheetjsBook(rows), { type: bookType === 'csv' || bookType === 'html' ? 'string' : 'buffer', bookType }) as Buffer | string;
        let buffer = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
        if (cutAt % 4 === 0) buffer = buffer.subarray(0, cutAt % Math.max(1, buffer.length));
        try {
          const t: Table = await readTable({ buffer });
          expect(t.headers.length).toBe(t.rows[0]?.cells.length ?? t.headers.length);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('VALIDATION');
          expect((e as AppError).message).toMatch(/[\u4e00-\u9fff]/);
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});
