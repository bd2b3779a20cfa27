import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { loginAs, openDemoCore, refusal, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';

/**
 * 代管资金历史导入 (issue 13, voucher-import): a hub's old custody 台账 becomes posted vouchers in closed months,
 * through the ledger's own posting.
 */
type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
let bankId: string;
const ORGS = [
  { id: 'org-hist-a', name: '幸福里邻里互助会', credit_code: null },
  { id: 'org-hist-b', name: '夕阳红文艺队', credit_code: '52510107MJ0000001X' },
  { id: 'org-hist-c', name: '青苗助学服务社', credit_code: null },
];

/** A hub that started with this system in 2025: its bank account opens then; the history is 2024. */
async function historyHub() {
  const hub = await openDemoCore('wangfang', { demoScale: 0 });
  const now = new Date().toISOString();
  for (const o of ORGS) {
    await hub.core.db.insertInto('organizations').values({ id: o.id, name: o.name, credit_code: o.credit_code, mgmt_class: 'filed', created_at: now, updated_at: now } as never).execute();
  }
  const bank = (await hub.call('custody.bankAccounts.save', { name: '代管专户', bankName: '工商银行', accountNo: '4402 0000 0000 9876', formatId: 'icbc', openingDate: '2025-01-01', bankOpeningFen: 0 })).id;
  await hub.call('custody.accounts.open', { orgId: 'org-hist-a', openedOn: '2024-01-01' });
  return { hub, bank };
}

beforeEach(async () => {
  ({ hub: t, bank: bankId } = await historyHub());
});
afterEach(async () => {
  await t.cleanup();
});

const file = (name: string, buf: Buffer) => ({ name, base64: buf.toString('base64') });
const sheetJs = (rows: unknown[][], bookType: XLSX.BookType = 'xlsx') => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '代管台账');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
};
const HEADER = ['日期', '组织', '摘要', '收入', '支出', '余额', '经办人', '审批人'];
const GOOD: unknown[][] = [
  ['代管资金台账(2024年)'],
  HEADER,
  ['2024-01-01', '幸福里邻里互助会', '上年结转', null, null, 10000, '', ''],
  ['2024-01-20', '幸福里邻里互助会', '街道购买服务首付款', 5000, null, 15000, '王芳', '李明'],
  ['2024/3/5', '52510107MJ0000001X', '期初余额', null, null, 800, '', ''],
  ['2024-03-08', '幸福里邻里互助会', '重阳节活动物料', null, 2000.5, 12999.5, '王芳', '李明'],
  ['2024年3月9日', '夕阳红文艺队', '演出服装', null, 300, 500, '王芳', '李明'],
  ['2024-04-02', '幸福里邻里互助会', '街道购买服务首付款', 5000, null, 17999.5, '王芳', '李明'],
  ['填表人:王芳', null, null, null, null, null, null, null],
];

const counts = async () => ({
  vouchers: Number((await t.core.db.selectFrom('custody_vouchers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  journal: Number((await t.core.db.selectFrom('custody_journal').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  audit: Number((await t.core.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  periods: Number((await t.core.db.selectFrom('custody_periods').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  accounts: Number((await t.core.db.selectFrom('custody_accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
});

describe('voucher-import: custody history as posted vouchers in closed months', () => {
  it('posts openings, receipts and disbursements through the ledger, closes the months, shows 期初 on its own line, and re-importing changes nothing', async () => {
    const f = file('台账.xlsx', sheetJs(GOOD));
    const done = await t.call('custody.vouchers.import.commit', { file: f, mode: 'all', approverUsername: 'liming' });
    expect(done.mappingIssues).toEqual([]);
    expect(done.counts).toEqual({ create: 6, update: 0, unchanged: 0, error: 0 });
    expect(done.committed).toBe(true);
    expect(done.rows.find((r) => r.rowNumber === 5)!.warnings.join()).toContain('还没有代管账户');

    const vouchers = await t.core.db.selectFrom('custody_vouchers').selectAll().orderBy('period').orderBy('seq').execute();
    expect(vouchers).toHaveLength(6);
    expect(vouchers.every((v) => v.status === 'posted' && v.maker_id !== v.approver_id)).toBe(true);
    expect(vouchers.map((v) => `${v.period}#${v.seq}:${v.kind}`)).toEqual([
      '2024-01#1:opening',
      '2024-01#2:receipt',
      '2024-03#1:opening',
      '2024-03#2:disbursement',
      '2024-03#3:disbursement',
      '2024-04#1:receipt',
    ]);
    const liming = await t.core.db.selectFrom('users').select('id').where('username', '=', 'liming').executeTakeFirstOrThrow();
    expect(new Set(vouchers.map((v) => v.approver_id))).toEqual(new Set([liming.id]));
    // balances kept by the ledger
    const accounts = await t.core.db.selectFrom('custody_accounts').select(['org_id', 'balance_fen']).orderBy('org_id').execute();
    expect(accounts).toEqual([
      { org_id: 'org-hist-a', balance_fen: 1799950 },
      { org_id: 'org-hist-b', balance_fen: 50000 },
    ]);
    // the months of the history are closed, none other
    const closed = (await t.call('custody.overview', {})).closedPeriods;
    expect(closed).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    // the approver is the actor of the approvals in the audit log
    const approvals = await t.core.db.selectFrom('audit_log').select(['username', 'summary']).where('summary', 'like', '审批通过凭证%').execute();
    expect(approvals).toHaveLength(6);
    expect(approvals.every((a) => a.username === 'liming')).toBe(true);
    const entry = await t.core.db.selectFrom('audit_log').select(['username', 'summary']).where('entity', '=', 'custody_history').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ username: 'wangfang', summary: expect.stringMatching(/^导入代管资金历史\(审批人 李明.*新增 6/) });

    // the organization's statement: 期初 on its own line, not 收入
    const s = await t.call('custody.orgStatement', { orgId: 'org-hist-a', from: '2024-01-01', to: '2024-12-31' });
    expect(s.openingFen).toBe(1000000);
    expect(s.totalInFen).toBe(1000000);
    expect(s.totalOutFen).toBe(200050);
    expect(s.closingFen).toBe(1799950);
    expect(s.openings).toHaveLength(1);

    // the same file again: every row found, nothing written
    const before = await counts();
    const again = await t.call('custody.vouchers.import.commit', { file: f, mode: 'all', approverUsername: 'liming' });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 6, error: 0 });
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    // live vouchers now go after the history: a draft in a history month is refused by the closed month
    const refused = await refusal(t.core, 'custody.vouchers.create', { kind: 'receipt', date: '2024-03-15', amountFen: 100, orgId: 'org-hist-a', bankAccountId: bankId, purpose: '补录' }, t.token);
    expect(refused.message).toContain('已结账');
  });

  it('the preview is the import run dry: the same counts, nothing written', async () => {
    const f = file('台账.xlsx', sheetJs(GOOD));
    const before = await counts();
    const preview = await t.call('custody.vouchers.import.preview', { file: f, approverUsername: 'liming' });
    expect(preview.committed).toBe(false);
    expect(preview.counts).toEqual({ create: 6, update: 0, unchanged: 0, error: 0 });
    expect(await counts()).toEqual(before);
    // without an approver the rows are checked the same way
    const plain = await t.call('custody.vouchers.import.preview', { file: f });
    expect(plain.counts).toEqual(preview.counts);
    expect(await counts()).toEqual(before);
  });

  it('a wrong 余额 names the row and both figures, an overdraft is an error, every problem of a row at once, unknown organizations by row', async () => {
    const rows = [
      HEADER,
      ['2024-01-01', '幸福里邻里互助会', '期初余额', null, null, 1000, '', ''],
      ['2024-01-05', '幸福里邻里互助会', '活动物料', null, 200, 900, '', ''],
      ['2024-01-06', '幸福里邻里互助会', '讲师费', null, 100, 600, '', ''],
      ['2024-02-01', '夕阳红文艺队', '期初余额', null, null, 100, '', ''],
      ['2024-02-03', '夕阳红文艺队', '演出服装', null, 500, -400, '', ''],
      ['2024-02-04', '不存在的协会', '捐赠', 'abc', null, null, '', ''],
      ['2099-01-01', '青苗助学服务社', '', 10, null, 10, '', ''],
    ];
    const p = await t.call('custody.vouchers.import.preview', { file: file('错.xlsx', sheetJs(rows)), approverUsername: 'liming' });
    const byRow = Object.fromEntries(p.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[2].action).toBe('create');
    expect(byRow[3].issues).toEqual([{ column: '余额', message: expect.stringContaining('应为 ¥800.00,文件中为 ¥900.00') }]);
    // the chain goes on from the file's figure (900 − 100 = 800, the file says 600): one more mismatch, no cascade
    expect(byRow[4].issues.map((i) => i.message).join()).toContain('应为 ¥800.00,文件中为 ¥600.00');
    expect(byRow[6].issues.map((i) => i.column)).toContain('支出');
    expect(byRow[6].issues.find((i) => i.column === '支出')!.message).toContain('超过当时的余额 ¥100.00');
    expect(byRow[7].issues.map((i) => i.column).sort()).toEqual(['收入', '组织'].sort());
    expect(byRow[7].issues.find((i) => i.column === '组织')!.message).toContain('不存在的协会');
    expect(byRow[8].issues.map((i) => i.column).sort()).toEqual(['摘要', '日期'].sort());
    // all-or-nothing refuses the file with every row's issues
    const refused = await refusal(t.core, 'custody.vouchers.import.commit', { file: file('错.xlsx', sheetJs(rows)), mode: 'all', approverUsername: 'liming' }, t.token);
    expect(refused.code).toBe('VALIDATION');
    expect(refused.issues!.some((i) => i.row === 3 && i.path === '余额')).toBe(true);
  });

  it('maker ≠ approver: the importer itself, a user without the approving role, or no approver is refused', async () => {
    const f = file('台账.xlsx', sheetJs(GOOD));
    const self = await refusal(t.core, 'custody.vouchers.import.commit', { file: f, mode: 'all', approverUsername: 'wangfang' }, t.token);
    expect(self.message).toContain('不能是导入人自己');
    const noRole = await refusal(t.core, 'custody.vouchers.import.commit', { file: f, mode: 'all', approverUsername: 'chenjing' }, t.token);
    expect(noRole.message).toContain('没有审批权限');
    const nobody = await refusal(t.core, 'custody.vouchers.import.commit', { file: f, mode: 'all', approverUsername: '' }, t.token);
    expect(nobody.code).toBe('VALIDATION');
    // the approver cannot import for themselves either: only finance users make vouchers
    const approverToken = await loginAs(t.core, 'liming');
    expect((await refusal(t.core, 'custody.vouchers.import.commit', { file: f, mode: 'all', approverUsername: 'admin' }, approverToken)).code).toBe('FORBIDDEN');
    expect((await counts()).vouchers).toBe(0);
  });

  it('months holding vouchers made in the system refuse history; valid rows only keeps each organization\'s chain whole and leaves the months from the first skipped row open', async () => {
    // a live voucher (a draft is enough) in 2024-03: history can only go before it
    await t.call('custody.vouchers.create', { kind: 'receipt', date: '2024-03-20', amountFen: 100, orgId: 'org-hist-a', bankAccountId: bankId, purpose: '在系统中录入' });
    const p = await t.call('custody.vouchers.import.preview', { file: file('台账.xlsx', sheetJs(GOOD)), approverUsername: 'liming' });
    const byRow = Object.fromEntries(p.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[5].issues[0].message).toContain('2024-03 已有在系统中录入的凭证');
    expect(byRow[6].action).toBe('error');
    expect(byRow[8].action).toBe('error'); // 2024-04, after the live books started
    await t.call('custody.vouchers.delete', { id: (await t.core.db.selectFrom('custody_vouchers').select('id').executeTakeFirstOrThrow()).id });

    // valid-only: 幸福里's row 4 is wrong, so its later rows wait too; 夕阳红 is imported whole
    const rows = GOOD.map((r) => [...r]);
    rows[3][5] = 15001; // row 4: 余额 wrong
    const done = await t.call('custody.vouchers.import.commit', { file: file('部分.xlsx', sheetJs(rows)), mode: 'validOnly', approverUsername: 'liming' });
    const got = Object.fromEntries(done.rows.map((r) => [r.rowNumber, r]));
    expect(got[3].action).toBe('create');
    expect(got[4].action).toBe('error');
    // the chain goes on from the file's 余额 of row 4, so row 6 (computed from the right figure) disagrees too
    expect(got[6].action).toBe('error');
    expect(got[8].issues[0].message).toContain('第 4 行有错误');
    expect(got[5].action).toBe('create');
    expect(got[7].action).toBe('create');
    // the month of the first skipped row (2024-01) and later stay open for the corrected file
    expect((await t.call('custody.overview', {})).closedPeriods).toEqual([]);
    const fixed = await t.call('custody.vouchers.import.commit', { file: file('台账.xlsx', sheetJs(GOOD)), mode: 'all', approverUsername: 'liming' });
    expect(fixed.counts).toEqual({ create: 3, update: 0, unchanged: 3, error: 0 });
    expect((await t.call('custody.overview', {})).closedPeriods).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    const a = await t.core.db.selectFrom('custody_accounts').select('balance_fen').where('org_id', '=', 'org-hist-a').executeTakeFirstOrThrow();
    expect(a.balance_fen).toBe(1799950);
  });

  it('reads .xls (BIFF8), an ExcelJS workbook with a merged two-row header, 借方/贷方 columns and a 类型 column', async () => {
    const xls = await t.call('custody.vouchers.import.preview', { file: file('台账.xls', sheetJs(GOOD, 'biff8')), approverUsername: 'liming' });
    expect(xls.format).toBe('xls');
    expect(xls.counts).toMatchObject({ create: 6, error: 0 });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['日期', '单位名称', '类型', '摘要', '发生额', null, '余额']);
    ws.addRow([null, null, null, null, '借方', '贷方', null]);
    ws.mergeCells('E1:F1');
    for (const c of ['A', 'B', 'C', 'D', 'G']) ws.mergeCells(`${c}1:${c}2`);
    ws.addRow([new Date(Date.UTC(2024, 0, 1)), '青苗助学服务社', '期初', '上年结转', null, null, 300]);
    ws.addRow([new Date(Date.UTC(2024, 0, 9)), '青苗助学服务社', '收入', '助学捐赠', 1200, null, 1500]);
    ws.addRow([new Date(Date.UTC(2024, 1, 2)), '青苗助学服务社', '支出', '购买文具', null, 250.25, 1249.75]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const merged = await t.call('custody.vouchers.import.commit', { file: file('合并表头.xlsx', buf), mode: 'all', approverUsername: 'liming' });
    expect(merged.headers).toEqual(expect.arrayContaining(['发生额·借方', '发生额·贷方']));
    expect(merged.counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
    const c = await t.core.db.selectFrom('custody_accounts').select('balance_fen').where('org_id', '=', 'org-hist-c').executeTakeFirstOrThrow();
    expect(c.balance_fen).toBe(124975);
  });

  it('a month that cannot be closed (its bank reconciliation does not agree) refuses the whole import with the month named, nothing kept', async () => {
    // the bank account's opening date before the history: those months would need the bank's statements
    await t.call('custody.bankAccounts.save', { id: bankId, name: '代管专户', bankName: '工商银行', accountNo: '4402 0000 0000 9876', formatId: 'icbc', openingDate: '2023-12-01', bankOpeningFen: 0 });
    const before = await counts();
    const err = await refusal(t.core, 'custody.vouchers.import.commit', { file: file('台账.xlsx', sheetJs(GOOD)), mode: 'all', approverUsername: 'liming' }, t.token);
    expect(err.message).toContain('2024-01 结账失败');
    expect(err.message).toContain('期初日期');
    expect(await counts()).toEqual(before);
  });

  it('export → import identity: an organization\'s 代管资金对账单 exported by one hub imports into another as the same statement', async () => {
    await t.call('custody.vouchers.import.commit', { file: file('台账.xlsx', sheetJs(GOOD)), mode: 'all', approverUsername: 'liming' });
    const range = { orgId: 'org-hist-a', from: '2024-01-01', to: '2024-12-31' };
    const exported = await t.call('custody.orgStatement.export', range);
    const other = await historyHub();
    try {
      // no 组织 column: the organization is the one the statement's title names; 本期合计/期末余额/signature lines are not data
      const done = await other.hub.call('custody.vouchers.import.commit', { file: { name: exported.fileName, base64: exported.base64 }, mode: 'all', approverUsername: 'liming' });
      expect(done.counts).toEqual({ create: 4, update: 0, unchanged: 0, error: 0 });
      const shape = (s: Awaited<ReturnType<T['call']>> & object) => {
        const x = s as unknown as { openingFen: number; closingFen: number; totalInFen: number; totalOutFen: number; openings: { date: string; amountFen: number }[]; rows: { date: string; summary: string; inFen: number; outFen: number; balanceFen: number }[] };
        return {
          openingFen: x.openingFen,
          closingFen: x.closingFen,
          totalInFen: x.totalInFen,
          totalOutFen: x.totalOutFen,
          openings: x.openings.map((o) => [o.date, o.amountFen]),
          rows: x.rows.map((r) => [r.date, r.summary, r.inFen, r.outFen, r.balanceFen]),
        };
      };
      const a = shape(await t.call('custody.orgStatement', range));
      const b = shape(await other.hub.call('custody.orgStatement', range));
      expect(b).toEqual(a);
      expect(a.rows).toHaveLength(3);
      const opening = await other.hub.core.db.selectFrom('custody_vouchers').select('purpose').where('kind', '=', 'opening').executeTakeFirstOrThrow();
      expect(opening.purpose).toBe('期初余额');
      // the same file again changes nothing; a changed 期末余额 is an error on its row
      const again = await other.hub.call('custody.vouchers.import.preview', { file: { name: exported.fileName, base64: exported.base64 }, approverUsername: 'liming' });
      expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 4, error: 0 });
    } finally {
      await other.hub.cleanup();
    }
  });

  it('the template reads back as a valid file', async () => {
    const tpl = await t.call('custody.vouchers.import.template', {});
    expect(tpl.fileName).toContain('代管资金历史');
    const wb = XLSX.read(Buffer.from(tpl.base64, 'base64'), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1 });
    expect(rows[0]).toEqual(expect.arrayContaining(['*日期', '*组织', '*摘要', '余额']));
    // the demo organization of the example is not in this hub: the template's rows are reported by row, nothing else
    const p = await t.call('custody.vouchers.import.preview', { file: { name: tpl.fileName, base64: tpl.base64 } });
    expect(p.mappingIssues).toEqual([]);
    expect(p.rows).toHaveLength(3);
    expect(p.rows.map((r) => r.issues.map((i) => `${i.column}:${i.message.slice(0, 12)}`))).toEqual([['*组织:没有名为"邻里守望互助队'], ['*组织:没有名为"邻里守望互助队'], ['*组织:没有名为"邻里守望互助队']]);
  });

  it('voucher-import CLI: --dry-run prints 检查结果, --approver is required, the import posts', async () => {
    const dataDir = t.dataDir;
    const work = tempDir('incubase-voucher-cli-');
    const path = join(work, '台账.xlsx');
    writeFileSync(path, sheetJs(GOOD));
    await t.core.close();
    const missing = cli('voucher-import', path, '--data-dir', dataDir);
    expect(missing.code).toBe(2);
    expect(missing.err + missing.out).toContain('--approver');
    const dry = cli('voucher-import', path, '--dry-run', '--approver', 'liming', '--data-dir', dataDir);
    expect(dry.out).toContain('检查结果:新增 6,更新 0,未变 0,有错误 0');
    const ok = cli('voucher-import', path, '--approver', 'liming', '--account', '代管专户', '--data-dir', dataDir);
    expect(ok.out).toContain('已导入:新增 6,更新 0,未变 0,有错误 0');
    const again = cli('voucher-import', path, '--approver', 'liming', '--data-dir', dataDir);
    expect(again.out).toContain('已导入:新增 0,更新 0,未变 6,有错误 0');
  }, 300_000);
});
