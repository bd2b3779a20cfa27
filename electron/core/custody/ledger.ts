/**
 * The custody ledger service: vouchers through their workflow, posting into the append-only journal, reversals,
 * limits with overrides, and period close/reopen. Every function runs inside the caller's write transaction and
 * writes its audit entry there, so a refusal or a crash leaves nothing half-done.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { formatFen } from '@shared/money';
import { accountPlanIssues, lineKindOf, revenueAccountForSource, sourceKindOfCode, type BankHolds, type CustodyLiabilityCode } from '@shared/custody/accounts';
import {
  budgetSpendDeltas,
  disbursementLines,
  incomeLines,
  orgBalanceDeltas,
  periodOf,
  receiptLines,
  reversalLines,
  validateVoucherLines,
  voucherNumberFor,
  VOUCHER_KIND_LABELS,
  type JournalLine,
  type VoucherKind,
} from '@shared/custody/voucher';
import {
  checkLimits,
  checkOverrideGrant,
  checkPeriodClose,
  checkPeriodReopen,
  checkReversal,
  checkVoucherAction,
  describeViolation,
  findLimitViolations,
  type Actor,
  type UnpostedVoucher,
  type VoucherAction,
  type VoucherStatus,
} from '@shared/custody/workflow';
import type { AuditEntry, Trx } from '../api/context';
import type { SqliteHandle } from '../db/connection';
import { staleVersionError } from '../api/versions';
import { postingStatements } from './postingSql';
import type { CustodyJournalTable, CustodyVoucherTable } from './tables';

export interface Op {
  trx: Trx;
  /**
   * The better-sqlite3 handle under `trx`: the same connection, so its statements join the transaction (on
   * PostgreSQL a stand-in never touched: `engineSql.ts` sends the statements through `trx` there).
   */
  sqlite: SqliteHandle;
  actor: Actor;
  nowIso: string;
  audit(entry: AuditEntry): Promise<void>;
}

export type VoucherRow = CustodyVoucherTable;

export interface VoucherDraftInput {
  kind: Exclude<VoucherKind, 'reversal'> | 'opening';
  date: string;
  amountFen: number;
  orgId?: string | null;
  toOrgId?: string | null;
  bankAccountId?: string | null;
  sourceId?: string | null;
  projectId?: string | null;
  budgetLineId?: string | null;
  revenueCode?: string | null;
  counterparty?: string;
  purpose: string;
  attachments?: number;
}

export async function closedPeriods(trx: Trx): Promise<Set<string>> {
  const rows = await trx.selectFrom('custody_periods').select('period').where('closed', '=', 1).execute();
  return new Set(rows.map((r) => r.period));
}

export async function loadVoucher(trx: Trx, id: string): Promise<VoucherRow> {
  const v = await trx.selectFrom('custody_vouchers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!v) throw fail.notFound('凭证');
  return v;
}

/** The voucher as read is still the current one (when the caller names the version it read). */
async function atVersion(trx: Trx, v: VoucherRow, expected: number | null | undefined): Promise<void> {
  if (expected != null && v.version !== expected) throw await staleVersionError(trx, 'custody_vouchers', v.id, expected, v.version);
}

/** The UPDATE of a voucher changed exactly the row as read (same status, same version), or it is refused. */
async function changedAsRead(trx: Trx, before: VoucherRow, r: { numUpdatedRows: bigint }): Promise<void> {
  if (Number(r.numUpdatedRows) === 1) return;
  const now = await trx.selectFrom('custody_vouchers').select(['version']).where('id', '=', before.id).executeTakeFirst();
  if (!now) throw fail.notFound('凭证');
  throw await staleVersionError(trx, 'custody_vouchers', before.id, before.version, now.version);
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw fail.rule(r.error);
  return r.value;
}

async function orgName(trx: Trx, orgId: string): Promise<string> {
  const row = await sql<{ name: string }>`SELECT name FROM organizations WHERE id = ${orgId}`.execute(trx);
  return row.rows[0]?.name ?? orgId;
}

/** Check a draft's fields against the kind and the records they name; returns the normalized values. */
/** The voucher columns a draft's checked fields fill, the same for a new draft and an edited one. */
function draftColumns(v: Awaited<ReturnType<typeof checkDraftFields>>) {
  return {
      kind: v.kind,
      date: v.date,
      period: periodOf(v.date),
      amount_fen: v.amountFen,
      org_id: v.orgId ?? null,
      to_org_id: v.toOrgId ?? null,
      bank_account_id: v.bankAccountId ?? null,
      source_id: v.sourceId ?? null,
      project_id: v.projectId ?? null,
      budget_line_id: v.budgetLineId ?? null,
      revenue_code: v.revenueCode ?? null,
      counterparty: v.counterparty ?? '',
      purpose: v.purpose,
      attachments: v.attachments ?? 0,
  };
}

async function checkDraftFields(trx: Trx, input: VoucherDraftInput): Promise<Omit<VoucherDraftInput, 'kind'> & { kind: VoucherKind | 'opening' }> {
  const need = (cond: unknown, message: string, path: string) => {
    if (!cond) throw fail.validation(message, [{ path, message }]);
  };
  need(Number.isSafeInteger(input.amountFen) && input.amountFen > 0, '金额必须大于零', 'amountFen');
  need(input.purpose.trim().length > 0, '请填写摘要/用途', 'purpose');
  const kind = input.kind;
  const v = { ...input, counterparty: (input.counterparty ?? '').trim(), purpose: input.purpose.trim() };
  const needsOrg = kind !== 'income';
  const needsBank = kind !== 'transfer';
  if (needsOrg) {
    need(v.orgId, '请选择组织', 'orgId');
    const acct = await trx.selectFrom('custody_accounts').select('id').where('org_id', '=', v.orgId!).executeTakeFirst();
    need(acct, '该组织还没有开立代管账户', 'orgId');
  } else v.orgId = null;
  if (kind === 'transfer') {
    need(v.toOrgId, '请选择划入组织', 'toOrgId');
    need(v.toOrgId !== v.orgId, '划出与划入不能是同一个组织', 'toOrgId');
    const acct = await trx.selectFrom('custody_accounts').select('id').where('org_id', '=', v.toOrgId!).executeTakeFirst();
    need(acct, '划入组织还没有开立代管账户', 'toOrgId');
    v.bankAccountId = null;
  } else v.toOrgId = null;
  if (needsBank) {
    need(v.bankAccountId, '请选择银行账户', 'bankAccountId');
    const bank = await trx.selectFrom('custody_bank_accounts').select(['id', 'name', 'active', 'holds']).where('id', '=', v.bankAccountId!).executeTakeFirst();
    need(bank && bank.active, '银行账户不存在或已停用', 'bankAccountId');
    // The account plan: custodied money and the hub's own money never share a bank account.
    if (kind === 'income') {
      need(
        bank!.holds === 'own',
        `银行账户「${bank!.name}」是代管资金专户（1002 银行存款·受托代理资产），只存放为组织代管的资金；本机构收入请选择本机构自有账户`,
        'bankAccountId',
      );
    } else {
      need(bank!.holds !== 'own', `银行账户「${bank!.name}」是本机构自有账户，代管资金的收支请选择代管资金专户`, 'bankAccountId');
    }
  }
  if (v.sourceId) {
    const s = await trx.selectFrom('custody_sources').select(['id', 'kind', 'from_government']).where('id', '=', v.sourceId).executeTakeFirst();
    need(s, '资金来源不存在', 'sourceId');
    if (kind === 'income' && !v.revenueCode) v.revenueCode = revenueAccountForSource(sourceKindOfCode(s!.kind), !!s!.from_government);
  }
  if (v.budgetLineId) {
    need(kind === 'disbursement', '只有代管支出可以记入预算科目', 'budgetLineId');
    const line = await trx
      .selectFrom('custody_budget_lines as l')
      .innerJoin('custody_projects as p', 'p.id', 'l.project_id')
      .select(['l.project_id', 'p.org_id', 'p.source_id'])
      .where('l.id', '=', v.budgetLineId)
      .executeTakeFirst();
    need(line, '预算科目不存在', 'budgetLineId');
    need(!v.projectId || v.projectId === line!.project_id, '预算科目不属于所选项目', 'budgetLineId');
    need(!line!.org_id || line!.org_id === v.orgId, '该项目属于其他组织', 'budgetLineId');
    v.projectId = line!.project_id;
    v.sourceId = v.sourceId ?? line!.source_id;
  }
  if (v.projectId) {
    const p = await trx.selectFrom('custody_projects').select(['id', 'org_id', 'source_id']).where('id', '=', v.projectId).executeTakeFirst();
    need(p, '项目不存在', 'projectId');
    need(!p!.org_id || kind === 'income' || p!.org_id === v.orgId, '该项目属于其他组织', 'projectId');
    v.sourceId = v.sourceId ?? p!.source_id;
  }
  if (kind === 'income') {
    need(v.revenueCode && lineKindOf(v.revenueCode) === 'revenue', '本机构收入需要收入科目（或选择资金来源自动确定）', 'revenueCode');
  } else v.revenueCode = null;
  need(Number.isInteger(v.attachments ?? 0) && (v.attachments ?? 0) >= 0, '附件张数应为非负整数', 'attachments');
  return v;
}

/** The workflow columns of a voucher just written as a draft by `makerId`: nobody has acted on it yet. */
function newDraftWorkflow(makerId: string, nowIso: string) {
  return {
    maker_id: makerId,
    submitted_at: null,
    approver_id: null,
    approved_at: null,
    poster_id: null,
    posted_at: null,
    override_by: null,
    override_reason: null,
    override_at: null,
    reject_reason: null,
    created_at: nowIso,
    updated_at: nowIso,
  } satisfies Partial<VoucherRow>;
}

export async function createDraft(op: Op, input: VoucherDraftInput): Promise<VoucherRow> {
  const { trx, actor } = op;
  if (!actor.roles.includes('admin') && !actor.roles.includes('accountant')) throw fail.forbidden('只有会计/出纳可以录入凭证');
  const closed = await closedPeriods(trx);
  if (closed.has(periodOf(input.date))) throw fail.rule(`${periodOf(input.date)} 已结账，不能录入该月的凭证`);
  const v = await checkDraftFields(trx, input);
  const row: VoucherRow = {
    id: randomUUID(),
    status: 'draft',
    seq: null,
    number: null,
    ...draftColumns(v),
    reverses_id: null,
    ...newDraftWorkflow(actor.userId, op.nowIso),
    version: 1,
  };
  await trx.insertInto('custody_vouchers').values(row).execute();
  await op.audit({
    entity: 'custody_voucher',
    entityId: row.id,
    summary: `录入${VOUCHER_KIND_LABELS[row.kind as VoucherKind] ?? '期初'}凭证（草稿）${formatFen(row.amount_fen)}：${row.purpose}`,
    after: row,
  });
  return row;
}

export async function updateDraft(op: Op, id: string, input: VoucherDraftInput, version?: number | null): Promise<VoucherRow> {
  const { trx } = op;
  const before = await loadVoucher(trx, id);
  await atVersion(trx, before, version);
  if (before.kind === 'reversal') throw fail.rule('冲销凭证的内容由原凭证决定，不能修改；如需更改请删除后重新冲销');
  const closed = await closedPeriods(trx);
  must(checkVoucherAction(facts(before), 'edit', op.actor, { closedPeriods: closed }));
  if (closed.has(periodOf(input.date))) throw fail.rule(`${periodOf(input.date)} 已结账，不能把凭证改到该月`);
  const v = await checkDraftFields(trx, input);
  const patch = {
    ...draftColumns(v),
    reject_reason: null,
    updated_at: op.nowIso,
    version: before.version + 1,
  };
  const r = await trx.updateTable('custody_vouchers').set(patch).where('id', '=', id).where('status', '=', 'draft').where('version', '=', before.version).executeTakeFirst();
  await changedAsRead(trx, before, r);
  const after = await loadVoucher(trx, id);
  await op.audit({ entity: 'custody_voucher', entityId: id, summary: `修改凭证草稿：${after.purpose}`, before, after });
  return after;
}

function facts(v: VoucherRow) {
  return { status: v.status as VoucherStatus, makerId: v.maker_id, approverId: v.approver_id, date: v.date };
}

export async function deleteDraft(op: Op, id: string, version?: number | null): Promise<void> {
  const before = await loadVoucher(op.trx, id);
  await atVersion(op.trx, before, version);
  must(checkVoucherAction(facts(before), 'delete', op.actor, { closedPeriods: await closedPeriods(op.trx) }));
  await op.trx.deleteFrom('custody_attachments').where('voucher_id', '=', id).execute();
  await op.trx.deleteFrom('custody_vouchers').where('id', '=', id).where('status', '=', 'draft').execute();
  await op.audit({ entity: 'custody_voucher', entityId: id, summary: `删除凭证草稿：${before.purpose}`, before });
}

const ACTION_LABEL: Record<VoucherAction, string> = {
  edit: '修改',
  delete: '删除',
  submit: '提交审批',
  withdraw: '撤回',
  reject: '退回',
  approve: '审批通过',
  post: '记账',
};

/** submit / withdraw / reject / approve (with an optional override reason given by the approver). */
export async function transition(
  op: Op,
  id: string,
  action: 'submit' | 'withdraw' | 'reject' | 'approve',
  opts: { reason?: string | null; overrideReason?: string | null; version?: number | null } = {},
): Promise<VoucherRow> {
  const { trx, actor } = op;
  const before = await loadVoucher(trx, id);
  await atVersion(trx, before, opts.version);
  const next = must(checkVoucherAction(facts(before), action, actor, { closedPeriods: await closedPeriods(trx), reason: opts.reason }));
  const patch: Partial<VoucherRow> = { status: next as VoucherStatus, updated_at: op.nowIso, version: before.version + 1 };
  if (action === 'submit') Object.assign(patch, { submitted_at: op.nowIso, reject_reason: null });
  if (action === 'withdraw' || action === 'reject') {
    Object.assign(patch, { approver_id: null, approved_at: null, override_by: null, override_reason: null, override_at: null });
    if (action === 'reject') patch.reject_reason = (opts.reason ?? '').trim();
  }
  if (action === 'approve') {
    Object.assign(patch, { approver_id: actor.userId, approved_at: op.nowIso });
    if (opts.overrideReason && opts.overrideReason.trim()) {
      const o = must(checkOverrideGrant(actor, before.maker_id, opts.overrideReason));
      Object.assign(patch, { override_by: o.byUserId, override_reason: o.reason, override_at: op.nowIso });
    }
  }
  // Two approvers at once: the second finds the status (and the version) changed and is told who was first.
  const r = await trx.updateTable('custody_vouchers').set(patch).where('id', '=', id).where('status', '=', before.status).where('version', '=', before.version).executeTakeFirst();
  await changedAsRead(trx, before, r);
  const after = await loadVoucher(trx, id);
  const extra = action === 'reject' ? `，理由：${after.reject_reason}` : after.override_reason && action === 'approve' ? `，特批理由：${after.override_reason}` : '';
  await op.audit({ entity: 'custody_voucher', entityId: id, summary: `${ACTION_LABEL[action]}凭证：${after.purpose}${extra}`, before, after });
  return after;
}

/** An approver grants (or replaces) the written override on a submitted or approved voucher. */
export async function grantOverride(op: Op, id: string, reason: string, version?: number | null): Promise<VoucherRow> {
  const before = await loadVoucher(op.trx, id);
  await atVersion(op.trx, before, version);
  if (before.status !== 'submitted' && before.status !== 'approved') throw fail.rule('只有待审批或已审批未记账的凭证可以特批');
  const o = must(checkOverrideGrant(op.actor, before.maker_id, reason));
  const r = await op.trx
    .updateTable('custody_vouchers')
    .set({ override_by: o.byUserId, override_reason: o.reason, override_at: op.nowIso, updated_at: op.nowIso, version: before.version + 1 })
    .where('id', '=', id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  await changedAsRead(op.trx, before, r);
  const after = await loadVoucher(op.trx, id);
  await op.audit({ entity: 'custody_voucher', entityId: id, summary: `特批凭证：${after.purpose}，理由：${o.reason}`, before, after });
  return after;
}

/** The columns of a posted line a reversal mirrors. */
type OriginalLine = Pick<CustodyJournalTable, 'account_code' | 'amount_fen' | 'bank_account_id' | 'org_id' | 'source_id' | 'project_id' | 'budget_line_id'>;

/** The organizations whose liability account a voucher's lines need (a reversal mirrors its original instead). */
function liabilityOrgs(v: VoucherRow): string[] {
  if (v.kind === 'income' || v.kind === 'reversal') return [];
  return [v.org_id, v.to_org_id].filter((x): x is string => !!x);
}

/**
 * The journal lines of a voucher from its fields, each organization's liability account (`liabilityOf` throws
 * when the organization has no custody account) and, for a reversal, the original's posted lines.
 */
function buildLines(v: VoucherRow, liabilityOf: (orgId: string) => CustodyLiabilityCode, original: readonly OriginalLine[]): JournalLine[] {
  const tags = { sourceId: v.source_id, projectId: v.project_id, memo: null };
  switch (v.kind as VoucherKind | 'opening') {
    case 'opening':
    case 'receipt':
      return receiptLines({ bankAccountId: v.bank_account_id!, orgId: v.org_id!, amountFen: v.amount_fen, liability: liabilityOf(v.org_id!), ...tags });
    case 'disbursement':
      return disbursementLines({
        bankAccountId: v.bank_account_id!,
        orgId: v.org_id!,
        amountFen: v.amount_fen,
        liability: liabilityOf(v.org_id!),
        budgetLineId: v.budget_line_id,
        ...tags,
      });
    case 'transfer':
      return [
        { accountCode: liabilityOf(v.org_id!), amountFen: v.amount_fen, orgId: v.org_id, ...tags },
        { accountCode: liabilityOf(v.to_org_id!), amountFen: -v.amount_fen, orgId: v.to_org_id, ...tags },
      ];
    case 'income':
      return incomeLines({ bankAccountId: v.bank_account_id!, revenueCode: v.revenue_code!, amountFen: v.amount_fen, ...tags });
    case 'reversal': {
      if (original.length === 0) throw fail.rule('原凭证没有记账分录，无法冲销');
      return reversalLines(
        original.map((l) => ({
          accountCode: l.account_code,
          amountFen: l.amount_fen,
          bankAccountId: l.bank_account_id,
          orgId: l.org_id,
          sourceId: l.source_id,
          projectId: l.project_id,
          budgetLineId: l.budget_line_id,
        })),
      );
    }
  }
}

function liabilityFrom(codes: ReadonlyMap<string, string>) {
  return (orgId: string): CustodyLiabilityCode => {
    const code = codes.get(orgId);
    if (!code) throw fail.rule('该组织还没有开立代管账户');
    return code as CustodyLiabilityCode;
  };
}

/** The journal lines a voucher will post (or has posted, for a reversal's original). */
export async function linesForVoucher(trx: Trx, v: VoucherRow): Promise<JournalLine[]> {
  const orgIds = liabilityOrgs(v);
  const accounts = orgIds.length ? await trx.selectFrom('custody_accounts').select(['org_id', 'liability_code']).where('org_id', 'in', orgIds).execute() : [];
  const original = v.kind === 'reversal' ? await trx.selectFrom('custody_journal').selectAll().where('voucher_id', '=', v.reverses_id!).orderBy('line_no').execute() : [];
  return buildLines(v, liabilityFrom(new Map(accounts.map((a) => [a.org_id, a.liability_code]))), original);
}

interface BudgetFacts {
  name: string;
  budgetFen: number;
  spentFen: number;
}

/**
 * The limits posting `lines` would break, against the balances the journal triggers keep (custody_accounts.
 * balance_fen, custody_budget_lines.spent_fen), and a describer once the violating organizations' names are known.
 */
function limitsOf(lines: readonly JournalLine[], balances: ReadonlyMap<string, number>, budgets: ReadonlyMap<string, BudgetFacts>) {
  const violations = findLimitViolations({ orgDeltas: orgBalanceDeltas(lines), orgBalances: balances, budgetDeltas: budgetSpendDeltas(lines), budgets });
  const namesNeeded = [...new Set(violations.flatMap((x) => (x.kind === 'negative_balance' ? [x.orgId] : [])))];
  const describeWith = (names: ReadonlyMap<string, string>) => (x: (typeof violations)[number]) =>
    describeViolation(x, { org: (id) => names.get(id) ?? id, line: (id) => budgets.get(id)?.name ?? id });
  return { violations, namesNeeded, describeWith };
}

/** What posting would break, described in Chinese, without writing anything. */
export async function limitViolations(trx: Trx, lines: readonly JournalLine[]) {
  const orgIds = [...orgBalanceDeltas(lines).keys()];
  const lineIds = [...budgetSpendDeltas(lines).keys()];
  const balances = orgIds.length
    ? await trx.selectFrom('custody_accounts').select(['org_id', 'balance_fen']).where('org_id', 'in', orgIds).execute()
    : [];
  const budgets = lineIds.length
    ? await trx.selectFrom('custody_budget_lines').select(['id', 'name', 'budget_fen', 'spent_fen']).where('id', 'in', lineIds).execute()
    : [];
  const { violations, namesNeeded, describeWith } = limitsOf(
    lines,
    new Map(balances.map((x) => [x.org_id, x.balance_fen])),
    new Map(budgets.map((x) => [x.id, { name: x.name, budgetFen: x.budget_fen, spentFen: x.spent_fen }])),
  );
  const names = new Map<string, string>();
  for (const id of namesNeeded) names.set(id, await orgName(trx, id));
  return { violations, describe: describeWith(names) };
}

/**
 * Post an approved voucher: number it (per month, no gaps), write its journal lines, all in this transaction.
 *
 * The hot write path, so it runs on prepared statements of the transaction's own handle (`postingSql.ts`) and
 * reads each fact once: the voucher, whether its month is closed, each organization's account (liability code
 * and the balance the triggers keep), budget lines only when a line names one, names only for a refusal. The
 * database still checks everything again: lines only while posting, balanced lines, contiguous numbers, closed
 * months, the derived balances.
 */
export async function postVoucher(op: Op, id: string, version?: number | null): Promise<VoucherRow> {
  const { actor } = op;
  const q = postingStatements(op);
  const voucher = async (vid: string) => {
    const v = await q.get<VoucherRow>('voucher', vid);
    if (!v) throw fail.notFound('凭证');
    return v;
  };
  const before = await voucher(id);
  await atVersion(op.trx, before, version);
  // Whether this voucher's month is closed is all the 'post' rule reads of the closed months.
  const closed = new Set((await q.get('periodClosed', before.period)) ? [before.period] : []);
  must(checkVoucherAction(facts(before), 'post', actor, { closedPeriods: closed }));
  if (before.reverses_id) {
    const orig = await voucher(before.reverses_id);
    if (orig.status !== 'posted') throw fail.rule('原凭证未记账，不能记账冲销凭证');
    if (before.date < orig.date) throw fail.rule(`冲销日期不能早于原凭证日期 ${orig.date}`);
  }
  type AccountFacts = { liability_code: string; balance_fen: number };
  const accounts = new Map<string, AccountFacts | undefined>();
  // The accounts whose liability code the lines need, read before the lines are built (the builder asks synchronously).
  for (const orgId of liabilityOrgs(before)) {
    if (!accounts.has(orgId)) accounts.set(orgId, await q.get<AccountFacts>('account', orgId));
  }
  const original = before.kind === 'reversal' ? await q.all<OriginalLine>('journalOf', before.reverses_id) : [];
  const lines = buildLines(
    before,
    (orgId) => {
      const a = accounts.get(orgId);
      if (!a) throw fail.rule('该组织还没有开立代管账户');
      return a.liability_code as CustodyLiabilityCode;
    },
    original,
  );
  const issues = validateVoucherLines(lines);
  if (issues.length) throw fail.rule(`凭证分录有误：${issues.map((i) => i.message).join('；')}`);
  // A reversal mirrors its original and must stay possible, so an old mix-up can be undone.
  if (before.kind !== 'reversal') {
    const banks = new Map<string, { name: string; holds: BankHolds } | undefined>();
    for (const l of lines) {
      if (l.bankAccountId && !banks.has(l.bankAccountId)) banks.set(l.bankAccountId, await q.get<{ name: string; holds: BankHolds }>('bank', l.bankAccountId));
    }
    const plan = accountPlanIssues(lines, (bankId) => banks.get(bankId));
    if (plan.length) throw fail.rule(`不符合科目设置：${plan.join('；')}`);
  }

  const balances = new Map<string, number>();
  for (const orgId of orgBalanceDeltas(lines).keys()) {
    if (!accounts.has(orgId)) accounts.set(orgId, await q.get<AccountFacts>('account', orgId));
    const a = accounts.get(orgId);
    if (a) balances.set(orgId, a.balance_fen);
  }
  const budgets = new Map<string, BudgetFacts>();
  for (const lineId of budgetSpendDeltas(lines).keys()) {
    const b = await q.get<{ name: string; budget_fen: number; spent_fen: number }>('budgetLine', lineId);
    if (b) budgets.set(lineId, { name: b.name, budgetFen: b.budget_fen, spentFen: b.spent_fen });
  }
  const { violations, namesNeeded, describeWith } = limitsOf(lines, balances, budgets);
  const names = new Map<string, string>();
  for (const orgId of namesNeeded) names.set(orgId, (await q.get<{ name: string }>('orgName', orgId))?.name ?? orgId);
  const describe = describeWith(names);
  const override = before.override_by && before.override_reason ? { byUserId: before.override_by, reason: before.override_reason } : null;
  const limits = must(checkLimits(violations, override, before.maker_id, describe));

  // The next number of the month. The database refuses a number whose predecessor is missing (and a taken one),
  // so the numbers of a month stay 1..n without counting the month here; closing a month re-checks the count.
  const seq = ((await q.get<{ max: number | null }>('lastSeq', before.period))?.max ?? 0) + 1;
  const number = voucherNumberFor(before.date, seq);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    await q.run('insertLine', id, i + 1, before.date, before.period, l.accountCode, l.amountFen, l.bankAccountId ?? null, l.orgId ?? null, l.sourceId ?? null, l.projectId ?? null, l.budgetLineId ?? null);
  }
  // The status change checks in the database that the lines just written balance.
  const changed = await q.run('markPosted', seq, number, actor.userId, op.nowIso, op.nowIso, id, before.version);
  if (changed !== 1) throw await staleVersionError(op.trx, 'custody_vouchers', id, before.version, (await voucher(id)).version);
  // Exactly what the UPDATE wrote: the row as it now stands, without reading it back.
  const after: VoucherRow = { ...before, status: 'posted', seq, number, poster_id: actor.userId, posted_at: op.nowIso, updated_at: op.nowIso, version: before.version + 1 };
  const note = limits.overridden ? `（特批：${violations.map(describe).join('；')}；理由：${before.override_reason}）` : '';
  await op.audit({ entity: 'custody_voucher', entityId: id, summary: `记账 ${number} ${formatFen(after.amount_fen)}：${after.purpose}${note}`, before, after: { ...after, lines } });
  return after;
}

/** A reversing voucher for a posted one, as a draft that goes through approval like any other. */
export async function createReversal(op: Op, originalId: string, date: string | null | undefined, reason: string): Promise<VoucherRow> {
  const { trx, actor } = op;
  const orig = await loadVoucher(trx, originalId);
  const existing = await trx.selectFrom('custody_vouchers').select('id').where('reverses_id', '=', originalId).executeTakeFirst();
  must(
    checkReversal(
      { status: orig.status as VoucherStatus, date: orig.date, isReversal: orig.kind === 'reversal', reversedBy: existing?.id ?? null },
      date,
      actor,
      await closedPeriods(trx),
    ),
  );
  if (!reason || reason.trim().length < 2) throw fail.validation('请写明冲销原因', [{ path: 'reason', message: '请写明冲销原因' }]);
  const row: VoucherRow = {
    ...orig,
    id: randomUUID(),
    kind: 'reversal',
    status: 'draft',
    date: date!,
    period: periodOf(date!),
    seq: null,
    number: null,
    purpose: `冲销 ${orig.number}：${reason.trim()}`,
    attachments: 0,
    reverses_id: orig.id,
    ...newDraftWorkflow(actor.userId, op.nowIso),
    version: 1,
  };
  await trx.insertInto('custody_vouchers').values(row).execute();
  await op.audit({ entity: 'custody_voucher', entityId: row.id, summary: `为 ${orig.number} 录入冲销凭证（草稿）：${reason.trim()}`, after: row });
  return row;
}

// ---------------------------------------------------------------------------------------------------------
// Periods

export async function closePeriod(
  op: Op,
  period: string,
  reconciliations: { bankAccountName: string; agrees: boolean; differenceFen: number }[],
): Promise<void> {
  const { trx } = op;
  const closed = await closedPeriods(trx);
  // The vouchers of the month still in approval (and drafts) are listed by name instead of closing under them.
  const unpostedRows = await trx
    .selectFrom('custody_vouchers as v')
    .leftJoin('users as u', 'u.id', 'v.maker_id')
    .select(['v.id', 'v.status', 'v.date', 'v.amount_fen', 'v.purpose', 'u.display_name'])
    .where('v.period', '=', period)
    .where('v.status', '!=', 'posted')
    .orderBy(sql`CASE v.status WHEN 'approved' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END`)
    .orderBy('v.date')
    .execute();
  const unposted: UnpostedVoucher[] = unpostedRows.map((r) => ({
    id: r.id,
    status: r.status as UnpostedVoucher['status'],
    date: r.date,
    amountFen: r.amount_fen,
    purpose: r.purpose,
    makerName: r.display_name ?? '',
  }));
  const earlier = await trx
    .selectFrom('custody_vouchers')
    .select('period')
    .distinct()
    .where('period', '<', period)
    .where('status', '=', 'posted')
    .execute();
  const check = checkPeriodClose(
      {
        period,
        unpostedCount: unposted.length,
        unposted,
        reconciliations,
        earlierOpenPeriods: earlier.map((r) => r.period).filter((p) => !closed.has(p)).sort(),
        alreadyClosed: closed.has(period),
      },
      op.actor,
  );
  if (!check.ok) throw fail.rule(check.error, unposted.length ? { unposted } : undefined);
  // Posting takes the next number without counting the month (the database refuses a gap); before the month is
  // sealed, its numbers are counted once: 1..n with none missing.
  const numbering = await trx
    .selectFrom('custody_vouchers')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`max(seq)`.as('max')])
    .where('period', '=', period)
    .where('seq', 'is not', null)
    .executeTakeFirstOrThrow();
  if ((numbering.max ?? 0) !== numbering.n) throw fail.rule(`${period} 的凭证号不连续，请联系管理员检查`);
  const before = await trx.selectFrom('custody_periods').selectAll().where('period', '=', period).executeTakeFirst();
  await trx
    .insertInto('custody_periods')
    .values({ period, closed: 1, closed_at: op.nowIso, closed_by: op.actor.userId, reopened_at: null, reopened_by: null, reopen_reason: null })
    .onConflict((oc) => oc.column('period').doUpdateSet({ closed: 1, closed_at: op.nowIso, closed_by: op.actor.userId }))
    .execute();
  await op.audit({ entity: 'custody_period', entityId: period, summary: `结账 ${period}`, before: before ?? null, after: { period, closed: true, reconciliations } });
}

export async function reopenPeriod(op: Op, period: string, reason: string): Promise<void> {
  const { trx } = op;
  must(checkPeriodReopen(period, await closedPeriods(trx), op.actor, reason));
  const before = await trx.selectFrom('custody_periods').selectAll().where('period', '=', period).executeTakeFirstOrThrow();
  await trx
    .updateTable('custody_periods')
    .set({ closed: 0, reopened_at: op.nowIso, reopened_by: op.actor.userId, reopen_reason: reason.trim() })
    .where('period', '=', period)
    .execute();
  await op.audit({ entity: 'custody_period', entityId: period, summary: `反结账 ${period}，理由：${reason.trim()}`, before, after: { ...before, closed: 0, reopen_reason: reason.trim() } });
}
