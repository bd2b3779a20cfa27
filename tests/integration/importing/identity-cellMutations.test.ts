import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as XLSX from '@e965/xlsx';
import type { CallName } from '@shared/contract';
import { openDemoCore } from '../../helpers/core';
import { rawGet } from '../../helpers/engine';

/**
 * Random cell mutations never crash an importer (issue 13): each importer's own file (its template, or a bank's
 * statement layout) with random cells replaced — text, control characters, markup, numbers, NaN/Infinity, formulas'
 * wrappers, footers, impossible dates — written as xlsx, BIFF8 .xls, CSV, HTML-as-xls or ODS and sometimes cut
 * short, is either previewed (rows with their issues) or refused with a Chinese VALIDATION message; never an
 * INTERNAL error. The intake layer has the same property on its own (tests/unit/importing/intake.test.ts); this one
 * runs the importers' previews, which is where the cells are interpreted.
 */
let t: Awaited<ReturnType<typeof openDemoCore>>;
const bases: { name: string; call: CallName; rows: unknown[][]; input: (file: { name: string; base64: string }) => unknown }[] = [];

const fromTemplate = async (call: CallName) => {
  const f = (await t.call(call as 'venues.import.template', {})) as { base64: string };
  const wb = XLSX.read(Buffer.from(f.base64, 'base64'), { type: 'buffer' });
  return XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: true, defval: null });
};

beforeAll(async () => {
  t = await openDemoCore('admin');
  const bankAccountId = (await rawGet<{ id: string }>(t.core, 'SELECT id FROM custody_bank_accounts ORDER BY seq LIMIT 1'))!.id;
  const org = (await rawGet<{ name: string }>(t.core, 'SELECT name FROM organizations ORDER BY name LIMIT 1'))!.name;
  bases.push(
    {
      name: '组织台账',
      call: 'organizations.import.preview',
      rows: [
        ['组织名称', '管理类别', '统一社会信用代码', '负责人', '负责人电话', '成立日期', '成员人数', '服务领域'],
        ['变异测试甲队', '社区(村)指导', '', '张三', '13900001111', '2021-03-05', 12, '文体娱乐'],
        ['变异测试乙会', '依法登记', '51510107MJ0000001X', '李四', '028-85551234', 20200102, 8, '为民服务'],
      ],
      input: (file) => ({ file }),
    },
    { name: '场地', call: 'venues.import.preview', rows: await fromTemplate('venues.import.template'), input: (file) => ({ file }) },
    { name: '活动记录', call: 'organizations.activities.import.preview', rows: (await fromTemplate('organizations.activities.import.template')).map((r, i) => (i === 1 ? [org, ...r.slice(1)] : r)), input: (file) => ({ file }) },
    { name: '学员花名册', call: 'training.trainees.import.preview', rows: await fromTemplate('training.trainees.import.template'), input: (file) => ({ file }) },
    {
      name: '银行对账单',
      call: 'custody.statements.preview',
      rows: [
        ['中国工商银行账户历史明细'],
        ['账号：1202 0000 0000 1234'],
        ['交易日期', '凭证号', '对方单位名称', '摘要', '借方发生额', '贷方发生额', '余额'],
        ['2026-03-02', 'V001', '某某区民政局', '拨款', '', '50,000.00', '150,000.00'],
        ['2026-03-05', 'V002', '阳光物业管理有限公司', '租金', '1,234.50', '', '148,765.50'],
        ['合计', '', '', '', '1,234.50', '50,000.00'],
      ],
      input: (file) => ({ bankAccountId, file, confirmAccount: true }),
    },
  );
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('="0012"', '合计', '填表人:', '经办人：王芳', '', ' ', '\u0000', '\u3000', '"', '<td>', '&amp;', '借 1.00', '(1,234.50)', '￥-0.00', '2026年13月1日', '20261301', '1e309', '是否', '文艺', 'x'.repeat(300)),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.date({ noInvalidDate: true }),
  fc.boolean(),
  fc.constant(null),
);

describe('random cell mutations never crash an importer', () => {
  it('every mutated file of every importer is previewed or refused with a Chinese VALIDATION message, never INTERNAL', async () => {
    const bookTypes = ['xlsx', 'biff8', 'csv', 'html', 'ods'] as const;
    const previewed = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(bases.length - 1),
        fc.array(fc.tuple(fc.nat(6), fc.nat(15), cell), { minLength: 1, maxLength: 10 }),
        fc.constantFrom(...bookTypes),
        fc.nat(),
        async (which, mutations, bookType, cutAt) => {
          const base = bases[which];
          const rows = base.rows.map((r) => [...r]);
          for (const [r, c, v] of mutations) {
            rows[r] ??= [];
            rows[r][c] = v;
          }
          const wb = XLSX.utils.book_new();
          XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Sheet1');
          const out = XLSX.write(wb, { type: bookType === 'csv' || bookType === 'html' ? 'string' : 'buffer', bookType }) as Buffer | string;
          let buffer = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
          if (cutAt % 5 === 0) buffer = buffer.subarray(0, cutAt % Math.max(1, buffer.length));
          const file = { name: `变异.${bookType === 'biff8' ? 'xls' : bookType}`, base64: buffer.toString('base64') };
          const r = await t.core.invoke(base.call, base.input(file), t.token);
          if (r.ok) {
            previewed.set(base.name, (previewed.get(base.name) ?? 0) + 1);
            return;
          }
          expect(r.error!.code, `${base.name}:${r.error!.message}`).toBe('VALIDATION');
          expect(r.error!.message).toMatch(/[\u4e00-\u9fff]/);
        },
      ),
      { numRuns: 150, seed: 1313 },
    );
    // the property ran the importers' own checks, not only the intake layer's refusals
    for (const b of bases) expect(previewed.get(b.name) ?? 0, `${b.name}:应有变异后仍能预览的文件`).toBeGreaterThan(0);
  }, 600_000);
});
