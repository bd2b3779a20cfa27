/** The in-kind donation register (物资): valued, but kept apart from the cash ledger. */
import { randomUUID } from 'node:crypto';
import { fail } from '@shared/errors';
import { formatFen, sumFen } from '@shared/money';
import type { CallContext } from '../api/context';
import { opOf, orgNames, requireOrg } from './common';

export async function listInKind(ctx: CallContext, from?: string, to?: string) {
  let q = ctx.db.selectFrom('custody_inkind').selectAll();
  if (from) q = q.where('received_on', '>=', from);
  if (to) q = q.where('received_on', '<=', to);
  const rows = await q.orderBy('received_on', 'desc').execute();
  const names = await orgNames(ctx.db, rows.map((r) => r.org_id));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      orgName: r.org_id ? (names.get(r.org_id) ?? null) : null,
      donor: r.donor,
      receivedOn: r.received_on,
      description: r.description,
      quantity: r.quantity,
      unit: r.unit,
      valueFen: r.value_fen,
      valuationBasis: r.valuation_basis,
      status: r.status as 'received' | 'distributed' | 'returned',
      handledOn: r.handled_on,
      note: r.note,
    })),
    totalValueFen: sumFen(rows.map((r) => r.value_fen)),
  };
}

export async function saveInKind(
  ctx: CallContext,
  input: {
    id?: string;
    orgId?: string | null;
    donor: string;
    receivedOn: string;
    description: string;
    quantity?: string;
    unit?: string;
    valueFen: number;
    valuationBasis: string;
    status?: 'received' | 'distributed' | 'returned';
    handledOn?: string | null;
    note?: string;
  },
) {
  const status = input.status ?? 'received';
  if (status !== 'received' && !input.handledOn) throw fail.validation('请填写发放/退回日期', [{ path: 'handledOn', message: '请填写发放/退回日期' }]);
  if (input.handledOn && input.handledOn < input.receivedOn) throw fail.validation('发放/退回日期不能早于接收日期', [{ path: 'handledOn', message: '发放/退回日期不能早于接收日期' }]);
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    if (input.orgId) await requireOrg(trx, input.orgId);
    const values = {
      org_id: input.orgId ?? null,
      donor: input.donor,
      received_on: input.receivedOn,
      description: input.description,
      quantity: input.quantity ?? '',
      unit: input.unit ?? '',
      value_fen: input.valueFen,
      valuation_basis: input.valuationBasis,
      status,
      handled_on: status === 'received' ? null : (input.handledOn ?? null),
      note: input.note ?? '',
      updated_at: op.nowIso,
    };
    if (input.id) {
      const before = await trx.selectFrom('custody_inkind').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!before) throw fail.notFound('物资登记');
      await trx.updateTable('custody_inkind').set(values).where('id', '=', input.id).execute();
      await op.audit({ entity: 'custody_inkind', entityId: input.id, summary: `修改物资登记「${input.description}」${formatFen(input.valueFen)}`, before, after: values });
      return { id: input.id };
    }
    const row = { id: randomUUID(), ...values, created_by: op.actor.userId, created_at: op.nowIso };
    await trx.insertInto('custody_inkind').values(row).execute();
    await op.audit({ entity: 'custody_inkind', entityId: row.id, summary: `登记物资捐赠「${input.description}」（${input.donor}）价值 ${formatFen(input.valueFen)}`, after: row });
    return { id: row.id };
  });
}
