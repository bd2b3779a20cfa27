import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { cellText, decodeText, parseCsv, readTable } from '../../../electron/core/importing/readTable';
import { AppError } from '@shared/errors';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'incubase-readtable-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expected = ['组织名称', '统一社会信用代码', '负责人', '成立日期', '成员人数'];

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION');
    return e as AppError;
  }
  throw new Error('expected the read to fail');
}

async function titledWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const hidden = wb.addWorksheet('说明');
  hidden.state = 'hidden';
  hidden.addRow(['这是隐藏的说明页']);
  const ws = wb.addWorksheet('台账');
  ws.addRow(['XX街道社区社会组织台账']);
  ws.mergeCells('A1:E1');
  ws.addRow(['填报单位:XX街道社会组织服务中心', null, null, '填报日期:2026-03-05']);
  ws.addRow([]);
  ws.addRow(['*组织名称', '统一社会信用代码', '负责人', '成立日期', '成员人数（必填）']);
  ws.addRow(['邻里守望志愿服务队', '53640000MJX173672F', '张三', new Date(Date.UTC(2021, 2, 5)), 12]);
  ws.addRow([]);
  ws.addRow([{ richText: [{ text: '夕阳红' }, { text: '舞蹈队' }] }, null, { formula: 'UPPER("li si")', result: 'LI SI' }, 44260, { formula: '10+5', result: 15 }]);
  ws.addRow(['多出一列的行', null, null, null, 3, '备注在表头之外']);
  ws.getCell('D5').numFmt = 'yyyy-mm-dd';
  const other = wb.addWorksheet('第二页');
  other.addRow(['组织名称', '负责人']);
  other.addRow(['第二页的组织', '王五']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('readTable: xlsx', () => {
  it('finds the header below title rows on the first visible sheet and keeps sheet row numbers', async () => {
    const buffer = await titledWorkbook();
    const path = join(dir, 'titled.xlsx');
    await writeFile(path, buffer);
    for (const source of [{ path }, { buffer, fileName: '台账.xlsx' }]) {
      const t = await readTable(source, { expectedHeaders: expected });
      expect(t.format).toBe('xlsx');
      expect(t.sheetName).toBe('台账');
      expect(t.headerRowNumber).toBe(4);
      expect(t.headers).toEqual(['*组织名称', '统一社会信用代码', '负责人', '成立日期', '成员人数(必填)', '']);
      expect(t.rows.map((r) => r.rowNumber)).toEqual([5, 7, 8]);
      expect(t.rows[0].cells).toEqual(['邻里守望志愿服务队', '53640000MJX173672F', '张三', new Date(Date.UTC(2021, 2, 5)), 12, null]);
      expect(t.rows[1].cells).toEqual(['夕阳红舞蹈队', null, 'LI SI', 44260, 15, null]);
      expect(t.rows[2].cells[5]).toBe('备注在表头之外');
    }
  });

  it('reads a named sheet and says which sheets exist when the name is wrong', async () => {
    const buffer = await titledWorkbook();
    const t = await readTable({ buffer }, { sheetName: '第二页' });
    expect(t.headers).toEqual(['组织名称', '负责人']);
    expect(t.rows).toEqual([{ rowNumber: 2, cells: ['第二页的组织', '王五'] }]);
    const e = await failure(readTable({ buffer }, { sheetName: '不存在' }));
    expect(e.message).toBe('工作簿中没有名为"不存在"的工作表(现有:说明、台账、第二页)');
  });

  it('explains a missing header row', async () => {
    const buffer = await titledWorkbook();
    const e = await failure(readTable({ buffer }, { expectedHeaders: ['活动名称', '活动日期', '地点'] }));
    expect(e.message).toContain('在前 30 行中没有找到表头行');
    expect(e.message).toContain('活动名称');
  });

  it('refuses a sheet with only a header, an empty workbook, and too many rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空').addRow(['组织名称', '负责人']);
    const onlyHeader = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await failure(readTable({ buffer: onlyHeader }))).message).toBe('表头(第 1 行)下面没有数据行');

    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1');
    expect((await failure(readTable({ buffer: Buffer.from(await empty.xlsx.writeBuffer()) }))).message).toBe('表格是空的,没有任何内容');

    const big = new ExcelJS.Workbook();
    const ws = big.addWorksheet('大');
    ws.addRow(['组织名称']);
    for (let i = 0; i < 50; i++) ws.addRow([`组织${i}`]);
    const e = await failure(readTable({ buffer: Buffer.from(await big.xlsx.writeBuffer()) }, { maxRows: 20 }));
    expect(e.message).toContain('超过 20 行');
  });

  it('refuses corrupt and wrong-type files with a Chinese reason', async () => {
    const good = await titledWorkbook();
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    expect((await failure(readTable({ buffer: truncated, fileName: 'broken.xlsx' }))).message).toContain('无法读取工作簿');

    const garbage = Buffer.from('this is not a workbook at all');
    expect((await failure(readTable({ buffer: garbage, fileName: 'fake.xlsx' }))).message).toContain('内容是文本而不是 Excel 工作簿');

    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect((await failure(readTable({ buffer: ole, fileName: 'old.xls' }))).message).toContain('无法读取工作簿');

    const html = Buffer.from('<html><body><p>组织名称</p></body></html>');
    expect((await failure(readTable({ buffer: html, fileName: 'export.xls' }))).message).toContain('其中没有表格');

    expect((await failure(readTable({ buffer: Buffer.alloc(0), fileName: 'a.csv' }))).message).toBe('文件是空的');
    expect((await failure(readTable({ buffer: Buffer.from('%PDF-1.7 ...'), fileName: 'a.pdf' }))).message).toContain('PDF');
    expect((await failure(readTable({ buffer: Buffer.from('abc'), fileName: 'a.docx' }))).message).toContain('不是 .docx 文件');
    expect((await failure(readTable({ path: join(dir, 'missing.xlsx') }))).message).toContain('无法打开文件');

    // a zip that is not a workbook (e.g. a .docx renamed)
    const notWorkbook = new ExcelJS.Workbook();
    const zipOnly = Buffer.from(await notWorkbook.xlsx.writeBuffer());
    expect((await failure(readTable({ buffer: zipOnly }))).message).toContain('没有');
  });
});

describe('readTable: CSV', () => {
  const csvText = [
    '街道社区社会组织台账,,,,',
    '组织名称,统一社会信用代码,负责人,成立日期,成员人数',
    '"邻里守望志愿服务队","53640000MJX173672F",张三,2021/3/5,12',
    '"夕阳红舞蹈队,老年","",李四,2021年3月5日,8',
    '"多行\r\n备注的""组织""",,王五,20210305,',
    ',,,,',
    '最后一行,,赵六,2021.3.5,3',
  ].join('\r\n');

  it('reads GBK (GB18030) files made by Chinese Excel', async () => {
    const path = join(dir, 'gbk.csv');
    await writeFile(path, iconv.encode(csvText, 'gbk'));
    const t = await readTable({ path }, { expectedHeaders: expected });
    expect(t.encoding).toBe('gb18030');
    expect(t.headerRowNumber).toBe(2);
    expect(t.headers).toEqual(['组织名称', '统一社会信用代码', '负责人', '成立日期', '成员人数']);
    expect(t.rows.map((r) => r.rowNumber)).toEqual([3, 4, 5, 7]);
    expect(t.rows[0].cells).toEqual(['邻里守望志愿服务队', '53640000MJX173672F', '张三', '2021/3/5', '12']);
    expect(t.rows[1].cells[0]).toBe('夕阳红舞蹈队,老年');
    expect(t.rows[1].cells[1]).toBeNull();
    expect(t.rows[2].cells[0]).toBe('多行\r\n备注的"组织"');
    expect(t.rows[2].cells[4]).toBeNull();
  });

  it('reads UTF-8 with and without BOM, LF line ends and tab delimiters', async () => {
    for (const [bytes, enc] of [
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText, 'utf8')]), 'utf-8'],
      [Buffer.from(csvText.replace(/\r\n/g, '\n'), 'utf8'), 'utf-8'],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csvText, 'utf-16le')]), 'utf-16le'],
    ] as const) {
      const t = await readTable({ buffer: bytes, fileName: 'a.csv' }, { expectedHeaders: expected });
      expect(t.encoding).toBe(enc);
      expect(t.headers[0]).toBe('组织名称');
      expect(t.rows[3].cells).toEqual(['最后一行', null, '赵六', '2021.3.5', '3']);
    }
    const tsv = await readTable({ buffer: Buffer.from('名称\t负责人\n甲\t张\n乙\t李\n'), fileName: 'a.txt' });
    expect(tsv.headers).toEqual(['名称', '负责人']);
    expect(tsv.rows[1].cells).toEqual(['乙', '李']);
  });

  it('refuses an unterminated quote and binary content', async () => {
    const e = await failure(readTable({ buffer: Buffer.from('a,b\n"open,1\n2,3\n'), fileName: 'a.csv' }));
    expect(e.message).toBe('CSV 文件第 2 行的引号没有闭合,文件可能不完整');
    const bin = await failure(readTable({ buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xc3, 0x00]), fileName: 'a.csv' }));
    expect(bin.message).toContain('二进制');
    expect((await failure(readTable({ buffer: Buffer.from('\r\n,,\r\n'), fileName: 'a.csv' }))).message).toBe('表格是空的,没有任何内容');
  });
});

describe('CSV and text helpers', () => {
  it('parses RFC 4180 edge cases', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n1,2,3', ',')).toEqual([['a', 'b,c', 'd"e'], ['1', '2', '3']]);
    expect(parseCsv('a,b\n', ',')).toEqual([['a', 'b']]);
    expect(parseCsv('a,b\rc,d', ',')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('x,,\n', ',')).toEqual([['x', '', '']]);
    expect(parseCsv('5"寸,b', ',')).toEqual([['5"寸', 'b']]);
  });

  it('decodes by BOM, then strict UTF-8, then GB18030', () => {
    expect(decodeText(iconv.encode('社区', 'gbk'))).toEqual({ text: '社区', encoding: 'gb18030' });
    expect(decodeText(Buffer.from('社区', 'utf8'))).toEqual({ text: '社区', encoding: 'utf-8' });
    expect(decodeText(iconv.encode('𠀀社区', 'gb18030')).text).toBe('𠀀社区');
  });

  it('renders cells as text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(new Date(Date.UTC(2021, 2, 5)))).toBe('2021-03-05');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(12)).toBe('12');
    expect(cellText(' ＡＢ　c ')).toBe('AB c');
  });
});
