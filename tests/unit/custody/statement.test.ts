import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assignDedupeKeys,
  BANK_FORMATS,
  bankFormatById,
  checkRunningBalance,
  detectBankFormat,
  formatFromMapping,
  headerKey,
  normalizeStatement,
  type StatementLine,
} from '@shared/custody/statement';

const fmt = (id: string) => bankFormatById(id)!;

// Layouts as the banks' corporate online banking exports them: title rows above the table, a total row below.
const ICBC: unknown[][] = [
  ['中国工商银行 账户历史明细'],
  ['账号：1202 0000 0000 1234', '', '户名：某某街道社会组织服务中心'],
  ['起止日期：2026-03-01 至 2026-03-31'],
  [],
  ['凭证号', '本方账号', '对方账号', '交易时间', '借/贷', '借方发生额', '贷方发生额', '对方行号', '摘要', '用途', '对方单位名称', '余额', '个性化信息'],
  ['', '1202000000001234', '6222 0000 1111', '2026-03-02 09:15:22', '贷', '', '50,000.00', '', '转账', '公益创投拨款', '某某区民政局', '150,000.00', ''],
  ['', '1202000000001234', '6222 0000 2222', '2026-03-05 14:00:00', '借', '1,234.50', '', '', '转账', '场地租金', '阳光物业管理有限公司', '148,765.50', ''],
  ['', '1202000000001234', '6222 0000 2222', '2026-03-05 14:00:00', '借', '1,234.50', '', '', '转账', '场地租金', '阳光物业管理有限公司', '147,531.00', ''],
  ['合计', '', '', '', '', '2,469.00', '50,000.00'],
];

const ABC: unknown[][] = [
  ['中国农业银行对公账户交易明细'],
  ['交易日期', '交易时间', '收入金额', '支出金额', '本次余额', '手续费总额', '交易方式', '对方户名', '对方账号', '对方开户行', '交易用途', '日志号'],
  ['20260303', '101112', '8000.00', '', '108000.00', '0', '转账', '某某社区基金会', '3301', '农行某支行', '社区基金资助', 'L0001'],
  ['20260304', '090000', '', '300', '107700.00', '0', '转账', '张三', '6228', '', '志愿者补贴', 'L0002'],
  ['打印时间：2026-04-01 10:00'],
];

const CCB: unknown[][] = [
  ['中国建设银行单位账户明细'],
  ['账户明细编号-交易流水号', '交易时间', '借方发生额（支取）', '贷方发生额（收入）', '余额', '币种', '对方户名', '对方账号', '对方开户机构', '记账日期', '摘要', '备注'],
  ['1-000123', '20260306 10:11:12', '', '12,000.00', '62,000.00', '人民币', '某某市福利彩票发行中心', '9901', '建行', '20260306', '转账', '福彩公益金'],
  ['1-000124', '20260307 16:00:00', '88.88', '', '61,911.12', '人民币', '中国建设银行', '', '', '20260307', '手续费', ''],
];

const BOC: unknown[][] = [
  ['交易类型[ Transaction Type ]', '付款人账号[ Debit Account No. ]', '付款人名称[ Payer\'s Name ]', '收款人账号[ Payee\'s Account Number ]', '收款人名称[ Payee\'s Name ]', '交易日期[ Transaction Date ]', '交易金额[ Trade Amount ]', '交易后余额[ After-transaction balance ]', '起息日期[ Value Date ]', '交易流水号[ Transaction reference number ]', '用途[ Purpose ]', '摘要[ Reference ]'],
  ['来账', '7788', '某某慈善总会', '4455', '某某社会组织服务中心', '2026/03/08', '20000.00', '70000.00', '2026/03/08', 'BOC001', '社会捐赠', ''],
  ['往账', '4455', '某某社会组织服务中心', '6699', '快乐印务有限公司', '2026/03/09', '-3500.00', '66500.00', '2026/03/09', 'BOC002', '印刷费', ''],
];

const BOCOM: unknown[][] = [
  ['交通银行账户明细查询'],
  ['查询账号:', '3100'],
  ['交易日期', '交易时间', '业务类型', '借贷标志', '发生额', '余额', '对方账号', '对方户名', '摘要', '会计流水号'],
  ['2026-03-10', '10:00:00', '转账', '贷', '6,000.00', '16,000.00', '111', '某某街道办事处', '政府购买服务', 'JT1'],
  ['2026-03-11', '11:00:00', '转账', '借', '600.00', '15,400.00', '222', '李四', '讲师费', 'JT2'],
];

const PSBC: unknown[][] = [
  ['中国邮政储蓄银行 账户交易明细'],
  ['交易日期', '摘要', '收入金额', '支出金额', '账户余额', '对方账号', '对方户名', '交易渠道', '附言', '交易流水号'],
  ['2026年3月12日', '转账', '￥1,000.00', '', '￥11,000.00', '123', '王五', '网银', '会费', 'P1'],
  ['2026年3月13日', '转账', '', '(100.00)', '10,900.00', '456', '赵六', '网银', '退款', 'P2'],
];

describe('bank formats', () => {
  it('covers the six big banks', () => {
    expect(BANK_FORMATS.map((f) => f.name)).toEqual(['工商银行', '农业银行', '建设银行', '中国银行', '交通银行', '邮储银行']);
  });
  it('compares headers without units, English glosses or full-width brackets', () => {
    expect(headerKey('借方发生额（支取）')).toBe('借方发生额');
    expect(headerKey('交易金额[ Trade Amount ]')).toBe('交易金额');
    expect(headerKey(' 余额(元) ')).toBe('余额');
    expect(headerKey(null)).toBe('');
  });
  it.each([
    ['icbc', ICBC],
    ['abc', ABC],
    ['ccb', CCB],
    ['boc', BOC],
    ['bocom', BOCOM],
    ['psbc', PSBC],
  ])('detects %s from its headers', (id, rows) => {
    expect(detectBankFormat(rows)?.id).toBe(id);
  });
  it('detects nothing in a table without statement headers', () => {
    expect(detectBankFormat([['姓名', '电话'], ['张三', '1']])).toBeNull();
  });
});

describe('normalizeStatement per bank', () => {
  it('工商银行: split debit/credit, header rows above, total row below, equal payments kept apart', () => {
    const r = normalizeStatement(ICBC, fmt('icbc'));
    expect(r.issues).toEqual([]);
    expect(r.headerRow).toBe(4);
    expect(r.lines.map((l) => [l.row, l.date, l.amountFen, l.balanceFen, l.counterpartyName])).toEqual([
      [6, '2026-03-02', 5000000, 15000000, '某某区民政局'],
      [7, '2026-03-05', -123450, 14876550, '阳光物业管理有限公司'],
      [8, '2026-03-05', -123450, 14753100, '阳光物业管理有限公司'],
    ]);
    expect(r.lines[0].summary).toBe('转账 公益创投拨款');
    expect(r.lines[0].counterpartyAccount).toBe('622200001111');
    expect(new Set(r.lines.map((l) => l.dedupeKey)).size).toBe(3);
    expect(r.skipped).toEqual([{ row: 9, reason: '合计行' }]);
    expect(checkRunningBalance(r.lines)).toEqual([]);
  });
  it('农业银行: 收入/支出 columns, yyyymmdd dates, serial 日志号, footer text skipped', () => {
    const r = normalizeStatement(ABC, fmt('abc'));
    expect(r.issues).toEqual([]);
    expect(r.lines.map((l) => [l.date, l.amountFen, l.serial, l.counterpartyName, l.summary])).toEqual([
      ['2026-03-03', 800000, 'L0001', '某某社区基金会', '社区基金资助'],
      ['2026-03-04', -30000, 'L0002', '张三', '志愿者补贴'],
    ]);
    expect(r.skipped).toEqual([{ row: 5, reason: '不是交易行' }]);
  });
  it('建设银行: 借方发生额（支取）/贷方发生额（收入）, 记账日期 preferred', () => {
    const r = normalizeStatement(CCB, fmt('ccb'));
    expect(r.issues).toEqual([]);
    expect(r.lines.map((l) => [l.date, l.amountFen, l.balanceFen, l.serial])).toEqual([
      ['2026-03-06', 1200000, 6200000, '1-000123'],
      ['2026-03-07', -8888, 6191112, '1-000124'],
    ]);
  });
  it('a footer spread over the table cells (打印日期 under 交易时间, 经办人 under 贷方发生额) is not a transaction, not an error', () => {
    const rows = [...CCB, ['合计', '', '88.88', '12,000.00'], [], ['打印日期：20260405', '', '', '经办人：王芳'], ['', '', '复核：李明', '柜员号：0123']];
    const r = normalizeStatement(rows, fmt('ccb'));
    expect(r.issues).toEqual([]);
    expect(r.lines).toHaveLength(2);
    expect(r.skipped).toEqual([
      { row: 5, reason: '合计行' },
      { row: 6, reason: '空行' },
      { row: 7, reason: '页脚' },
      { row: 8, reason: '页脚' },
    ]);
  });
  it('中国银行: one signed amount, counterparty is the payer of money in and the payee of money out', () => {
    const r = normalizeStatement(BOC, fmt('boc'));
    expect(r.issues).toEqual([]);
    expect(r.lines.map((l) => [l.date, l.amountFen, l.counterpartyName, l.counterpartyAccount])).toEqual([
      ['2026-03-08', 2000000, '某某慈善总会', '7788'],
      ['2026-03-09', -350000, '快乐印务有限公司', '6699'],
    ]);
  });
  it('交通银行: unsigned amount with a 借/贷 flag', () => {
    const r = normalizeStatement(BOCOM, fmt('bocom'));
    expect(r.issues).toEqual([]);
    expect(r.lines.map((l) => [l.amountFen, l.serial])).toEqual([
      [600000, 'JT1'],
      [-60000, 'JT2'],
    ]);
  });
  it('邮储银行: Chinese dates and currency signs; a negative in a split column is refused with row and column', () => {
    const r = normalizeStatement(PSBC, fmt('psbc'));
    expect(r.lines.map((l) => [l.date, l.amountFen, l.balanceFen])).toEqual([['2026-03-12', 100000, 1100000]]);
    expect(r.issues).toEqual([{ row: 4, path: '支出金额', message: '第 4 行「支出金额」不应为负数（支出与收入分列时金额都写正数）' }]);
  });
  it('reads numeric and Date cells as exceljs returns them', () => {
    const rows = [
      ['交易日期', '借方发生额', '贷方发生额', '余额'],
      [new Date(Date.UTC(2026, 2, 14)), null, 1234.5, 2234.5],
      [46096, 0.07, null, 2234.43],
    ];
    const r = normalizeStatement(rows, fmt('icbc'));
    expect(r.issues).toEqual([]);
    expect(r.lines.map((l) => [l.date, l.amountFen, l.balanceFen])).toEqual([
      ['2026-03-14', 123450, 223450],
      ['2026-03-15', -7, 223443],
    ]);
  });
});

describe('refusals name the row and the column', () => {
  const header = ['交易日期', '借方发生额', '贷方发生额', '余额', '对方户名'];
  it.each([
    [['2026-02-30', '', '10.00', '', ''], '交易日期', '2026年2月没有30日'],
    [['2026-03-01', '1,23.4', '', '', ''], '借方发生额', '千分位'],
    [['2026-03-01', '', '1.234,50', '', ''], '贷方发生额', '欧式'],
    [['2026-03-01', '', '10.005', '', ''], '贷方发生额', '两位小数'],
    [['2026-03-01', '5.00', '10.00', '', ''], '贷方发生额', '同时有值'],
    [['', '5.00', '', '', ''], '交易日期', '为空'],
    [['2026-03-01', '5.00', '', 'abc', ''], '余额', '不是有效的金额'],
  ])('%j → %s: %s', (row, column, reason) => {
    const r = normalizeStatement([header, row], fmt('icbc'));
    expect(r.lines).toEqual([]);
    expect(r.issues[0].row).toBe(2);
    expect(r.issues[0].path).toBe(column);
    expect(r.issues[0].message).toContain(reason);
  });
  it('an unknown direction flag is refused', () => {
    const r = normalizeStatement([['交易日期', '借贷标志', '发生额'], ['2026-03-01', '出', '5']], fmt('bocom'));
    expect(r.issues[0]).toMatchObject({ row: 2, path: '借贷标志' });
  });
  it('a missing header is reported with the expected titles', () => {
    const r = normalizeStatement([['日期', '金额']], fmt('icbc'));
    expect(r.headerRow).toBe(-1);
    expect(r.issues[0].message).toContain('没有找到工商银行对账单的表头');
    expect(r.issues[0].message).toContain('借方发生额');
  });
  it('zero-amount rows are skipped, not imported', () => {
    const r = normalizeStatement([header, ['2026-03-01', '0.00', '', '', '']], fmt('icbc'));
    expect(r.lines).toEqual([]);
    expect(r.skipped).toEqual([{ row: 2, reason: '金额为零' }]);
  });
});

describe('generic user mapping', () => {
  it('maps any titles the user picked, with a signed amount', () => {
    const format = formatFromMapping({
      name: '某农商行',
      amountMode: 'signed',
      columns: { date: '入账日', amount: '金额(元)', counterpartyName: '交易对手', serial: '', balance: '结余' },
    });
    const r = normalizeStatement([['入账日', '金额(元)', '结余', '交易对手'], ['2026.3.20', '-45.5', '100', '某超市']], format);
    expect(r.issues).toEqual([]);
    expect(r.lines[0]).toMatchObject({ date: '2026-03-20', amountFen: -4550, balanceFen: 10000, counterpartyName: '某超市', serial: '' });
  });
});

describe('dedupe keys', () => {
  it('importing the same statement again yields the same keys (so nothing is added)', () => {
    for (const [id, rows] of [['icbc', ICBC], ['abc', ABC], ['boc', BOC]] as const) {
      const a = normalizeStatement(rows, fmt(id)).lines.map((l) => l.dedupeKey);
      const b = normalizeStatement(rows.map((r) => [...r]), fmt(id)).lines.map((l) => l.dedupeKey);
      expect(b).toEqual(a);
    }
  });
  it('two identical payments on one day without serial or balance remain two lines', () => {
    const rows = [
      ['交易日期', '借方发生额', '贷方发生额', '对方户名'],
      ['2026-03-05', '100.00', '', '张三'],
      ['2026-03-05', '100.00', '', '张三'],
    ];
    const keys = normalizeStatement(rows, fmt('icbc')).lines.map((l) => l.dedupeKey);
    expect(keys).toEqual(['D|2026-03-05|-10000|张三||1', 'D|2026-03-05|-10000|张三||2']);
  });
  it('uses the serial when present, plus date and amount', () => {
    const [l] = normalizeStatement(ABC, fmt('abc')).lines;
    expect(l.dedupeKey).toBe('S|L0001|2026-03-03|800000|1');
  });
  it('the same statement exported as xlsx (numbers) and CSV (text) gives the same keys', () => {
    const csv = [['交易日期', '借方发生额', '贷方发生额', '余额', '对方户名'], ['2026-03-05', '1,234.50', '', '8,765.50', '张 三']];
    const xlsx = [['交易日期', '借方发生额', '贷方发生额', '余额', '对方户名'], [new Date(Date.UTC(2026, 2, 5)), 1234.5, null, 8765.5, '张三']];
    expect(normalizeStatement(csv, fmt('icbc')).lines[0].dedupeKey).toBe(normalizeStatement(xlsx, fmt('icbc')).lines[0].dedupeKey);
  });
  it('property: keys are unique within a file and stable under re-import', () => {
    const line = fc.record({
      date: fc.constantFrom('2026-03-01', '2026-03-02'),
      amountFen: fc.constantFrom(-100, 100, 5000),
      counterpartyName: fc.constantFrom('张三', '李四', ''),
      balanceFen: fc.constantFrom(null, 1000),
      serial: fc.constantFrom('', 'A1', 'A2'),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (raw) => {
        const lines = raw.map((l, i) => ({ ...l, row: i + 2, counterpartyAccount: '', summary: '' }));
        const a = assignDedupeKeys(lines).map((l) => l.dedupeKey);
        const b = assignDedupeKeys(lines).map((l) => l.dedupeKey);
        return new Set(a).size === a.length && a.every((k, i) => k === b[i]);
      }),
    );
  });
});

describe('running balance check', () => {
  it('flags a row whose balance does not follow', () => {
    const lines = [
      { row: 2, amountFen: 100, balanceFen: 1100 },
      { row: 3, amountFen: -50, balanceFen: 1000 },
    ] as StatementLine[];
    expect(checkRunningBalance(lines)).toEqual([{ row: 3, expectedFen: 1050, actualFen: 1000 }]);
  });
});
