/** Setup records of the custody ledger: bank accounts, per-organization custody accounts, sources, projects. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { formatFen } from '@shared/money';
import { BANK_HOLDS_LABELS, bankDetailCode, custodyDetailCode, type BankHolds, SOURCE_KIND_CODES, sourceKindLabel, type CustodyLiabilityCode } from '@shared/custody/accounts';
import { bankFormatById } from '@shared/custody/statement';
import type { CallContext } from '../api/context';
import { dictionaryLabels } from '../admin/dictionaries';
import { opOf, orgNames, requireOrg } from './common';

export async function listBankAccounts(ctx: CallContext) {
  const rows = await ctx.db.selectFrom('custody_bank_accounts').selectAll().orderBy('seq').execute();
  return rows.map((b) => ({
    id: b.id,
    seq: b.seq,
    name: b.name,
    bankName: b.bank_name,
    accountNo: b.account_no,
    formatId: b.format_id,
    openingDate: b.opening_date,
    bankOpeningFen: b.bank_opening_fen,
    ledgerBalanceFen: b.ledger_balance_fen,
    detailCode: bankDetailCode(b.seq, b.holds as BankHolds),
    holds: b.holds as BankHolds,
    active: !!b.active,
  }));
}

export async function saveBankAccount(
  ctx: CallContext,
  input: { id?: string; name: string; bankName: string; accountNo: string; formatId: string; openingDate: string; bankOpeningFen: number; active?: boolean; holds?: BankHolds },
) {
  if (input.formatId !== 'generic' && !bankFormatById(input.formatId)) throw fail.validation('未知的对账单格式', [{ path: 'formatId', message: '未知的对账单格式' }]);
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    if (input.id) {
      const before = await trx.selectFrom('custody_bank_accounts').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!before) throw fail.notFound('银行账户');
      const used = await trx.selectFrom('custody_journal').select('id').where('bank_account_id', '=', input.id).limit(1).executeTakeFirst();
      // Once the ledger uses the account, its opening balance and date are history.
      if (used && (before.bank_opening_fen !== input.bankOpeningFen || before.opening_date !== input.openingDate)) {
        throw fail.rule('该账户已有记账分录，不能再修改启用日期和期初银行余额');
      }
      const holds = input.holds ?? (before.holds as BankHolds);
      if (used && holds !== before.holds) {
        throw fail.validation(`该账户已有记账分录，不能再把账户性质从「${BANK_HOLDS_LABELS[before.holds as BankHolds]}」改为「${BANK_HOLDS_LABELS[holds]}」`, [
          { path: 'holds', message: '已有记账分录的账户不能改变账户性质' },
        ]);
      }
      const patch = {
        name: input.name,
        bank_name: input.bankName,
        account_no: input.accountNo,
        format_id: input.formatId,
        opening_date: input.openingDate,
        bank_opening_fen: input.bankOpeningFen,
        active: input.active === false ? 0 : 1,
        holds,
      };
      await trx.updateTable('custody_bank_accounts').set(patch).where('id', '=', input.id).execute();
      await op.audit({ entity: 'custody_bank_account', entityId: input.id, summary: `修改银行账户「${input.name}」`, before, after: { ...before, ...patch } });
      return { id: input.id };
    }
    const max = await trx.selectFrom('custody_bank_accounts').select(sql<number | null>`max(seq)`.as('m')).executeTakeFirstOrThrow();
    const seq = (max.m ?? 0) + 1;
    if (seq > 99) throw fail.rule('银行账户最多 99 个');
    const row = {
      id: randomUUID(),
      seq,
      name: input.name,
      bank_name: input.bankName,
      account_no: input.accountNo,
      format_id: input.formatId,
      opening_date: input.openingDate,
      bank_opening_fen: input.bankOpeningFen,
      active: input.active === false ? 0 : 1,
      holds: input.holds ?? 'custody',
      created_at: op.nowIso,
    };
    await trx.insertInto('custody_bank_accounts').values(row).execute();
    await op.audit({
      entity: 'custody_bank_account',
      entityId: row.id,
      summary: `新增${BANK_HOLDS_LABELS[row.holds]}「${row.name}」(${bankDetailCode(seq, row.holds)})，期初银行余额 ${formatFen(row.bank_opening_fen)}`,
      after: row,
    });
    return { id: row.id };
  });
}

export async function listCustodyAccounts(ctx: CallContext, text?: string) {
  const rows = await ctx.db.selectFrom('custody_accounts').selectAll().orderBy('seq').execute();
  const names = await orgNames(ctx.db, rows.map((r) => r.org_id));
  const q = (text ?? '').trim();
  return rows
    .map((a) => ({
      id: a.id,
      orgId: a.org_id,
      orgName: names.get(a.org_id) ?? a.org_id,
      seq: a.seq,
      detailCode: custodyDetailCode(a.liability_code as CustodyLiabilityCode, a.seq),
      liabilityCode: a.liability_code,
      openedOn: a.opened_on,
      balanceFen: a.balance_fen,
    }))
    .filter((a) => !q || a.orgName.includes(q) || a.detailCode.includes(q));
}

export async function orgsWithoutAccount(ctx: CallContext, text?: string) {
  const q = `%${(text ?? '').trim()}%`;
  const r = await sql<{ id: string; name: string }>`
    SELECT o.id, o.name FROM organizations o
    WHERE o.status = 'active' AND NOT EXISTS (SELECT 1 FROM custody_accounts a WHERE a.org_id = o.id) AND o.name LIKE ${q}
    ORDER BY o.name LIMIT 200`.execute(ctx.db);
  return r.rows;
}

export async function openCustodyAccount(ctx: CallContext, input: { orgId: string; openedOn: string; liabilityCode?: '2601' | '2209'; note?: string }) {
  const settings = await ctx.core.settings();
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    const org = await requireOrg(trx, input.orgId);
    const existing = await trx.selectFrom('custody_accounts').select('id').where('org_id', '=', input.orgId).executeTakeFirst();
    if (existing) throw fail.conflict(`「${org.name}」已经开立了代管账户`);
    const max = await trx.selectFrom('custody_accounts').select(sql<number | null>`max(seq)`.as('m')).executeTakeFirstOrThrow();
    const seq = (max.m ?? 0) + 1;
    if (seq > 9999) throw fail.rule('代管账户最多 9999 个');
    const liability = (input.liabilityCode ?? settings.custodyLiabilityCode) as CustodyLiabilityCode;
    const row = { id: randomUUID(), org_id: input.orgId, seq, liability_code: liability, opened_on: input.openedOn, note: input.note ?? '', created_at: op.nowIso };
    await trx.insertInto('custody_accounts').values(row).execute();
    const detailCode = custodyDetailCode(liability, seq);
    await op.audit({ entity: 'custody_account', entityId: row.id, summary: `为「${org.name}」开立代管账户 ${detailCode}`, after: row });
    return { id: row.id, detailCode };
  });
}

export async function listSources(ctx: CallContext) {
  const rows = await ctx.db.selectFrom('custody_sources').selectAll().orderBy('created_at').execute();
  const labels = await dictionaryLabels(ctx.db, 'funding_source').catch(() => new Map<string, string>());
  return rows.map((s) => ({
    id: s.id,
    kind: s.kind,
    kindLabel: labels.get(s.kind) ?? sourceKindLabel(s.kind),
    name: s.name,
    grantor: s.grantor,
    fromGovernment: !!s.from_government,
    active: !!s.active,
  }));
}

export async function saveSource(ctx: CallContext, input: { id?: string; kind: string; name: string; grantor?: string; fromGovernment?: boolean; active?: boolean }) {
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    // The kind is a code of the 资金来源 dictionary (Z01 政府购买服务 …), which decides the accounting treatment.
    const known = await dictionaryLabels(trx, 'funding_source');
    if (!known.has(input.kind) && !(SOURCE_KIND_CODES as readonly string[]).includes(input.kind)) {
      const message = `未知的资金来源类别「${input.kind}」，请从资金来源字典中选择`;
      throw fail.validation(message, [{ path: 'kind', message }]);
    }
    const values = {
      kind: input.kind,
      name: input.name,
      grantor: input.grantor ?? '',
      from_government: input.fromGovernment === false ? 0 : 1,
      active: input.active === false ? 0 : 1,
    };
    if (input.id) {
      const before = await trx.selectFrom('custody_sources').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!before) throw fail.notFound('资金来源');
      await trx.updateTable('custody_sources').set(values).where('id', '=', input.id).execute();
      await op.audit({ entity: 'custody_source', entityId: input.id, summary: `修改资金来源「${input.name}」`, before, after: { ...before, ...values } });
      return { id: input.id };
    }
    const row = { id: randomUUID(), ...values, created_at: op.nowIso };
    await trx.insertInto('custody_sources').values(row).execute();
    await op.audit({ entity: 'custody_source', entityId: row.id, summary: `新增资金来源「${input.name}」`, after: row });
    return { id: row.id };
  });
}

export async function listProjects(ctx: CallContext, orgId?: string) {
  let q = ctx.db.selectFrom('custody_projects').selectAll().orderBy('start_date', 'desc').orderBy('name');
  if (orgId) q = q.where((eb) => eb.or([eb('org_id', '=', orgId), eb('org_id', 'is', null)]));
  const projects = await q.execute();
  const ids = projects.map((p) => p.id);
  const lines = ids.length ? await ctx.db.selectFrom('custody_budget_lines').selectAll().where('project_id', 'in', ids).orderBy('sort_order').execute() : [];
  const sources = new Map((await ctx.db.selectFrom('custody_sources').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const names = await orgNames(ctx.db, projects.map((p) => p.org_id));
  return projects.map((p) => {
    const ls = lines
      .filter((l) => l.project_id === p.id)
      .map((l) => ({ id: l.id, name: l.name, budgetFen: l.budget_fen, spentFen: l.spent_fen, remainingFen: l.budget_fen - l.spent_fen }));
    return {
      id: p.id,
      name: p.name,
      sourceId: p.source_id,
      sourceName: sources.get(p.source_id) ?? '',
      orgId: p.org_id,
      orgName: p.org_id ? (names.get(p.org_id) ?? null) : null,
      startDate: p.start_date,
      endDate: p.end_date,
      active: !!p.active,
      lines: ls,
      budgetFen: ls.reduce((s, l) => s + l.budgetFen, 0),
      spentFen: ls.reduce((s, l) => s + l.spentFen, 0),
    };
  });
}

export async function saveProject(
  ctx: CallContext,
  input: {
    id?: string;
    name: string;
    sourceId: string;
    orgId?: string | null;
    startDate: string;
    endDate: string;
    active?: boolean;
    lines: { id?: string; name: string; budgetFen: number }[];
  },
) {
  if (input.startDate > input.endDate) throw fail.validation('开始日期不能晚于结束日期', [{ path: 'endDate', message: '开始日期不能晚于结束日期' }]);
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    const source = await trx.selectFrom('custody_sources').select('id').where('id', '=', input.sourceId).executeTakeFirst();
    if (!source) throw fail.notFound('资金来源');
    if (input.orgId) {
      await requireOrg(trx, input.orgId);
    }
    const values = { name: input.name, source_id: input.sourceId, org_id: input.orgId ?? null, start_date: input.startDate, end_date: input.endDate, active: input.active === false ? 0 : 1 };
    let id = input.id;
    let before: unknown = null;
    if (id) {
      const old = await trx.selectFrom('custody_projects').selectAll().where('id', '=', id).executeTakeFirst();
      if (!old) throw fail.notFound('项目');
      const oldLines = await trx.selectFrom('custody_budget_lines').selectAll().where('project_id', '=', id).execute();
      before = { ...old, lines: oldLines };
      const posted = await trx.selectFrom('custody_journal').select('id').where('project_id', '=', id).limit(1).executeTakeFirst();
      if (posted && old.org_id !== values.org_id) throw fail.rule('项目已有记账分录，不能更改所属组织');
      await trx.updateTable('custody_projects').set(values).where('id', '=', id).execute();
      const keep = new Set(input.lines.map((l) => l.id).filter(Boolean));
      for (const l of oldLines) {
        if (keep.has(l.id)) continue;
        const used = await trx.selectFrom('custody_vouchers').select('id').where('budget_line_id', '=', l.id).limit(1).executeTakeFirst();
        if (used) throw fail.rule(`预算科目「${l.name}」已被凭证使用，不能删除`);
        await trx.deleteFrom('custody_budget_lines').where('id', '=', l.id).execute();
      }
    } else {
      id = randomUUID();
      await trx.insertInto('custody_projects').values({ id, ...values, created_at: op.nowIso }).execute();
    }
    for (const [i, l] of input.lines.entries()) {
      if (l.id) {
        const old = await trx.selectFrom('custody_budget_lines').selectAll().where('id', '=', l.id).where('project_id', '=', id).executeTakeFirst();
        if (!old) throw fail.notFound('预算科目');
        if (l.budgetFen < old.spent_fen) {
          throw fail.rule(`预算科目「${l.name}」已支出 ${formatFen(old.spent_fen)}，预算不能调低到 ${formatFen(l.budgetFen)}`);
        }
        await trx.updateTable('custody_budget_lines').set({ name: l.name, budget_fen: l.budgetFen, sort_order: i }).where('id', '=', l.id).execute();
      } else {
        await trx.insertInto('custody_budget_lines').values({ id: randomUUID(), project_id: id, name: l.name, budget_fen: l.budgetFen, sort_order: i }).execute();
      }
    }
    const total = input.lines.reduce((s, l) => s + l.budgetFen, 0);
    await op.audit({
      entity: 'custody_project',
      entityId: id,
      summary: `${input.id ? '修改' : '新增'}项目「${input.name}」，预算 ${formatFen(total)}（${input.lines.length} 个科目）`,
      before: before ?? undefined,
      after: { ...values, lines: input.lines },
    });
    return { id };
  });
}
