import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import * as XLSXns from '@e965/xlsx';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { KINGDEE_COLUMNS, KINGDEE_SHEET_LINES, XLSX_COLUMNS, exportVoucherFile, kingdeeSheetName, writeVoucherExport, yonyouField } from '../../../electron/core/custody/voucherExport';
import { openDemoCore, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';
import { snapshotSourceOf } from '../../../electron/core/custody/engineSql';
import { custodyFixture, postVoucher, rawSql, type Fixture } from './helpers';

const XLSX = ((XLSXns as unknown as { default?: typeof XLSXns }).default?.utils ? (XLSXns as unknown as { default: typeof XLSXns }).default : XLSXns) as typeof XLSXns;

/**
 * Exports for the hub's accounting software, each file re-read and compared with the journal: every posted line
 * once, in voucher order, the hub's codes from the 科目对照, each voucher balanced.
 */
type Core = Fixture['core'];
interface Expected {
  key: string;
  date: string;
  seq: number;
  number: string;
  lines: { ourCode: string; amountFen: number; summary: string }[];
}

/** The journal of [from, to] with our detail codes, straight from SQL. */
async function journal(core: Core, from: string, to: string): Promise<Expected[]> {
  const rows = await rawSql(core).all<{ id: string; date: string; seq: number; number: string; purpose: string; account_code: string; amount_fen: number; bseq: number | null; holds: string | null; aseq: number | null }>(
    `SELECT v.id, v.date, v.seq, v.number, v.purpose, j.account_code, j.amount_fen, b.seq AS bseq, b.holds, a.seq AS aseq
       FROM custody_journal j JOIN custody_vouchers v ON v.id = j.voucher_id
       LEFT JOIN custody_bank_accounts b ON b.id = j.bank_account_id LEFT JOIN custody_accounts a ON a.org_id = j.org_id
      WHERE v.status = 'posted' AND v.date BETWEEN ? AND ? ORDER BY v.period, v.seq, j.line_no`,
    from,
    to,
  );
  const out: Expected[] = [];
  for (const r of rows) {
    const ourCode =
      r.bseq !== null ? `1002${String(r.bseq).padStart(2, '0')}${r.holds === 'own' ? '02' : '01'}` : r.aseq !== null ? `${r.account_code}${String(r.aseq).padStart(4, '0')}` : r.account_code;
    if (out.at(-1)?.key !== r.id) out.push({ key: r.id, date: r.date, seq: r.seq, number: r.number, lines: [] });
    out.at(-1)!.lines.push({ ourCode, amountFen: r.amount_fen, summary: r.purpose });
  }
  return out;
}

const yuanToFen = (s: string | number) => {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(s).replace(/,/g, ''));
  if (!m) throw new Error(`not an amount: ${s}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
};

/** 用友 text → vouchers keyed by 制单日期 + 凭证类别字 + 凭证号, as 用友 identifies them. */
function readYonyou(buf: Buffer) {
  const text = iconv.decode(buf, 'gbk');
  expect(text.endsWith('\r\n') || text === '').toBe(true);
  const lines = text.split('\r\n').filter(Boolean).map((l) => l.split(','));
  const out: { date: string; word: string; seq: number; attachments: number; summary: string; code: string; amountFen: number; maker: string }[] = [];
  for (const f of lines) {
    expect(f.length).toBe(12);
    const debit = yuanToFen(f[6]);
    const credit = yuanToFen(f[7]);
    // One side non-zero, the other zero.
    expect((debit === 0) !== (credit === 0)).toBe(true);
    out.push({ date: f[0], word: f[1], seq: Number(f[2]), attachments: Number(f[3]), summary: f[4], code: f[5], amountFen: debit - credit, maker: f[11] });
  }
  return out;
}

function readSheets(buf: Buffer): { names: string[]; sheets: unknown[][][] } {
  const wb = XLSX.read(buf, { type: 'buffer' });
  return { names: wb.SheetNames, sheets: wb.SheetNames.map((n) => XLSX.utils.sheet_to_json(wb.Sheets[n], { header: 1, raw: true, defval: '' }) as unknown[][]) };
}

function readSheet(buf: Buffer): unknown[][] {
  const wb = XLSX.read(buf, { type: 'buffer' });
  return XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: true, defval: '' }) as unknown[][];
}

function excelDate(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

async function exportAll(call: Fixture['as']['viewer'], from: string, to: string) {
  const get = async (format: 'yonyou' | 'kingdee' | 'xlsx') => {
    const f = await call('custody.vouchers.export', { format, from, to });
    return { ...f, buf: Buffer.from(f.base64, 'base64') };
  };
  return { yonyou: await get('yonyou'), kingdee: await get('kingdee'), xlsx: await get('xlsx') };
}

/** Every format re-read equals the journal, line for line; `code` maps our code to the expected code in the file. */
async function checkExports(core: Core, call: Fixture['as']['viewer'], from: string, to: string, code: (our: string) => string = (c) => c) {
  const expected = await journal(core, from, to);
  const flat = expected.flatMap((v) => v.lines.map((l) => ({ ...l, date: v.date, seq: v.seq, number: v.number })));
  const files = await exportAll(call, from, to);
  expect(files.yonyou.fileName).toMatch(/\.txt$/);
  expect(files.kingdee.fileName).toMatch(/\.xls$/);

  const y = readYonyou(files.yonyou.buf);
  expect(y.map((l) => [l.date, l.word, l.seq, l.code, l.amountFen, l.summary])).toEqual(flat.map((l) => [l.date, '记', l.seq, code(l.ourCode), l.amountFen, yonyouField(l.summary)]));
  // Each voucher (制单日期 + 凭证类别字 + 凭证号) balances.
  const sums = new Map<string, number>();
  for (const l of y) sums.set(`${l.date}|${l.word}|${l.seq}`, (sums.get(`${l.date}|${l.word}|${l.seq}`) ?? 0) + l.amountFen);
  expect(sums.size).toBe(expected.length);
  for (const s of sums.values()) expect(s).toBe(0);

  const kingdeeRows = (sheets: unknown[][][]) =>
    sheets.flatMap((k) => {
      expect(k[0]).toEqual([...KINGDEE_COLUMNS]);
      return k.slice(1).map((r) => [excelDate(r[0] as number), r[1], r[2], r[5], Math.round((r[7] as number) * 100) - Math.round((r[8] as number) * 100), r[4], r[9], r[10]]);
    });
  const expectedK = flat.map((l) => [l.date, '记', l.seq, code(l.ourCode), l.amountFen, l.summary, 'RMB', 1]);
  const k = readSheets(files.kingdee.buf);
  expect(k.names).toEqual(['凭证']);
  expect(kingdeeRows(k.sheets)).toEqual(expectedK);
  // Over the sheet limit the file is split into sheets (凭证1, 凭证2, …) at voucher boundaries: the same lines
  // in the same order, no sheet over the limit, no voucher on two sheets. (A limit of 5 lines stands in for 65,535.)
  const limit = 5;
  const split = await exportVoucherFile(snapshotSourceOf(core), 'kingdee', from, to, { kingdeeSheetLines: limit });
  const ks = readSheets(split.data);
  expect(ks.names.length).toBe(split.sheets);
  if (flat.length > limit) {
    expect(split.sheets).toBeGreaterThan(1);
    expect(ks.names).toEqual(ks.names.map((_, i) => kingdeeSheetName(i, ks.names.length)));
  }
  expect(kingdeeRows(ks.sheets)).toEqual(expectedK);
  const sheetOf = new Map<string, number>();
  ks.sheets.forEach((rows, i) => {
    expect(rows.length - 1).toBeLessThanOrEqual(limit);
    expect(rows.length - 1).toBeGreaterThan(0);
    for (const r of rows.slice(1)) {
      const key = `${r[0]}|${r[2]}`;
      expect(sheetOf.get(key) ?? i).toBe(i);
      sheetOf.set(key, i);
    }
  });

  // The plain xlsx, re-read by SheetJS: a title, the header, then one row per line with the date as a date,
  // the amount as a number on its side (the other side empty) and in 分.
  const expectedX = flat.map((l) => [l.date, l.number, code(l.ourCode), l.ourCode, l.amountFen, l.amountFen]);
  const xlsxRows = (sheets: unknown[][][]) =>
    sheets.flatMap((sheet) => {
      expect(sheet[0][0]).toBe(`记账凭证清单 ${from} 至 ${to}`);
      expect(sheet[1]).toEqual([...XLSX_COLUMNS]);
      return sheet.slice(2).map((r) => {
        const [debit, credit] = [r[7], r[8]];
        expect((debit === '') !== (credit === '')).toBe(true);
        expect(typeof (debit === '' ? credit : debit)).toBe('number');
        return [excelDate(r[0] as number), r[1], r[3], r[5], r[9], debit === '' ? -Math.round((credit as number) * 100) : Math.round((debit as number) * 100)];
      });
    });
  const xs = readSheets(files.xlsx.buf);
  expect(xs.names).toEqual(['记账凭证']);
  expect(xlsxRows(xs.sheets)).toEqual(expectedX);
  // … and by ExcelJS: dates are dates shown yyyy-mm-dd, amounts numbers shown #,##0.00, the columns' widths, the
  // title and header frozen.
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(files.xlsx.buf as never);
  const ws = book.worksheets[0];
  expect(ws.name).toBe('记账凭证');
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  expect(ws.getColumn(3).width).toBe(34);
  expect(ws.getRow(2).font?.bold ?? ws.getCell('A2').font?.bold).toBe(true);
  const ejRows: unknown[][] = [];
  ws.eachRow((row, i) => {
    if (i <= 2) return;
    const date = row.getCell(1);
    expect(date.value).toBeInstanceOf(Date);
    expect(date.numFmt).toBe('yyyy-mm-dd');
    const side = row.getCell(8).value === null ? row.getCell(9) : row.getCell(8);
    expect(typeof side.value).toBe('number');
    expect(side.numFmt).toBe('#,##0.00');
    const fen = row.getCell(8).value === null ? -Math.round((row.getCell(9).value as number) * 100) : Math.round((row.getCell(8).value as number) * 100);
    ejRows.push([(date.value as Date).toISOString().slice(0, 10), row.getCell(2).value, row.getCell(4).value, row.getCell(6).value, row.getCell(10).value, fen]);
  });
  expect(ejRows).toEqual(expectedX);
  // Past a sheet's rows the next sheet (记账凭证2, …) starts between two vouchers; a limit of 2 + 5 rows stands in
  // for Excel's 1,048,576.
  const xsplit = await exportVoucherFile(snapshotSourceOf(core), 'xlsx', from, to, { xlsxSheetRows: 2 + limit });
  const xss = readSheets(xsplit.data);
  expect(xss.names.length).toBe(xsplit.sheets);
  expect(xss.names).toEqual(xss.names.map((_, i) => (i === 0 ? '记账凭证' : `记账凭证${i + 1}`)));
  if (flat.length > limit) expect(xsplit.sheets).toBeGreaterThan(1);
  expect(xlsxRows(xss.sheets)).toEqual(expectedX);
  const xSheetOf = new Map<unknown, number>();
  xss.sheets.forEach((rows, i) => {
    expect(rows.length - 2).toBeLessThanOrEqual(limit);
    expect(rows.length - 2).toBeGreaterThan(0);
    for (const r of rows.slice(2)) {
      expect(xSheetOf.get(r[1]) ?? i).toBe(i);
      xSheetOf.set(r[1], i);
    }
  });
  return { files, lineCount: flat.length, voucherCount: expected.length };
}

describe('voucher exports on the demo ledger', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('wangfang');
  });
  afterAll(async () => {
    await t?.cleanup();
  });
  it('用友 text (GBK), 金蝶 xls and plain xlsx re-read equal the journal, each voucher balanced', async () => {
    const r = await checkExports(t.core, t.call, '2026-01-01', '2026-12-31');
    expect(r.voucherCount).toBeGreaterThan(10);
    // GBK, not UTF-8: a Chinese 摘要 is two bytes per character.
    const firstLine = r.files.yonyou.buf.subarray(0, r.files.yonyou.buf.indexOf(0x0d));
    expect(iconv.decode(firstLine, 'gbk')).toMatch(/^\d{4}-\d{2}-\d{2},记,1,\d+,[^,]*[\u4e00-\u9fa5]/);
    expect(firstLine.toString('utf8')).toContain('\ufffd');
  });
  it('uses the hub’s 科目对照: an exact row, or a level-1 row replacing the prefix', async () => {
    const list = await t.call('custody.accountMap.list', {});
    expect(list.map((r) => r.ourCode)).toEqual(expect.arrayContaining(['1002', '2601', '4301', '10020101', '26010001']));
    await t.call('custody.accountMap.save', {
      rows: [
        { ourCode: '2601', theirCode: '220101', theirName: '其他应付款-代管资金' },
        { ourCode: '10020101', theirCode: '100201', theirName: '银行存款-工行代管专户' },
      ],
    });
    const code = (c: string) => (c === '10020101' ? '100201' : c.startsWith('2601') ? `220101${c.slice(4)}` : c);
    const r = await checkExports(t.core, t.call, '2026-03-01', '2026-03-31', code);
    const k = readSheet(r.files.kingdee.buf);
    expect(k.find((row) => row[5] === '100201')?.[6]).toBe('银行存款-工行代管专户');
    const after = await t.call('custody.accountMap.list', {});
    expect(after.find((r) => r.ourCode === '2601')).toMatchObject({ theirCode: '220101', theirName: '其他应付款-代管资金' });
    // An empty code clears the row.
    await t.call('custody.accountMap.save', { rows: [{ ourCode: '2601', theirCode: '', theirName: '' }, { ourCode: '10020101', theirCode: '', theirName: '' }] });
    expect((await t.call('custody.accountMap.list', {})).find((r) => r.ourCode === '2601')?.theirCode).toBe('');
  });
  it('the CLI writes the same file: voucher-export --format yonyou|kingdee|xlsx --from --to --out', async () => {
    const dataDir = t.core.dataDir;
    const expected = await t.call('custody.vouchers.export', { format: 'yonyou', from: '2026-01-01', to: '2026-06-30' });
    await t.core.close();
    const out = join(tempDir('incubase-vx-'), 'pz.txt');
    const r = cli('voucher-export', '--data-dir', dataDir, '--format', 'yonyou', '--from', '2026-01-01', '--to', '2026-06-30', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('已导出 2026-01-01 至 2026-06-30 的凭证');
    expect(readFileSync(out).equals(Buffer.from(expected.base64, 'base64'))).toBe(true);
    const bad = cli('voucher-export', '--data-dir', dataDir, '--format', 'sap', '--from', '2026-01-01', '--to', '2026-06-30', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.err + bad.out).toContain('--format 应为 yonyou / kingdee / xlsx');
    // Two CLI processes (each compiles the CLI with tsx): slow on a loaded machine.
  }, 240_000);
});

describe('voucher exports on random ledgers', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await custodyFixture();
  });
  afterAll(async () => {
    await f?.cleanup();
  });
  let run = 0;
  it('every format equals the journal whatever was posted (commas, long 摘要, reversals, transfers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            kind: fc.constantFrom('receipt' as const, 'disbursement' as const, 'transfer' as const),
            amount: fc.integer({ min: 1, max: 9_999_999 }),
            day: fc.integer({ min: 1, max: 28 }),
            purpose: fc.string({ minLength: 1, maxLength: 80 }).map((s) => `款项,${s.replace(/\s/g, '') || '备注'}一二三四五六七八九十一二三四五六七八九十一二三`),
            reverse: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (ops) => {
          const year = 2070 - run++;
          for (const op of ops) {
            const date = `${year}-05-${String(op.day).padStart(2, '0')}`;
            const input =
              op.kind === 'transfer'
                ? { kind: 'transfer', date, amountFen: op.amount, orgId: f.orgIds[0], toOrgId: f.orgIds[1], purpose: op.purpose }
                : { kind: op.kind, date, amountFen: op.amount, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: op.purpose };
            const { id } = await postVoucher(f, input as never, '随机测试特批');
            if (op.reverse) {
              const { id: rid } = await f.as.maker('custody.vouchers.reverse', { id, date: `${year}-05-28`, reason: '随机冲销' });
              await f.as.maker('custody.vouchers.submit', { id: rid });
              await f.as.approver('custody.vouchers.approve', { id: rid, overrideReason: '随机测试特批' });
              await f.as.cashier('custody.vouchers.post', { id: rid });
            }
          }
          const r = await checkExports(f.core, f.as.viewer, `${year}-05-01`, `${year}-05-31`);
          expect(r.lineCount).toBeGreaterThanOrEqual(ops.length * 2);
        },
      ),
      { numRuns: 8 },
    );
  }, 240_000);
});

describe('金蝶 xls over 65,535 lines', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await custodyFixture();
  });
  afterAll(async () => {
    await f?.cleanup();
  });
  it('splits into sheets of at most 65,535 lines between vouchers; the sheets re-read equal the journal', async () => {
    // 33,000 two-line receipts in 2060 (66,000 lines), posted in SQL through the ledger's triggers.
    const N = 33_000;
    await postBulkReceipts(f, N);
    const out = join(tempDir('incubase-vx-'), 'kis.xls');
    const r = await writeVoucherExport(snapshotSourceOf(f.core), 'kingdee', '2060-01-01', '2060-12-31', out);
    expect(r.lines).toBe(2 * N);
    const { names, sheets } = readSheets(readFileSync(out));
    expect(names).toEqual(['凭证1', '凭证2']);
    expect(r.sheets).toBe(2);
    // 65,535 is odd: the first sheet stops at 65,534 lines rather than split the next voucher.
    expect(sheets.map((s) => s.length - 1)).toEqual([KINGDEE_SHEET_LINES - 1, 2 * N - (KINGDEE_SHEET_LINES - 1)]);
    const expected = (await journal(f.core, '2060-01-01', '2060-12-31')).flatMap((v) => v.lines.map((l) => [v.date, v.seq, l.ourCode, l.amountFen]));
    const got = sheets.flatMap((s) => {
      expect(s[0]).toEqual([...KINGDEE_COLUMNS]);
      return s.slice(1).map((row) => [excelDate(row[0] as number), row[2], row[5], Math.round((row[7] as number) * 100) - Math.round((row[8] as number) * 100)]);
    });
    expect(got).toEqual(expected);
    // The last voucher of sheet 1 and the first of sheet 2 are whole.
    const last1 = sheets[0].at(-1)!;
    const first2 = sheets[1][1];
    expect(`${last1[0]}|${last1[2]}`).not.toBe(`${first2[0]}|${first2[2]}`);
    expect(sheets[1][2][2]).toBe(first2[2]);
  }, 240_000);
});

/**
 * `n` two-line receipts dated through 2060, posted in SQL through the ledger's triggers (approved, lines
 * written, then numbered month by month in order). The bulk SQL differs by engine; the triggers are the same.
 */
async function postBulkReceipts(f: Fixture, N: number): Promise<void> {
  const users = Object.fromEntries((await f.raw.all<{ username: string; id: string }>(`SELECT username, id FROM users`)).map((u) => [u.username, u.id]));
  const now = new Date().toISOString();
  if (f.core.engine === 'postgres') {
    // In batches of 1,000 vouchers, each committed (a DO block may commit between statements when it is not
    // inside a transaction): the kept-balance triggers update the bank's row once per line, and PostgreSQL
    // walks every earlier version of a row updated many times in one transaction. Values are inlined (a DO
    // block takes no parameters); they are ids and an instant of this test.
    const B = 1_000;
    await f.raw.run(
      `DO $$ DECLARE k int; r record; BEGIN
         FOR k IN 0..${Math.ceil(N / B) - 1} LOOP
           INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, org_id, bank_account_id, counterparty, purpose, maker_id, approver_id, created_at, updated_at)
           SELECT 'big-' || i, 'receipt', 'approved', d, substr(d, 1, 7), 100 + i, '${f.orgIds[0]}', '${f.bankId}', '区民政局', '拨款' || i, '${users.wangfang}', '${users.liming}', '${now}', '${now}'
             FROM (SELECT i, to_char(date '2060-01-01' + (i * 365 / ${N}), 'YYYY-MM-DD') AS d FROM generate_series(k * ${B}, least((k + 1) * ${B}, ${N}) - 1) AS g(i)) x;
           INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id)
           SELECT v.id, l.n, v.date, v.period, CASE l.n WHEN 1 THEN '1002' ELSE '2601' END, CASE l.n WHEN 1 THEN v.amount_fen ELSE -v.amount_fen END,
                  CASE l.n WHEN 1 THEN v.bank_account_id END, CASE l.n WHEN 2 THEN v.org_id END
             FROM generate_series(k * ${B}, least((k + 1) * ${B}, ${N}) - 1) AS g(i)
             JOIN custody_vouchers v ON v.id = 'big-' || g.i CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) l ORDER BY g.i, l.n;
           -- One row at a time in number order: the contiguity trigger sees each month's numbers grow by one.
           FOR r IN SELECT v.id, v.period FROM generate_series(k * ${B}, least((k + 1) * ${B}, ${N}) - 1) AS g(i) JOIN custody_vouchers v ON v.id = 'big-' || g.i ORDER BY g.i LOOP
             UPDATE custody_vouchers SET status = 'posted', poster_id = '${users.chenjing}', posted_at = '${now}',
                    seq = s.n, number = '记-' || substr(r.period, 1, 4) || '-' || substr(r.period, 6, 2) || '-' || lpad(s.n::text, 4, '0')
               FROM (SELECT coalesce(max(seq), 0) + 1 AS n FROM custody_vouchers WHERE period = r.period AND seq IS NOT NULL) s
              WHERE id = r.id;
           END LOOP;
           COMMIT;
         END LOOP;
       END $$`,
    );
    return;
  }
  const db = f.core.sqlite;
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${N - 1}),
            d AS (SELECT i, date('2060-01-01', '+' || (i * 365 / ${N}) || ' days') AS date FROM n)
       INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, org_id, bank_account_id, counterparty, purpose, maker_id, approver_id, created_at, updated_at)
       SELECT 'big-' || i, 'receipt', 'approved', date, substr(date, 1, 7), 100 + i, @org, @bank, '区民政局', '拨款' || i, @maker, @approver, @now, @now FROM d`,
    ).run({ org: f.orgIds[0], bank: f.bankId, maker: users.wangfang, approver: users.liming, now });
    db.prepare(
      `INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id)
       SELECT v.id, l.n, v.date, v.period, CASE l.n WHEN 1 THEN '1002' ELSE '2601' END, CASE l.n WHEN 1 THEN v.amount_fen ELSE -v.amount_fen END,
              CASE l.n WHEN 1 THEN v.bank_account_id END, CASE l.n WHEN 2 THEN v.org_id END
         FROM custody_vouchers v CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) l WHERE v.id LIKE 'big-%' ORDER BY v.rowid, l.n`,
    ).run();
    db.exec(`CREATE TEMP TABLE fm AS SELECT period, min(rowid) AS r FROM custody_vouchers WHERE id LIKE 'big-%' GROUP BY period`);
    db.prepare(
      `UPDATE custody_vouchers SET status = 'posted', seq = custody_vouchers.rowid - fm.r + 1, poster_id = @poster, posted_at = @now,
              number = '记-' || substr(custody_vouchers.period, 1, 4) || '-' || substr(custody_vouchers.period, 6, 2) || '-' || printf('%04d', custody_vouchers.rowid - fm.r + 1)
         FROM temp.fm WHERE fm.period = custody_vouchers.period AND custody_vouchers.id LIKE 'big-%'`,
    ).run({ poster: users.chenjing, now });
    db.exec(`DROP TABLE temp.fm`);
  })();
}

