import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { openDemoCore, refusal } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
});
afterAll(async () => {
  await t.cleanup();
});

const file = (name: string, buf: Buffer) => ({ name, base64: buf.toString('base64') });

describe('台账 import through the intake layer', () => {
  it('refuses a 10,000-column file as VALIDATION with a Chinese reason (was an INTERNAL error from the output schema)', async () => {
    const header = ['组织名称', '负责人', ...Array.from({ length: 9_998 }, (_, i) => `列${i + 3}`)].join(',');
    const row = ['宽表测试队', '张三', ...Array.from({ length: 9_998 }, () => 'x')].join(',');
    const e = await refusal(t.core, 'organizations.import.preview', { file: file('wide.csv', Buffer.from(`${header}\n${row}\n`)) }, t.token);
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('超过 200 列的上限');
  });

  it('refuses a truncated CSV instead of importing its partial last row', async () => {
    const csv = '组织名称,负责人,成员人数,成立日期\r\n截断测试甲队,张三,12,2021-03-05\r\n截断测试乙队,李';
    const e = await refusal(t.core, 'organizations.import.commit', { file: file('cut.csv', Buffer.from(csv)), mode: 'validOnly' }, t.token);
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('被截断');
    expect((await t.call('organizations.list', { startRow: 0, endRow: 5, search: '截断测试' })).total).toBe(0);
  });

  it('imports a BIFF8 .xls with a two-row merged header and a footer, mapping 负责人·联系电话 by group and sub-header', async () => {
    const rows = [
      ['玉林街道社区社会组织台账'],
      ['组织名称', '管理类别', '负责人', null, '成立日期'],
      [null, null, '姓名', '联系电话', null],
      ['双行表头测试队', '社区指导', '王芳', '13800138000', 20210305],
      ['填表人:张丽', null, '审核人:李明'],
    ];
    const wb = XLSX.utils.book_new();
    const ws = XLSX.utils.aoa_to_sheet(rows);
    ws['!merges'] = ['A1:E1', 'A2:A3', 'B2:B3', 'C2:D2', 'E2:E3'].map((r) => XLSX.utils.decode_range(r));
    XLSX.utils.book_append_sheet(wb, ws, '台账');
    const buf = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const preview = await t.call('organizations.import.preview', { file: file('台账.xls', buf) });
    expect(preview.format).toBe('xls');
    expect(preview.headers).toEqual(['组织名称', '管理类别', '负责人·姓名', '负责人·联系电话', '成立日期']);
    expect(preview.mapping).toEqual(['name', 'mgmtClass', 'leaderName', 'leaderPhone', 'foundedDate']);
    expect(preview.counts).toEqual({ create: 1, update: 0, unchanged: 0, error: 0 });
    await t.call('organizations.import.commit', { file: file('台账.xls', buf), mode: 'all' });
    const org = (await t.call('organizations.list', { startRow: 0, endRow: 1, search: '双行表头测试队' })).rows[0];
    expect(org.leaderPhone).toBe('13800138000');
    expect(org.foundedDate).toBe('2021-03-05');
    const again = await t.call('organizations.import.preview', { file: file('台账.xls', buf) });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 1, error: 0 });
  });
});

describe('台账 rules', () => {
  it('infers the kind from the credit code without a 登记类型 column, warns on a non-civil-affairs code, reports every problem of a row, checks phones and founding dates', async () => {
    const csv = [
      '组织名称,统一社会信用代码,管理类别,负责人电话,成立日期,成员人数',
      '推断类型测试社团,53640000MJX173672F,依法登记,13800138000,2021-03-05,12',
      '工商代码测试会,91350100M000100Y43,依法登记,028-87654321,2021-03-05,12',
      '多处错误测试队,53640000MJX173672G,依法登记,1380013800,2099-01-01,十二',
      '座机测试队,,社区指导,87654321,2020-01-01,3',
    ].join('\n');
    const preview = await t.call('organizations.import.preview', { file: file('rules.csv', Buffer.from(csv)) });
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[2].action).toBe('create');
    expect(byRow[2].warnings).toContain('登记类型按统一社会信用代码第2位推断为"基金会"(文件中没有登记类型列)');
    expect(byRow[3].warnings.some((w) => w.includes('第1位是"9"'))).toBe(true);
    // the wrong code, the 10-digit mobile, the future date and the count, all at once
    expect(byRow[4].issues.map((i) => i.column).sort()).toEqual(['成员人数', '成立日期', '统一社会信用代码', '负责人电话'].sort());
    expect(byRow[4].issues.find((i) => i.column === '负责人电话')!.message).toContain('11 位');
    expect(byRow[4].issues.find((i) => i.column === '成立日期')!.message).toContain('晚于今天');
    expect(byRow[5].issues).toEqual([{ column: '负责人电话', message: expect.stringContaining('区号') }]);
  });
});
