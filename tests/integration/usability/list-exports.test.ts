import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { LIST_EXPORTS, type ListExportName } from '@shared/exporting/lists';
import { valueAt } from '@shared/exporting/table';
import { openDemoCore } from '../../helpers/core';

/**
 * Issue 18: every list a user takes to a meeting exports to .xlsx with real number and date cells. Each export
 * is re-read: the headers are the screen's, the rows are the list's, amounts and counts are number cells,
 * dates are date cells, codes are Chinese labels.
 */
const INPUTS: Partial<Record<ListExportName, Record<string, unknown>>> = {
  trainingSessions: { year: 2026 },
  vouchers: { sort: [{ colId: 'date', sort: 'desc' }] },
  bookings: { sort: [], filter: {} },
  audit: { sort: [{ colId: 'at', sort: 'desc' }] },
};

async function reread(base64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as never);
  return wb.worksheets[0];
}

describe('list exports write typed cells', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('admin');
  });
  afterAll(async () => t?.cleanup());

  for (const name of Object.keys(LIST_EXPORTS) as ListExportName[]) {
    it(`${LIST_EXPORTS[name].title}`, async () => {
      const spec = LIST_EXPORTS[name];
      const input = INPUTS[name] ?? {};
      const file = await t.call('exports.table', { call: spec.call, input, columns: spec.columns, title: spec.title });
      expect(file.fileName).toMatch(new RegExp(`^${spec.title}_\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
      const ws = await reread(file.base64);
      expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(spec.columns.map((c) => c.label));
      expect(ws.rowCount - 2).toBe(file.rows);
      const seen = { number: 0, date: 0 };
      for (let r = 3; r <= ws.rowCount; r++) {
        spec.columns.forEach((c, i) => {
          const v = ws.getRow(r).getCell(i + 1).value;
          if (v === null || v === undefined) return;
          const kind = c.kind ?? 'text';
          if (kind === 'number' || kind === 'fen' || kind === 'yuan') {
            expect(typeof v, `${spec.title} 第 ${r} 行「${c.label}」应为数字单元格：${String(v)}`).toBe('number');
            seen.number++;
          } else if (kind === 'date' || kind === 'datetime') {
            expect(v instanceof Date, `${spec.title} 第 ${r} 行「${c.label}」应为日期单元格：${String(v)}`).toBe(true);
            seen.date++;
          } else {
            expect(typeof v, `${spec.title}「${c.label}」`).toBe('string');
            // a mapped code column writes labels, never the code
            if (c.map || c.dict) expect(String(v), `${spec.title}「${c.label}」写出了代码`).not.toMatch(/^[a-z_]+$|^[A-Z]\d{2,}$/);
          }
        });
      }
      if (file.rows > 0) {
        if (spec.columns.some((c) => ['number', 'fen', 'yuan'].includes(c.kind ?? 'text'))) expect(seen.number).toBeGreaterThan(0);
        if (spec.columns.some((c) => ['date', 'datetime'].includes(c.kind ?? 'text'))) expect(seen.date).toBeGreaterThan(0);
      }
    });
  }

  it('amounts are yuan numbers with two decimals and dates are the day itself', async () => {
    const spec = LIST_EXPORTS.vouchers;
    const list = await t.call('custody.vouchers.list', { startRow: 0, endRow: 5, sort: [{ colId: 'date', sort: 'desc' }] });
    expect(list.rows.length).toBeGreaterThan(0);
    const file = await t.call('exports.table', { call: spec.call, input: { sort: [{ colId: 'date', sort: 'desc' }] }, columns: spec.columns, title: spec.title });
    const ws = await reread(file.base64);
    expect(file.rows).toBe(list.total);
    const amountCol = spec.columns.findIndex((c) => c.key === 'amountFen') + 1;
    const dateCol = spec.columns.findIndex((c) => c.key === 'date') + 1;
    expect(ws.getRow(3).getCell(amountCol).value).toBe(list.rows[0].amountFen / 100);
    expect(ws.getRow(3).getCell(amountCol).numFmt).toBe('#,##0.00');
    expect((ws.getRow(3).getCell(dateCol).value as Date).toISOString().slice(0, 10)).toBe(valueAt(list.rows[0], 'date'));
  });

  it('refuses to run a write through the export, and keeps the inner call’s roles', async () => {
    const w = await t.core.invoke('exports.table', { call: 'users.create', input: {}, columns: [{ key: 'a', label: '甲' }], title: '测试' }, t.token);
    expect(w.ok).toBe(false);
    const viewer = await openDemoCore('zhaoqiang');
    try {
      const r = await viewer.core.invoke('exports.table', { call: 'users.list', input: {}, columns: [{ key: 'username', label: '用户名' }], title: '用户' }, viewer.token);
      expect(r.error?.code).toBe('FORBIDDEN');
    } finally {
      await viewer.cleanup();
    }
  });
});

describe('the custody summary export writes money as numbers', () => {
  it('every amount column of 资金来源汇总 is a number cell in yuan', async () => {
    const t = await openDemoCore('wangfang');
    try {
      const x = await t.call('custody.summary.export', { from: '2026-01-01', to: '2026-12-31' });
      const ws = await reread(x.base64);
      expect(ws.rowCount).toBeGreaterThan(2);
      for (let r = 3; r <= ws.rowCount; r++) {
        for (const c of [3, 4, 5, 6]) {
          const cell = ws.getRow(r).getCell(c);
          expect(typeof cell.value, `第 ${r} 行第 ${c} 列：${String(cell.value)}`).toBe('number');
          expect(cell.numFmt).toBe('#,##0.00');
          expect(Math.round((cell.value as number) * 100)).toBe(ws.getRow(r).getCell(c + 4).value);
        }
      }
    } finally {
      await t.cleanup();
    }
  });
});
