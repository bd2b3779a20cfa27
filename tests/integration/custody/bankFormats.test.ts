import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { refusal } from '../../helpers/core';
import { custodyFixture, gbkCsv, type Fixture } from './helpers';

/**
 * Each big bank's export as the accountant downloads it — a GBK CSV with title rows above the table and footer
 * rows below — through the real core: the encoding and the bank are detected, every line reads as expected,
 * and importing the same file again adds nothing. Plus a UTF-8 file and the generic mapping the user saves.
 */
let f: Fixture;
beforeAll(async () => {
  f = await custodyFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

interface BankCase {
  formatId: string;
  name: string;
  rows: string[][];
  /** [date, amountFen, counterparty] per imported line */
  expected: [string, number, string][];
}

const CASES: BankCase[] = [
  {
    formatId: 'icbc',
    name: '工商银行',
    rows: [
      ['中国工商银行 账户历史明细'],
      ['账号：1202 0000 0000 1234', '', '户名：某某街道社会组织服务中心'],
      ['凭证号', '本方账号', '对方账号', '交易时间', '借/贷', '借方发生额', '贷方发生额', '对方行号', '摘要', '用途', '对方单位名称', '余额', '个性化信息'],
      ['', '1202000000001234', '6222 0000 1111', '2026-04-02 09:15:22', '贷', '', '50,000.00', '', '转账', '公益创投拨款', '某某区民政局', '150,000.00', ''],
      ['', '1202000000001234', '6222 0000 2222', '2026-04-05 14:00:00', '借', '1,234.50', '', '', '转账', '场地租金', '阳光物业管理有限公司', '148,765.50', ''],
      ['', '1202000000001234', '6222 0000 2222', '2026-04-05 14:00:00', '借', '1,234.50', '', '', '转账', '场地租金', '阳光物业管理有限公司', '147,531.00', ''],
      ['合计', '', '', '', '', '2,469.00', '50,000.00'],
    ],
    expected: [
      ['2026-04-02', 5_000_000, '某某区民政局'],
      ['2026-04-05', -123_450, '阳光物业管理有限公司'],
      ['2026-04-05', -123_450, '阳光物业管理有限公司'],
    ],
  },
  {
    formatId: 'abc',
    name: '农业银行',
    rows: [
      ['中国农业银行对公账户交易明细'],
      ['交易日期', '交易时间', '收入金额', '支出金额', '本次余额', '手续费总额', '交易方式', '对方户名', '对方账号', '对方开户行', '交易用途', '日志号'],
      ['20260403', '101112', '8000.00', '', '108000.00', '0', '转账', '某某社区基金会', '3301', '农行某支行', '社区基金资助', 'L0001'],
      ['20260404', '090000', '', '300', '107700.00', '0', '转账', '张三', '6228', '', '志愿者补贴', 'L0002'],
      ['打印时间：2026-05-01 10:00'],
    ],
    expected: [
      ['2026-04-03', 800_000, '某某社区基金会'],
      ['2026-04-04', -30_000, '张三'],
    ],
  },
  {
    formatId: 'ccb',
    name: '建设银行',
    rows: [
      ['中国建设银行单位账户明细'],
      ['账户明细编号-交易流水号', '交易时间', '借方发生额（支取）', '贷方发生额（收入）', '余额', '币种', '对方户名', '对方账号', '对方开户机构', '记账日期', '摘要', '备注'],
      ['1-000123', '20260406 10:11:12', '', '12,000.00', '62,000.00', '人民币', '某某市福利彩票发行中心', '9901', '建行', '20260406', '转账', '福彩公益金'],
      ['1-000124', '20260407 16:00:00', '88.88', '', '61,911.12', '人民币', '中国建设银行', '', '', '20260407', '手续费', ''],
    ],
    expected: [
      ['2026-04-06', 1_200_000, '某某市福利彩票发行中心'],
      ['2026-04-07', -8_888, '中国建设银行'],
    ],
  },
  {
    formatId: 'boc',
    name: '中国银行',
    rows: [
      ['交易类型[ Transaction Type ]', '付款人账号[ Debit Account No. ]', "付款人名称[ Payer's Name ]", '收款人账号[ Payee\'s Account Number ]', "收款人名称[ Payee's Name ]", '交易日期[ Transaction Date ]', '交易金额[ Trade Amount ]', '交易后余额[ After-transaction balance ]', '起息日期[ Value Date ]', '交易流水号[ Transaction reference number ]', '用途[ Purpose ]', '摘要[ Reference ]'],
      ['来账', '7788', '某某慈善总会', '4455', '某某社会组织服务中心', '2026/04/08', '20000.00', '70000.00', '2026/04/08', 'BOC001', '社会捐赠', ''],
      ['往账', '4455', '某某社会组织服务中心', '6699', '快乐印务有限公司', '2026/04/09', '-3500.00', '66500.00', '2026/04/09', 'BOC002', '印刷费', ''],
    ],
    expected: [
      ['2026-04-08', 2_000_000, '某某慈善总会'],
      ['2026-04-09', -350_000, '快乐印务有限公司'],
    ],
  },
  {
    formatId: 'bocom',
    name: '交通银行',
    rows: [
      ['交通银行账户明细查询'],
      ['查询账号:', '3100'],
      ['交易日期', '交易时间', '业务类型', '借贷标志', '发生额', '余额', '对方账号', '对方户名', '摘要', '会计流水号'],
      ['2026-04-10', '10:00:00', '转账', '贷', '6,000.00', '16,000.00', '111', '某某街道办事处', '政府购买服务', 'JT1'],
      ['2026-04-11', '11:00:00', '转账', '借', '600.00', '15,400.00', '222', '李四', '讲师费', 'JT2'],
    ],
    expected: [
      ['2026-04-10', 600_000, '某某街道办事处'],
      ['2026-04-11', -60_000, '李四'],
    ],
  },
  {
    formatId: 'psbc',
    name: '邮储银行',
    rows: [
      ['中国邮政储蓄银行 账户交易明细'],
      ['交易日期', '摘要', '收入金额', '支出金额', '账户余额', '对方账号', '对方户名', '交易渠道', '附言', '交易流水号'],
      ['2026年4月12日', '转账', '￥1,000.00', '', '￥11,000.00', '123', '王五', '网银', '会费', 'P1'],
      ['2026年4月13日', '转账', '', '100.00', '10,900.00', '456', '赵六', '网银', '退款', 'P2'],
    ],
    expected: [
      ['2026-04-12', 100_000, '王五'],
      ['2026-04-13', -10_000, '赵六'],
    ],
  },
];

async function bankAccount(name: string, formatId: string, accountNo = `6200 ${Math.floor(Math.random() * 1e8)}`): Promise<string> {
  const { id } = await f.as.maker('custody.bankAccounts.save', {
    name,
    bankName: name,
    accountNo,
    formatId,
    openingDate: '2026-01-01',
    bankOpeningFen: 0,
  });
  return id;
}

describe('GBK statements of each big bank', () => {
  for (const c of CASES) {
    it(`${c.name}: detected from the headers, read line by line, re-import adds nothing`, async () => {
      // The account's own format is 'generic', so the bank must be recognized from the file alone.
      const bankAccountId = await bankAccount(`${c.name}代管专户`, 'generic', c.formatId === 'icbc' ? '1202 0000 0000 1234' : undefined);
      const file = { name: `${c.name}明细.csv`, base64: gbkCsv(c.rows) };
      const preview = await f.as.maker('custody.statements.preview', { bankAccountId, file });
      expect(preview.encoding).toBe('gb18030');
      expect(preview.formatId).toBe(c.formatId);
      expect(preview.formatName).toBe(c.name);
      expect(preview.issues, JSON.stringify(preview.issues)).toEqual([]);
      expect(preview.balanceBreaks).toEqual([]);
      expect(preview.lines.map((l) => [l.date, l.amountFen, l.counterpartyName])).toEqual(c.expected);
      expect(preview.newCount).toBe(c.expected.length);

      const first = await f.as.maker('custody.statements.import', { bankAccountId, file });
      expect(first).toMatchObject({ added: c.expected.length, duplicates: 0, refused: 0 });
      const second = await f.as.maker('custody.statements.import', { bankAccountId, file });
      expect(second).toEqual({ importId: null, added: 0, duplicates: c.expected.length, refused: 0 });
      const stored = await f.raw.all(`SELECT date, amount_fen FROM custody_statement_lines WHERE bank_account_id = ? ORDER BY row_no`, bankAccountId);
      expect(stored).toEqual(c.expected.map(([date, amount_fen]) => ({ date, amount_fen })));
    });
  }

  it('a UTF-8 export (with BOM) of the same bank reads the same and adds nothing after the GBK one', async () => {
    const c = CASES[1];
    const bankAccountId = await bankAccount('农行二号户', 'abc');
    const gbk = { name: 'abc.csv', base64: gbkCsv(c.rows) };
    await f.as.maker('custody.statements.import', { bankAccountId, file: gbk });
    const text = c.rows.map((r) => r.join(',')).join('\r\n');
    const utf8 = { name: 'abc-utf8.csv', base64: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]).toString('base64') };
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId, file: utf8 });
    expect(preview.encoding).toBe('utf-8');
    expect(preview.lines.map((l) => [l.date, l.amountFen, l.counterpartyName])).toEqual(c.expected);
    expect(preview).toMatchObject({ newCount: 0, duplicateCount: c.expected.length });
  });

  it('a file of no known bank is refused in Chinese unless the user maps its columns', async () => {
    const bankAccountId = await bankAccount('农商行户', 'generic');
    const rows = [
      ['某农商银行 交易明细'],
      ['记账日', '金额(元)', '对方名称', '说明', '流水'],
      ['2026/4/15', '2,500.00', '某某慈善总会', '捐赠', 'N1'],
      ['2026/4/16', '-120.00', '某某打印店', '印刷', 'N2'],
    ];
    const file = { name: '农商行.csv', base64: gbkCsv(rows) };
    const e = await refusal(f.core, 'custody.statements.preview', { bankAccountId, file }, f.tokens.maker);
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('无法识别对账单格式');

    const mapping = {
      name: '某农商银行',
      amountMode: 'signed' as const,
      columns: { date: '记账日', amount: '金额(元)', counterpartyName: '对方名称', summary: '说明', serial: '流水' },
    };
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId, file, formatId: 'generic', mapping });
    expect(preview.issues).toEqual([]);
    expect(preview.lines.map((l) => [l.date, l.amountFen, l.counterpartyName, l.serial])).toEqual([
      ['2026-04-15', 250_000, '某某慈善总会', 'N1'],
      ['2026-04-16', -12_000, '某某打印店', 'N2'],
    ]);
    const r = await f.as.maker('custody.statements.import', { bankAccountId, file, formatId: 'generic', mapping, saveMapping: true });
    expect(r).toMatchObject({ added: 2, duplicates: 0 });
    // The saved mapping comes back for next month's file, and this month's file again adds nothing.
    const saved = await f.as.maker('custody.statements.mappings', {});
    const again = saved.find((m) => m.key === '某农商银行');
    expect(again).toMatchObject({ amountMode: 'signed', columns: mapping.columns });
    const { key: _key, ...reuse } = again!;
    const second = await f.as.maker('custody.statements.import', { bankAccountId, file, formatId: 'generic', mapping: reuse });
    expect(second).toMatchObject({ added: 0, duplicates: 2 });
  });

  it('a mapped column missing from the file is refused, naming it', async () => {
    const bankAccountId = await bankAccount('农商行二号户', 'generic');
    const rows = [
      ['记账日', '金额', '对方名称'],
      ['2026/4/15', '2,500.00', '某某慈善总会'],
    ];
    const file = { name: 'x.csv', base64: iconv.encode(rows.map((r) => r.join(',')).join('\n'), 'gbk').toString('base64') };
    const e = await refusal(
      f.core,
      'custody.statements.import',
      { bankAccountId, file, formatId: 'generic', mapping: { name: '缺列', amountMode: 'split', columns: { date: '记账日', debit: '支出', credit: '收入' } } },
      f.tokens.maker,
    );
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('未导入任何记录');
    expect(e.issues?.[0]?.message).toMatch(/没有找到.*表头.*支出.*收入/);
    const n = (await f.raw.get<{ n: number }>(`SELECT count(*) AS n FROM custody_statement_lines WHERE bank_account_id = ?`, bankAccountId))!;
    expect(n.n).toBe(0);
  });
});

describe("the statement's own account number", () => {
  it('is compared with the chosen account: a mismatch is refused unless confirmed, a masked number matches by its visible digits', async () => {
    const icbc = CASES.find((c) => c.formatId === 'icbc')!;
    const file = { name: '工行明细.csv', base64: gbkCsv(icbc.rows) };
    const wrong = await bankAccount('另一个账户', 'generic', '6222 0000 9999 8888');
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId: wrong, file });
    expect(preview.fileAccountNo).toBe('1202000000001234');
    expect(preview.accountMismatch).toContain('与所选账户「另一个账户」的账号 6222 0000 9999 8888 不一致');
    expect(preview.issues[0]).toEqual({ path: '账号', message: preview.accountMismatch });
    const refused = await refusal(f.core, 'custody.statements.import', { bankAccountId: wrong, file }, f.tokens.maker);
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toContain('账号不一致仍导入');
    const confirmed = await f.as.maker('custody.statements.import', { bankAccountId: wrong, file, confirmAccount: true });
    expect(confirmed.added).toBe(3);

    const masked = icbc.rows.map((r) => [...r]);
    masked[1][0] = '账号：1202********1234';
    const right = await bankAccount('脱敏账号账户', 'generic', '1202 0000 0000 1234');
    const p2 = await f.as.maker('custody.statements.preview', { bankAccountId: right, file: { name: 'm.csv', base64: gbkCsv(masked) } });
    expect(p2.fileAccountNo).toBe('1202********1234');
    expect(p2.accountMismatch).toBeNull();
  });
});
