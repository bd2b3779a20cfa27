/** Yearly evaluations: scores stored in tenths, grade from the hub's bands, latest grade kept on the organization. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { currentChinaYear } from '@shared/dates/parse';
import {
  DEFAULT_EVALUATION_CONFIG,
  checkEvaluationYear,
  evaluate,
  type EvaluationConfig,
  type EvaluationScores,
} from '@shared/organizations/evaluation';
import type { EvaluationRow } from '@shared/contract/organizations';
import type { HubSettings } from '@shared/admin/settings';
import type { CallContext, Trx } from '../api/context';
import { loadOrg } from './records';

export function evaluationConfig(settings: HubSettings): EvaluationConfig {
  return {
    ...DEFAULT_EVALUATION_CONFIG,
    bands: [
      { grade: '5A', min: settings.evalMin5A },
      { grade: '4A', min: settings.evalMin4A },
      { grade: '3A', min: settings.evalMin3A },
      { grade: '2A', min: settings.evalMin2A },
      { grade: '1A', min: settings.evalMin1A },
    ],
  };
}

const x10 = (n: number) => Math.round(n * 10);

async function refreshLatestGrade(trx: Trx, orgId: string) {
  await sql`UPDATE organizations SET
      latest_grade = (SELECT grade FROM org_evaluations WHERE org_id = ${orgId} ORDER BY year DESC LIMIT 1),
      latest_eval_year = (SELECT max(year) FROM org_evaluations WHERE org_id = ${orgId})
    WHERE id = ${orgId}`.execute(trx);
}

/** Creates or replaces the evaluation of one year. */
export async function saveEvaluation(
  ctx: CallContext,
  input: { orgId: string; year: number; scores: EvaluationScores; evaluator?: string | null; remark?: string | null },
) {
  const config = evaluationConfig(await ctx.core.settings());
  const yearProblem = checkEvaluationYear(input.year, currentChinaYear(ctx.now()));
  if (yearProblem) throw fail.validation(yearProblem, [{ path: 'year', message: yearProblem }]);
  const r = evaluate(input.scores, config);
  if (!r.ok) throw fail.validation(r.issues.map((i) => i.message).join(';'), r.issues.map((i) => ({ path: `scores.${i.field}`, message: i.message })));
  const nowIso = ctx.now().toISOString();
  return ctx.write(async (trx) => {
    const org = await loadOrg(trx, input.orgId);
    const before = await trx.selectFrom('org_evaluations').selectAll().where('org_id', '=', input.orgId).where('year', '=', input.year).executeTakeFirst();
    const values = {
      basic_x10: x10(input.scores.basic),
      activities_x10: x10(input.scores.activities),
      contribution_x10: x10(input.scores.contribution),
      influence_x10: x10(input.scores.influence),
      total_x10: x10(r.total),
      grade: r.grade,
      evaluator: input.evaluator?.trim() || null,
      remark: input.remark?.trim() || null,
      updated_at: nowIso,
    };
    const id = before?.id ?? randomUUID();
    if (before) await trx.updateTable('org_evaluations').set(values).where('id', '=', id).execute();
    else await trx.insertInto('org_evaluations').values({ id, org_id: input.orgId, year: input.year, created_at: nowIso, ...values }).execute();
    await refreshLatestGrade(trx, input.orgId);
    await ctx.audit(trx, {
      entity: 'org_evaluation',
      entityId: id,
      summary: `${before ? '修改' : '登记'}「${org.name}」${input.year} 年度评估:${r.total} 分,${r.grade}`,
      before,
      after: { year: input.year, scores: input.scores, total: r.total, grade: r.grade },
    });
    return { id, total: r.total, grade: r.grade };
  });
}

export async function listEvaluations(ctx: CallContext, orgId: string) {
  const config = evaluationConfig(await ctx.core.settings());
  const rows = await ctx.db.selectFrom('org_evaluations').selectAll().where('org_id', '=', orgId).orderBy('year', 'desc').execute();
  const out: EvaluationRow[] = rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    year: r.year,
    scores: { basic: r.basic_x10 / 10, activities: r.activities_x10 / 10, contribution: r.contribution_x10 / 10, influence: r.influence_x10 / 10 },
    total: r.total_x10 / 10,
    grade: r.grade,
    evaluator: r.evaluator,
    remark: r.remark,
    updatedAt: r.updated_at,
  }));
  return { rows: out, bands: config.bands, maxScores: config.maxScores };
}

