/** Read side of the custody ledger: voucher lists and details, organization statements, summaries. */
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { accountByCode, bankDetailCode, bankDetailName, custodyDetailCode, custodyDetailName, sourceKindLabel, type BankHolds, type CustodyLiabilityCode } from '@shared/custody/accounts';
import { buildOrgStatement } from '@shared/custody/reports';
import type { VoucherRowView } from '@shared/contract/custody';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';
import type { Trx } from '../api/context';
import { dictionaryLabels } from '../admin/dictionaries';
import { orgNames, userNames } from './common';
import { closedPeriods, limitViolations, linesForVoucher, loadVoucher, type VoucherRow } from './ledger';
import { sqliteNulls } from '../db/dialect';

type Reader = Db | Trx;

/** Decorate voucher rows with the names the screens show, in a handful of bulk queries. */
export async function voucherViews(db: Reader, rows: VoucherRow[]): Promise<VoucherRowView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const orgs = await orgNames(db, rows.flatMap((r) => [r.org_id, r.to_org_id]));
  const users = await userNames(db, rows.flatMap((r) => [r.maker_id, r.approver_id, r.poster_id, r.override_by]));
  const banks = new Map((await db.selectFrom('custody_bank_accounts').select(['id', 'name']).execute()).map((b) => [b.id, b.name]));
  const sources = new Map((await db.selectFrom('custody_sources').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const projectIds = [...new Set(rows.map((r) => r.project_id).filter((x): x is string => !!x))];
  const projects = new Map(
    projectIds.length ? (await db.selectFrom('custody_projects').select(['id', 'name']).where('id', 'in', projectIds).execute()).map((p) => [p.id, p.name]) : [],
  );
  const lineIds = [...new Set(rows.map((r) => r.budget_line_id).filter((x): x is string => !!x))];
  const lines = new Map(
    lineIds.length ? (await db.selectFrom('custody_budget_lines').select(['id', 'name']).where('id', 'in', lineIds).execute()).map((l) => [l.id, l.name]) : [],
  );
  const revIds = [...new Set(rows.map((r) => r.reverses_id).filter((x): x is string => !!x))];
  const reversed = new Map(
    revIds.length ? (await db.selectFrom('custody_vouchers').select(['id', 'number']).where('id', 'in', revIds).execute()).map((v) => [v.id, v.number]) : [],
  );
  const reversals = new Map<string, { id: string; number: string | null; status: string; reverses_id: string | null }>();
  const matched = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await db.selectFrom('custody_vouchers').select(['id', 'number', 'status', 'reverses_id']).where('reverses_id', 'in', chunk).execute()) {
      reversals.set(r.reverses_id!, r);
    }
    for (const m of await db.selectFrom('custody_match_items').select('item_id').where('side', '=', 'entry').where('item_id', 'in', chunk).execute()) {
      matched.add(m.item_id);
    }
  }
  return rows.map((r) => {
    const rev = reversals.get(r.id);
    return {
      id: r.id,
      kind: r.kind,
      status: r.status as VoucherRowView['status'],
      date: r.date,
      number: r.number,
      amountFen: r.amount_fen,
      orgId: r.org_id,
      orgName: r.org_id ? (orgs.get(r.org_id) ?? r.org_id) : null,
      toOrgId: r.to_org_id,
      toOrgName: r.to_org_id ? (orgs.get(r.to_org_id) ?? r.to_org_id) : null,
      bankAccountId: r.bank_account_id,
      bankAccountName: r.bank_account_id ? (banks.get(r.bank_account_id) ?? null) : null,
      sourceId: r.source_id,
      sourceName: r.source_id ? (sources.get(r.source_id) ?? null) : null,
      projectId: r.project_id,
      projectName: r.project_id ? (projects.get(r.project_id) ?? null) : null,
      budgetLineId: r.budget_line_id,
      budgetLineName: r.budget_line_id ? (lines.get(r.budget_line_id) ?? null) : null,
      revenueCode: r.revenue_code,
      counterparty: r.counterparty,
      purpose: r.purpose,
      attachments: r.attachments,
      reversesId: r.reverses_id,
      reversesNumber: r.reverses_id ? (reversed.get(r.reverses_id) ?? null) : null,
      reversedById: rev?.id ?? null,
      reversedByNumber: rev?.number ?? null,
      reversedByStatus: rev?.status ?? null,
      makerId: r.maker_id,
      makerName: users.get(r.maker_id) ?? r.maker_id,
      approverId: r.approver_id,
      approverName: r.approver_id ? (users.get(r.approver_id) ?? null) : null,
      posterName: r.poster_id ? (users.get(r.poster_id) ?? null) : null,
      postedAt: r.posted_at,
      overrideReason: r.override_reason,
      overrideByName: r.override_by ? (users.get(r.override_by) ?? null) : null,
      rejectReason: r.reject_reason,
      version: r.version,
      matched: matched.has(r.id),
      createdAt: r.created_at,
    };
  });
}

const SORTABLE: Record<string, string> = {
  date: 'date',
  number: 'number',
  amountFen: 'amount_fen',
  status: 'status',
  kind: 'kind',
  createdAt: 'created_at',
};

export async function listVouchers(
  ctx: CallContext,
  input: {
    startRow: number;
    endRow: number;
    sort?: { colId: string; sort: 'asc' | 'desc' }[];
    filter?: { status?: string; kind?: string; orgId?: string; period?: string; from?: string; to?: string; text?: string; mine?: 'toApprove' | 'toPost' | 'myDrafts' };
  },
) {
  const user = ctx.requireUser();
  const f = input.filter ?? {};
  let q = ctx.db.selectFrom('custody_vouchers');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.orgId) {
    const orgId = f.orgId;
    q = q.where((eb) => eb.or([eb('org_id', '=', orgId), eb('to_org_id', '=', orgId)]));
  }
  if (f.period) q = q.where('period', '=', f.period);
  if (f.from) q = q.where('date', '>=', f.from);
  if (f.to) q = q.where('date', '<=', f.to);
  if (f.text && f.text.trim()) {
    const like = `%${f.text.trim()}%`;
    q = q.where((eb) => eb.or([eb('purpose', 'like', like), eb('counterparty', 'like', like), eb('number', 'like', like)]));
  }
  if (f.mine === 'toApprove') q = q.where('status', '=', 'submitted').where('maker_id', '!=', user.id);
  if (f.mine === 'toPost') q = q.where('status', '=', 'approved');
  if (f.mine === 'myDrafts') q = q.where('status', '=', 'draft').where('maker_id', '=', user.id);
  const total = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  let rq = q.selectAll();
  const sorts = (input.sort ?? []).filter((s) => SORTABLE[s.colId]);
  // NULLs (a draft's number) sort as on SQLite on both engines
  if (sorts.length === 0) rq = rq.orderBy('date', 'desc').orderBy('number', sqliteNulls(ctx.db, 'desc')).orderBy('created_at', 'desc');
  for (const s of sorts) rq = rq.orderBy(sql.ref(SORTABLE[s.colId]), sqliteNulls(ctx.db, s.sort));
  // the id last after a chosen sort: rows equal in every sorted column (a day's vouchers) keep one order from page
  // to page and in the export, on both engines (PostgreSQL gives ties no order at all). The default order's tail
  // (number, created_at) already tells vouchers apart and is read from custody_vouchers_list_order.
  if (sorts.length) rq = rq.orderBy('id');
  const rows = await rq.limit(Math.min(input.endRow - input.startRow, 1000)).offset(input.startRow).execute();
  return { rows: await voucherViews(ctx.db, rows), total: total.n };
}

/** Names of accounts for display and export: level-1 name and the detail code/name. */
export async function lineLabels(db: Reader) {
  const banks = new Map((await db.selectFrom('custody_bank_accounts').select(['id', 'seq', 'name', 'bank_name', 'holds']).execute()).map((b) => [b.id, b]));
  const accounts = await db.selectFrom('custody_accounts').select(['org_id', 'seq', 'liability_code']).execute();
  const acctByOrg = new Map(accounts.map((a) => [a.org_id, a]));
  return async (l: { accountCode: string; bankAccountId?: string | null; orgId?: string | null }, names: Map<string, string>) => {
    const def = accountByCode(l.accountCode.slice(0, 4));
    let detailCode = l.accountCode;
    let detailName = def?.name ?? l.accountCode;
    if (l.bankAccountId) {
      const b = banks.get(l.bankAccountId);
      if (b) {
        detailCode = bankDetailCode(b.seq, b.holds as BankHolds);
        detailName = bankDetailName(`${b.bank_name}${b.name}`, b.holds as BankHolds);
      }
    } else if (l.orgId) {
      const a = acctByOrg.get(l.orgId);
      if (a) {
        detailCode = custodyDetailCode(a.liability_code as CustodyLiabilityCode, a.seq);
        detailName = custodyDetailName(a.liability_code as CustodyLiabilityCode, names.get(l.orgId) ?? l.orgId);
      }
    }
    return { accountCode: l.accountCode.slice(0, 4), accountName: def?.name ?? '', detailCode, detailName };
  };
}

export async function voucherLinesView(db: Reader, v: VoucherRow) {
  const posted = v.status === 'posted';
  const lines = posted
    ? (await db.selectFrom('custody_journal').selectAll().where('voucher_id', '=', v.id).orderBy('line_no').execute()).map((l) => ({
        accountCode: l.account_code,
        amountFen: l.amount_fen,
        bankAccountId: l.bank_account_id,
        orgId: l.org_id,
      }))
    : await linesForVoucher(db as Trx, v);
  const names = await orgNames(db, lines.map((l) => l.orgId));
  const label = await lineLabels(db);
  const out = [];
  for (const [i, l] of lines.entries()) out.push({ lineNo: i + 1, ...(await label(l, names)), amountFen: l.amountFen });
  return { lines: out, posted, raw: lines };
}

export async function getVoucher(ctx: CallContext, id: string) {
  const v = await loadVoucher(ctx.db as Trx, id);
  const [view] = await voucherViews(ctx.db, [v]);
  const { lines, posted, raw } = await voucherLinesView(ctx.db, v);
  let violations: string[] = [];
  if (!posted) {
    const { violations: vs, describe } = await limitViolations(ctx.db as Trx, raw);
    violations = vs.map(describe);
  }
  const history = await ctx.db
    .selectFrom('audit_log')
    .select(['at', 'username', 'summary'])
    .where('entity', '=', 'custody_voucher')
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute();
  const files = await ctx.db.selectFrom('custody_attachments').select(['id', 'file_name', 'size']).where('voucher_id', '=', id).orderBy('added_at').execute();
  return { voucher: view, lines, posted, violations, history, attachmentFiles: files.map((f) => ({ id: f.id, fileName: f.file_name, size: f.size })) };
}

/**
 * The organization's balance before `from` and its movements within [from, to], from the posted journal; the
 * columns follow `movementClass` (openings to 期初, a reversal in its original's column, negative).
 */
export async function orgStatement(db: Reader, orgId: string, from: string, to: string) {
  const acct = await db.selectFrom('custody_accounts').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!acct) throw fail.notFound('代管账户');
  if (from > to) throw fail.validation('开始日期不能晚于结束日期');
  const opening = await db
    .selectFrom('custody_journal')
    .select(sql<number>`coalesce(-sum(amount_fen), 0)`.as('b'))
    .where('org_id', '=', orgId)
    .where('date', '<', from)
    .where('account_code', 'in', ['2601', '2209'])
    .executeTakeFirstOrThrow();
  const moves = await db
    .selectFrom('custody_journal as j')
    .innerJoin('custody_vouchers as v', 'v.id', 'j.voucher_id')
    .leftJoin('custody_vouchers as rv', 'rv.id', 'v.reverses_id')
    .select(['j.date', 'v.id', 'v.number', 'v.kind', 'v.reverses_id', 'rv.number as reverses_no', 'rv.kind as reversed_kind', 'v.purpose', 'v.counterparty', 'j.amount_fen'])
    .where('j.org_id', '=', orgId)
    .where('j.account_code', 'in', ['2601', '2209'])
    .where('j.date', '>=', from)
    .where('j.date', '<=', to)
    .orderBy('j.date')
    .orderBy('v.number')
    .execute();
  const names = await orgNames(db, [orgId]);
  const s = buildOrgStatement({
    from,
    to,
    openingFen: opening.b,
    movements: moves.map((m) => ({
      date: m.date,
      voucherId: m.id,
      voucherNo: m.number ?? '',
      summary: m.purpose,
      counterparty: m.counterparty,
      amountFen: -m.amount_fen,
      kind: m.kind,
      reversesId: m.reverses_id,
      reversesNo: m.reverses_no,
      reversedKind: m.reversed_kind,
    })),
  });
  return { orgId, orgName: names.get(orgId) ?? orgId, detailCode: custodyDetailCode(acct.liability_code as CustodyLiabilityCode, acct.seq), ...s };
}

/**
 * Per funding source over [from, to]: 期初 (balance before `from` plus openings within), 拨入, 支出 (reversals
 * netted in their original's column), 期末 — so 期初 + 拨入 − 支出 = 期末 per source. Transfers between
 * organizations keep their source on both lines and cancel out within it.
 */
export async function sourceSummary(ctx: CallContext, from: string, to: string) {
  // The organization's side of a line: its balance moves by -amount_fen. Class per movementClass().
  const rows = await sql<{ source_id: string | null; before_fen: number; opening_fen: number; in_fen: number; out_fen: number }>`
    SELECT source_id,
      coalesce(sum(CASE WHEN date < ${from} THEN -amount_fen ELSE 0 END), 0) AS before_fen,
      coalesce(sum(CASE WHEN date >= ${from} AND cls = 'opening' THEN -amount_fen ELSE 0 END), 0) AS opening_fen,
      coalesce(sum(CASE WHEN date >= ${from} AND cls = 'in' THEN -amount_fen ELSE 0 END), 0) AS in_fen,
      coalesce(sum(CASE WHEN date >= ${from} AND cls = 'out' THEN amount_fen ELSE 0 END), 0) AS out_fen
    FROM (
      SELECT j.source_id, j.date, j.amount_fen,
        CASE
          WHEN v.kind = 'opening' OR (v.kind = 'reversal' AND rv.kind = 'opening') THEN 'opening'
          WHEN v.kind = 'transfer' OR (v.kind = 'reversal' AND rv.kind = 'transfer') THEN 'transfer'
          WHEN v.kind = 'reversal' THEN CASE WHEN j.amount_fen > 0 THEN 'in' ELSE 'out' END
          ELSE CASE WHEN j.amount_fen < 0 THEN 'in' ELSE 'out' END
        END AS cls
      FROM custody_journal j
      JOIN custody_vouchers v ON v.id = j.voucher_id
      LEFT JOIN custody_vouchers rv ON rv.id = v.reverses_id
      WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') AND j.date <= ${to}
    ) t
    GROUP BY source_id`.execute(ctx.db);
  const sources = await ctx.db.selectFrom('custody_sources').selectAll().execute();
  const labels = await dictionaryLabels(ctx.db, 'funding_source').catch(() => new Map<string, string>());
  const byId = new Map(sources.map((s) => [s.id, s]));
  return rows.rows
    .map((r) => {
      const s = r.source_id ? byId.get(r.source_id) : undefined;
      const openingFen = r.before_fen + r.opening_fen;
      return {
        sourceId: r.source_id,
        name: s?.name ?? '（未指定来源）',
        kindLabel: s ? (labels.get(s.kind) ?? sourceKindLabel(s.kind)) : '',
        openingFen,
        inFen: r.in_fen,
        outFen: r.out_fen,
        closingFen: openingFen + r.in_fen - r.out_fen,
      };
    })
    .filter((r) => r.openingFen !== 0 || r.inFen !== 0 || r.outFen !== 0 || r.closingFen !== 0);
}

export async function periodList(ctx: CallContext) {
  const counts = await sql<{ period: string; n: number; unposted: number }>`
    SELECT period, count(*) AS n, sum(CASE WHEN status <> 'posted' THEN 1 ELSE 0 END) AS unposted
    FROM custody_vouchers GROUP BY period`.execute(ctx.db);
  const periods = await ctx.db.selectFrom('custody_periods').selectAll().execute();
  const users = await userNames(ctx.db, periods.map((p) => p.closed_by));
  const all = new Set([...counts.rows.map((c) => c.period), ...periods.map((p) => p.period)]);
  const closed = await closedPeriods(ctx.db as Trx);
  return [...all].sort().reverse().map((period) => {
    const c = counts.rows.find((x) => x.period === period);
    const p = periods.find((x) => x.period === period);
    return {
      period,
      closed: closed.has(period),
      closedAt: p?.closed_at ?? null,
      closedByName: p?.closed_by ? (users.get(p.closed_by) ?? null) : null,
      reopenReason: p?.reopen_reason ?? null,
      voucherCount: c?.n ?? 0,
      unpostedCount: c?.unposted ?? 0,
    };
  });
}
