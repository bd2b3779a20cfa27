import { randomUUID } from 'node:crypto';
import { fail } from '@shared/errors';
import type { TrainingPlan } from '@shared/contract/training';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';
import { requireDictCode } from './common';

export async function getPlan(db: Db, year: number): Promise<TrainingPlan | null> {
  const p = await db.selectFrom('training_plans').selectAll().where('year', '=', year).executeTakeFirst();
  if (!p) return null;
  const targets = await db
    .selectFrom('training_plan_targets')
    .select(['dimension', 'code', 'person_times'])
    .where('plan_id', '=', p.id)
    .orderBy('dimension')
    .orderBy('code')
    .execute();
  return {
    id: p.id,
    year: p.year,
    title: p.title,
    targetTotal: p.target_total,
    note: p.note,
    targets: targets.map((t) => ({ dimension: t.dimension, code: t.code, personTimes: t.person_times })),
    updatedAt: p.updated_at,
  };
}

/** One plan per year: saving replaces that year's title, total and targets. */
export async function savePlan(
  ctx: CallContext,
  input: { year: number; title: string; targetTotal: number; note?: string | null; targets: { dimension: 'role' | 'category'; code: string; personTimes: number }[] },
): Promise<TrainingPlan> {
  return ctx.write(async (trx) => {
    const seen = new Set<string>();
    for (const [i, t] of input.targets.entries()) {
      const k = `${t.dimension}:${t.code}`;
      if (seen.has(k)) throw fail.validation('同一类别的目标重复填写', [{ path: `targets.${i}.code`, message: '该类别的目标重复' }]);
      seen.add(k);
      await requireDictCode(trx, t.dimension === 'role' ? 'training_role' : 'training_category', t.code, `targets.${i}.code`, t.dimension === 'role' ? '人员类别' : '培训类别');
    }
    const before = await getPlan(trx, input.year);
    const now = ctx.now().toISOString();
    const id = before?.id ?? randomUUID();
    if (before) {
      await trx
        .updateTable('training_plans')
        .set({ title: input.title.trim(), target_total: input.targetTotal, note: input.note?.trim() || null, updated_at: now })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('training_plan_targets').where('plan_id', '=', id).execute();
    } else {
      await trx
        .insertInto('training_plans')
        .values({ id, year: input.year, title: input.title.trim(), target_total: input.targetTotal, note: input.note?.trim() || null, created_at: now, updated_at: now })
        .execute();
    }
    const targets = input.targets.filter((t) => t.personTimes > 0);
    if (targets.length) {
      await trx
        .insertInto('training_plan_targets')
        .values(targets.map((t) => ({ plan_id: id, dimension: t.dimension, code: t.code, person_times: t.personTimes })))
        .execute();
    }
    const after = (await getPlan(trx, input.year))!;
    await ctx.audit(trx, {
      entity: 'training_plan',
      entityId: id,
      summary: `${before ? '修改' : '制定'}${input.year}年培训计划「${after.title}」，目标${after.targetTotal}人次`,
      before,
      after,
    });
    return after;
  });
}
