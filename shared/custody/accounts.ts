/**
 * The hub's chart of accounts, per 《民间非营利组织会计制度》 (财会〔2004〕7号), as far as the custody ledger needs
 * it. Custodied cash sits in 1002 银行存款 under a 受托代理资产 detail account (the system allows cash held in
 * custody to be kept in 现金/银行存款 with a 受托代理资产 sub-account instead of 1701) against 2601 受托代理负债
 * (or 2209 其他应付款, a hub setting), with one detail account per organization. When the hub itself earns money
 * the source decides the revenue account: government-purchased services are 4301 提供服务收入, not 4401.
 */

export type AccountCategory = 'asset' | 'liability' | 'net_assets' | 'revenue' | 'expense';
export type NormalSide = 'debit' | 'credit';

export interface AccountDef {
  code: string;
  name: string;
  category: AccountCategory;
  normal: NormalSide;
}

const a = (code: string, name: string, category: AccountCategory): AccountDef => ({
  code,
  name,
  category,
  normal: category === 'asset' || category === 'expense' ? 'debit' : 'credit',
});

/** Level-1 accounts of the standard chart that the custody ledger may touch. */
export const CHART: readonly AccountDef[] = [
  a('1001', '现金', 'asset'),
  a('1002', '银行存款', 'asset'),
  a('1701', '受托代理资产', 'asset'),
  a('2209', '其他应付款', 'liability'),
  a('2601', '受托代理负债', 'liability'),
  a('3101', '非限定性净资产', 'net_assets'),
  a('3102', '限定性净资产', 'net_assets'),
  a('4101', '捐赠收入', 'revenue'),
  a('4201', '会费收入', 'revenue'),
  a('4301', '提供服务收入', 'revenue'),
  a('4401', '政府补助收入', 'revenue'),
  a('4601', '投资收益', 'revenue'),
  a('4901', '其他收入', 'revenue'),
  a('5101', '业务活动成本', 'expense'),
  a('5201', '管理费用', 'expense'),
  a('5401', '其他费用', 'expense'),
];

const BY_CODE = new Map(CHART.map((d) => [d.code, d]));

export function accountByCode(code: string): AccountDef | undefined {
  return BY_CODE.get(code);
}

export const BANK_ACCOUNT_CODE = '1002';
/** Where custodied money is owed back: 2601 by default, 2209 if the hub's accountant prefers it. */
export const CUSTODY_LIABILITY_CODES = ['2601', '2209'] as const;
export type CustodyLiabilityCode = (typeof CUSTODY_LIABILITY_CODES)[number];
export const DEFAULT_CUSTODY_LIABILITY_CODE: CustodyLiabilityCode = '2601';

/** The kind of line a code belongs to, which decides which dimension (bank account, organization) it needs. */
export type LineKind = 'bank' | 'custody' | 'revenue' | 'expense' | 'other';

export function lineKindOf(code: string): LineKind {
  const level1 = code.slice(0, 4);
  if (level1 === BANK_ACCOUNT_CODE) return 'bank';
  if ((CUSTODY_LIABILITY_CODES as readonly string[]).includes(level1)) return 'custody';
  const def = BY_CODE.get(level1);
  if (def?.category === 'revenue') return 'revenue';
  if (def?.category === 'expense') return 'expense';
  return 'other';
}

/**
 * Detail codes for export to general accounting software. Bank accounts are numbered 01..99 under 1002 and each
 * carries the 受托代理资产 detail 01 (`10020101`); organizations are numbered 0001.. under the liability code
 * (`26010001`). The numbers are assigned once and never reused, so exported vouchers keep their meaning.
 */
export function bankDetailCode(bankSeq: number, holds: BankHolds = 'custody'): string {
  if (!Number.isInteger(bankSeq) || bankSeq < 1 || bankSeq > 99) throw new RangeError('银行账户序号应为 1-99');
  return `${BANK_ACCOUNT_CODE}${String(bankSeq).padStart(2, '0')}${holds === 'custody' ? '01' : '02'}`;
}

export function custodyDetailCode(liability: CustodyLiabilityCode, orgSeq: number): string {
  if (!Number.isInteger(orgSeq) || orgSeq < 1 || orgSeq > 9999) throw new RangeError('代管明细账序号应为 1-9999');
  return `${liability}${String(orgSeq).padStart(4, '0')}`;
}

export function bankDetailName(bankName: string, holds: BankHolds = 'custody'): string {
  return `银行存款—${bankName}—${holds === 'custody' ? '受托代理资产' : '本机构资金'}`;
}

// ---------------------------------------------------------------------------------------------------------
// The account plan: the hub's own money and custodied money never share an account.

/**
 * What a bank account holds: `custody` — only money held for organizations (1002 银行存款, detail 受托代理资产,
 * against 2601/2209 per organization); `own` — the hub's own money (its income, e.g. 4301 提供服务收入). A hub
 * setting per account; `custody` is the default (the ledger is a custody ledger).
 */
export type BankHolds = 'custody' | 'own';
export const BANK_HOLDS_LABELS: Record<BankHolds, string> = {
  custody: '代管资金专户（受托代理资产）',
  own: '本机构自有账户',
};

export interface PlanLine {
  accountCode: string;
  amountFen: number;
  bankAccountId?: string | null;
  orgId?: string | null;
}

/**
 * Check a voucher's lines against the account plan of 《民间非营利组织会计制度》 as far as custody is concerned:
 * - the hub's own revenue and expense (4xxx/5xxx) never name an organization (no 受托代理 sub-account);
 * - a bank line on a custody account (受托代理资产) balances only against custody liabilities (2601/2209) of
 *   organizations or another custody bank line — never against the hub's own income;
 * - custody liabilities never move against the hub's own bank account.
 * Returns Chinese messages (empty when the lines fit the plan). `bank(id)` gives a bank account's name and role.
 */
export function accountPlanIssues(lines: readonly PlanLine[], bank: (id: string) => { name: string; holds: BankHolds } | undefined): string[] {
  const issues: string[] = [];
  const label = (code: string) => `${code.slice(0, 4)} ${accountByCode(code.slice(0, 4))?.name ?? ''}`.trim();
  const custodyBanks = new Set<string>();
  const ownBanks = new Set<string>();
  lines.forEach((l, i) => {
    const kind = lineKindOf(l.accountCode);
    if ((kind === 'revenue' || kind === 'expense') && l.orgId) {
      issues.push(`第 ${i + 1} 条分录：${label(l.accountCode)}是本机构的${kind === 'revenue' ? '收入' : '费用'}，不能记入组织的受托代理明细账`);
    }
    if (kind === 'bank' && l.bankAccountId) {
      const b = bank(l.bankAccountId);
      if (b?.holds === 'own') ownBanks.add(b.name);
      else custodyBanks.add(b?.name ?? l.bankAccountId);
    }
  });
  const others = lines.filter((l) => lineKindOf(l.accountCode) !== 'bank' && lineKindOf(l.accountCode) !== 'custody');
  if (custodyBanks.size > 0 && others.length > 0) {
    const codes = [...new Set(others.map((l) => label(l.accountCode)))].join('、');
    issues.push(
      `银行账户「${[...custodyBanks].join('、')}」是代管资金专户（1002 银行存款·受托代理资产），只能与受托代理负债（2601/2209）对应；${codes}是本机构的账目，请记入本机构自有账户`,
    );
  }
  const custodyLines = lines.some((l) => lineKindOf(l.accountCode) === 'custody');
  if (ownBanks.size > 0 && custodyLines) {
    issues.push(`银行账户「${[...ownBanks].join('、')}」是本机构自有账户，代管资金（受托代理负债）不能记入该账户，请使用代管资金专户`);
  }
  return issues;
}

export function custodyDetailName(liability: CustodyLiabilityCode, orgName: string): string {
  return `${accountByCode(liability)!.name}—${orgName}`;
}

/** Funding sources (资金来源). The hub may relabel or add its own; these codes stay stable. */
export const SOURCE_KINDS = [
  { code: 'gov_purchase', label: '政府购买服务' },
  { code: 'venture', label: '公益创投' },
  { code: 'community_fund', label: '社区基金(会)' },
  { code: 'lottery', label: '福利彩票公益金' },
  { code: 'donation', label: '社会捐赠' },
  { code: 'membership', label: '会费' },
  { code: 'other', label: '其他' },
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number]['code'];
export const SOURCE_KIND_CODES = SOURCE_KINDS.map((s) => s.code) as [SourceKind, ...SourceKind[]];

export function sourceKindLabel(kind: string): string {
  return SOURCE_KINDS.find((s) => s.code === kind)?.label ?? kind;
}

/**
 * Revenue account when the hub itself is the beneficiary (not custody). Government-purchased services are an
 * exchange for services delivered, hence 4301 提供服务收入; a government grant without such exchange
 * (福彩公益金 through the civil-affairs bureau, a 公益创投 grant from government) is 4401 政府补助收入.
 */
export function revenueAccountForSource(kind: SourceKind, fromGovernment = true): string {
  switch (kind) {
    case 'gov_purchase':
      return '4301';
    case 'venture':
      return fromGovernment ? '4401' : '4101';
    case 'lottery':
      return '4401';
    case 'community_fund':
    case 'donation':
      return '4101';
    case 'membership':
      return '4201';
    case 'other':
      return '4901';
  }
}

/**
 * Funding sources are an editable dictionary (`funding_source`, codes Z01…Z07 by default, in the order of
 * SOURCE_KINDS). The accounting treatment follows the code, so a relabelled entry keeps its treatment and a
 * hub-added code is treated as 其他 until mapped.
 */
const DICTIONARY_SOURCE_KINDS: Record<string, SourceKind> = {
  Z01: 'gov_purchase',
  Z02: 'venture',
  Z03: 'community_fund',
  Z04: 'lottery',
  Z05: 'donation',
  Z06: 'membership',
  Z07: 'other',
};

export function sourceKindOfCode(code: string): SourceKind {
  if ((SOURCE_KIND_CODES as readonly string[]).includes(code)) return code as SourceKind;
  return DICTIONARY_SOURCE_KINDS[code] ?? 'other';
}
