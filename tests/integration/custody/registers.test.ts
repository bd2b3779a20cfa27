import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { custodyFixture, ledgerInvariants, NO_VIOLATIONS, postVoucher, type Fixture } from './helpers';

/**
 * The records around the vouchers: invoice scans attached to a voucher, the in-kind register kept apart from
 * cash, the hub's own income and its revenue account, source and project summaries with budget vs actual, and
 * the refusals of the setup calls.
 */
let f: Fixture;
beforeAll(async () => {
  f = await custodyFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

const balances = async () => ({
  bank: (await f.raw.get<{ b: number }>(`SELECT ledger_balance_fen AS b FROM custody_bank_accounts WHERE id = ?`, f.bankId))!.b,
  orgs: await f.raw.all(`SELECT org_id, balance_fen FROM custody_accounts ORDER BY seq`),
});

describe('attachments (invoice scans)', () => {
  it('are kept with the voucher, downloaded byte for byte, and frozen once the voucher is posted', async () => {
    const { id } = await f.as.maker('custody.vouchers.create', {
      kind: 'receipt',
      date: '2026-05-06',
      amountFen: 200_000,
      orgId: f.orgIds[0],
      bankAccountId: f.bankId,
      counterparty: '武侯区民政局',
      purpose: '项目拨款',
    });
    const scan = Buffer.from('%PDF-1.4 发票扫描件 0001');
    const a = await f.as.maker('custody.vouchers.attach', { id, file: { name: '发票:001.pdf', base64: scan.toString('base64') } });
    const detail = await f.as.viewer('custody.vouchers.get', { id });
    expect(detail.voucher.attachments).toBe(1);
    expect(detail.attachmentFiles).toEqual([{ id: a.id, fileName: '发票_001.pdf', size: scan.length }]);
    const back = await f.as.viewer('custody.vouchers.attachment', { id: a.id });
    expect(back.mimeType).toBe('application/pdf');
    expect(Buffer.from(back.base64, 'base64').equals(scan)).toBe(true);

    const empty = await refusal(f.core, 'custody.vouchers.attach', { id, file: { name: 'x.png', base64: '' } }, f.tokens.maker);
    expect(empty.message).toContain('空文件');
    const byViewer = await refusal(f.core, 'custody.vouchers.attach', { id, file: { name: 'x.png', base64: scan.toString('base64') } }, f.tokens.viewer);
    expect(byViewer.code).toBe('FORBIDDEN');

    await f.as.maker('custody.vouchers.submit', { id });
    await f.as.approver('custody.vouchers.approve', { id });
    await f.as.cashier('custody.vouchers.post', { id });
    const late = await refusal(f.core, 'custody.vouchers.attach', { id, file: { name: 'y.pdf', base64: scan.toString('base64') } }, f.tokens.maker);
    expect(late.code).toBe('RULE');
    expect(late.message).toContain('已记账');
    // The database itself keeps a posted voucher's scans.
    await expect(f.raw.run(`DELETE FROM custody_attachments WHERE id = ?`, a.id)).rejects.toThrow(/已记账凭证的附件不可删除/);
  });
});

describe('in-kind donations (物资)', () => {
  it('are registered with a value, apart from the cash ledger', async () => {
    const before = await balances();
    const journal = (await f.raw.get<{ n: number }>(`SELECT count(*) AS n FROM custody_journal`))!.n;
    const { id } = await f.as.maker('custody.inkind.save', {
      orgId: f.orgIds[1],
      donor: '玉林商圈商户联合会',
      receivedOn: '2026-05-08',
      description: '防暑降温物资（矿泉水、藿香正气液）',
      quantity: '120',
      unit: '份',
      valueFen: 360_000,
      valuationBasis: '捐赠方提供的发票',
    });
    await f.as.maker('custody.inkind.save', {
      donor: '爱心居民张女士',
      receivedOn: '2026-05-20',
      description: '图书',
      quantity: '200',
      unit: '册',
      valueFen: 150_050,
      valuationBasis: '市场价格估计',
    });
    const may = await f.as.viewer('custody.inkind.list', { from: '2026-05-01', to: '2026-05-31' });
    expect(may.rows.map((r) => [r.receivedOn, r.orgName, r.valueFen, r.status])).toEqual([
      ['2026-05-20', null, 150_050, 'received'],
      ['2026-05-08', '夕阳红文艺队', 360_000, 'received'],
    ]);
    expect(may.totalValueFen).toBe(510_050);
    // Nothing reaches the bank, the organizations' balances or the journal.
    expect(await balances()).toEqual(before);
    expect((await f.raw.get<{ n: number }>(`SELECT count(*) AS n FROM custody_journal`))!.n).toBe(journal);

    // Handing the goods out needs a date, not before they came in.
    const noDate = await refusal(f.core, 'custody.inkind.save', { id, donor: '玉林商圈商户联合会', receivedOn: '2026-05-08', description: '防暑降温物资', valueFen: 360_000, valuationBasis: '发票', status: 'distributed' }, f.tokens.maker);
    expect(noDate.code).toBe('VALIDATION');
    expect(noDate.issues).toEqual([expect.objectContaining({ path: 'handledOn', message: '请填写发放/退回日期' })]);
    const early = await refusal(
      f.core,
      'custody.inkind.save',
      { id, donor: '玉林商圈商户联合会', receivedOn: '2026-05-08', description: '防暑降温物资', valueFen: 360_000, valuationBasis: '发票', status: 'distributed', handledOn: '2026-05-01' },
      f.tokens.maker,
    );
    expect(early.message).toContain('不能早于接收日期');
    await f.as.maker('custody.inkind.save', {
      id,
      orgId: f.orgIds[1],
      donor: '玉林商圈商户联合会',
      receivedOn: '2026-05-08',
      description: '防暑降温物资（矿泉水、藿香正气液）',
      valueFen: 360_000,
      valuationBasis: '捐赠方提供的发票',
      status: 'distributed',
      handledOn: '2026-05-15',
    });
    const after = await f.as.viewer('custody.inkind.list', {});
    expect(after.rows.find((r) => r.id === id)).toMatchObject({ status: 'distributed', handledOn: '2026-05-15' });
    const negative = await refusal(f.core, 'custody.inkind.save', { donor: '某', receivedOn: '2026-05-08', description: '某物', valueFen: -1, valuationBasis: '估计' }, f.tokens.maker);
    expect(negative.code).toBe('VALIDATION');
    const byViewer = await refusal(f.core, 'custody.inkind.save', { donor: '某', receivedOn: '2026-05-08', description: '某物', valueFen: 1, valuationBasis: '估计' }, f.tokens.viewer);
    expect(byViewer.code).toBe('FORBIDDEN');
  });
});

describe("the hub's own income", () => {
  it('goes to the revenue account of its source — government-purchased services to 4301, not 4401 — and to no organization', async () => {
    const gov = await f.as.maker('custody.sources.save', { kind: 'Z01', name: '2026年街道购买孵化服务', grantor: '玉林街道办事处' });
    const lottery = await f.as.maker('custody.sources.save', { kind: 'Z04', name: '福彩公益金补助', grantor: '区民政局' });
    // The hub's own income goes to its own bank account, never to the custody account (受托代理资产).
    const own = await f.as.maker('custody.bankAccounts.save', { name: '基本户（自有）', bankName: '农业银行', accountNo: '6228 1', formatId: 'abc', openingDate: '2026-01-01', bankOpeningFen: 0, holds: 'own' });
    const ownBalance = async () => (await f.raw.get<{ b: number }>(`SELECT ledger_balance_fen AS b FROM custody_bank_accounts WHERE id = ?`, own.id))!.b;
    const before = await balances();
    const a = await postVoucher(f, { kind: 'income', date: '2026-05-10', amountFen: 8_000_000, bankAccountId: own.id, sourceId: gov.id, counterparty: '玉林街道办事处', purpose: '孵化服务费（第二季度）' });
    const b = await postVoucher(f, { kind: 'income', date: '2026-05-11', amountFen: 1_000_000, bankAccountId: own.id, sourceId: lottery.id, counterparty: '区民政局', purpose: '福彩公益金补助' });
    const lines = async (id: string) => (await f.as.viewer('custody.vouchers.get', { id })).lines.map((l) => [l.accountCode, l.amountFen]);
    expect(await lines(a.id)).toEqual([
      ['1002', 8_000_000],
      ['4301', -8_000_000],
    ]);
    expect(await lines(b.id)).toEqual([
      ['1002', 1_000_000],
      ['4401', -1_000_000],
    ]);
    const now = await balances();
    expect(now.bank).toBe(before.bank);
    expect(await ownBalance()).toBe(9_000_000);
    expect(now.orgs).toEqual(before.orgs);
    const noAccount = await refusal(f.core, 'custody.vouchers.create', { kind: 'income', date: '2026-05-10', amountFen: 100, bankAccountId: own.id, purpose: '未说明的收入' }, f.tokens.maker);
    expect(noAccount.message).toContain('收入科目');
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });
});

describe('sources, projects and budget vs actual', () => {
  it('sums receipts and disbursements per source and spending per budget line for the period', async () => {
    const source = await f.as.maker('custody.sources.save', { kind: 'Z03', name: '玉林社区基金', grantor: '玉林社区基金会' });
    const project = await f.as.maker('custody.projects.save', {
      name: '长者食堂志愿服务',
      sourceId: source.id,
      orgId: f.orgIds[1],
      startDate: '2026-06-01',
      endDate: '2026-12-31',
      lines: [
        { name: '食材补贴', budgetFen: 500_000 },
        { name: '志愿者保险', budgetFen: 60_000 },
      ],
    });
    const lineIds = (await f.as.viewer('custody.projects.list', { orgId: f.orgIds[1] })).find((p) => p.id === project.id)!.lines.map((l) => l.id);
    const base = { orgId: f.orgIds[1], bankAccountId: f.bankId, sourceId: source.id };
    await postVoucher(f, { ...base, kind: 'receipt', date: '2026-06-02', amountFen: 560_000, counterparty: '玉林社区基金会', purpose: '长者食堂项目资助' });
    await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-06-10', amountFen: 123_456, budgetLineId: lineIds[0], counterparty: '玉林农贸市场', purpose: '六月食材' });
    await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-06-12', amountFen: 60_000, budgetLineId: lineIds[1], counterparty: '某保险公司', purpose: '志愿者意外险' });
    // A July payment is outside June's source summary; budget vs actual covers the project's whole term to date.
    await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-07-01', amountFen: 10_000, budgetLineId: lineIds[0], counterparty: '玉林农贸市场', purpose: '七月食材' });

    const june = await f.as.viewer('custody.summary', { from: '2026-06-01', to: '2026-06-30' });
    expect(june.sources.find((s) => s.sourceId === source.id)).toEqual({ sourceId: source.id, name: '玉林社区基金', kindLabel: '社区基金(会)', openingFen: 0, inFen: 560_000, outFen: 183_456, closingFen: 376_544 });
    const p = june.projects.find((x) => x.id === project.id)!;
    expect(p.lines.map((l) => [l.name, l.budgetFen, l.spentFen, l.remainingFen])).toEqual([
      ['食材补贴', 500_000, 133_456, 366_544],
      ['志愿者保险', 60_000, 60_000, 0],
    ]);
    expect([p.budgetFen, p.spentFen]).toEqual([560_000, 193_456]);

    // The insurance line is spent to the fen: one more fen is refused without an approver's written override.
    const { id } = await f.as.maker('custody.vouchers.create', { ...base, kind: 'disbursement', date: '2026-06-20', amountFen: 1, budgetLineId: lineIds[1], purpose: '补缴保费' });
    await f.as.maker('custody.vouchers.submit', { id });
    await f.as.approver('custody.vouchers.approve', { id });
    const over = await refusal(f.core, 'custody.vouchers.post', { id }, f.tokens.cashier);
    expect(over.code).toBe('RULE');
    expect(over.message).toContain('志愿者保险');

    // Budgets cannot be cut below what is already spent.
    const cut = await refusal(
      f.core,
      'custody.projects.save',
      { id: project.id, name: '长者食堂志愿服务', sourceId: source.id, orgId: f.orgIds[1], startDate: '2026-06-01', endDate: '2026-12-31', lines: [{ id: lineIds[0], name: '食材补贴', budgetFen: 100_000 }, { id: lineIds[1], name: '志愿者保险', budgetFen: 60_000 }] },
      f.tokens.maker,
    );
    expect(cut.message).toContain('预算不能调低');

    const xlsx = await f.as.viewer('custody.summary.export', { from: '2026-06-01', to: '2026-06-30' });
    expect(xlsx.fileName).toMatch(/\.xlsx$/);
    const printed = await f.as.viewer('custody.summary.print', { from: '2026-06-01', to: '2026-06-30' });
    expect(printed.fileName).toBe('来源与项目汇总_2026-06-01_2026-06-30.pdf');
    expect(printed.html).toContain('玉林社区基金');
    expect(printed.html).toContain('1,834.56'); // June's disbursements from the fund
    expect(printed.html).toContain('长者食堂志愿服务 合计');
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });
});

describe('setup refusals', () => {
  it('refuse an unknown source kind, a second custody account, a project ending before it starts and a bad format', async () => {
    const kind = await refusal(f.core, 'custody.sources.save', { kind: 'Z99', name: '不存在的类别' }, f.tokens.maker);
    expect(kind.code).toBe('VALIDATION');
    expect(kind.issues).toEqual([expect.objectContaining({ path: 'kind', message: expect.stringContaining('未知的资金来源类别「Z99」') })]);
    const twice = await refusal(f.core, 'custody.accounts.open', { orgId: f.orgIds[0], openedOn: '2026-01-01' }, f.tokens.maker);
    expect(twice.code).toBe('CONFLICT');
    expect(twice.message).toContain('幸福里邻里互助会');
    const without = await f.as.viewer('custody.orgs.withoutAccount', {});
    expect(without.map((o) => o.name)).toContain('青苗助学服务社');
    expect(without.map((o) => o.name)).not.toContain('幸福里邻里互助会');
    const dates = await refusal(
      f.core,
      'custody.projects.save',
      { name: '倒置项目', sourceId: f.sourceId, startDate: '2026-12-31', endDate: '2026-01-01', lines: [{ name: '其他', budgetFen: 1 }] },
      f.tokens.maker,
    );
    expect(dates.issues).toEqual([expect.objectContaining({ path: 'endDate' })]);
    const format = await refusal(f.core, 'custody.bankAccounts.save', { name: '某户', bankName: '某行', accountNo: '1', formatId: 'nope', openingDate: '2026-01-01', bankOpeningFen: 0 }, f.tokens.maker);
    expect(format.message).toContain('未知的对账单格式');
    // Once lines are posted, the opening date and bank opening balance of the account are fixed.
    const bank = (await f.as.viewer('custody.overview', {})).bankAccounts.find((b) => b.id === f.bankId)!;
    const fixed = await refusal(
      f.core,
      'custody.bankAccounts.save',
      { id: f.bankId, name: bank.name, bankName: bank.bankName, accountNo: bank.accountNo, formatId: bank.formatId, openingDate: '2025-12-01', bankOpeningFen: 0 },
      f.tokens.maker,
    );
    expect(fixed.message).toContain('不能再修改启用日期');
  });
});
