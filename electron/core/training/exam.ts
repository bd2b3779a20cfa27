import { randomUUID } from 'node:crypto';
import { fail } from '@shared/errors';
import type { ExamCandidate } from '@shared/contract/training';
import { DEFAULT_EXAM_RULES, EXAM_LEVEL_LABELS, examOutcome, scoreProblem, type ExamLevel } from '@shared/training/exam';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';
import { organizationNames } from './common';
import { workbookBase64, XLSX_MIME } from './xlsx';

/**
 * Candidates of a year with their scores, and whether they passed the level, counting the scores of the
 * same trainee and level in earlier years within the level's rolling window.
 */
export async function listExamCandidates(db: Db, year: number, onlyId?: string): Promise<ExamCandidate[]> {
  let q = db
    .selectFrom('training_exam_candidates as c')
    .innerJoin('training_trainees as t', 't.id', 'c.trainee_id')
    .select(['c.id', 'c.trainee_id', 't.name', 't.role', 't.organization_id', 't.unit_name', 'c.year', 'c.level', 'c.note'])
    .where('c.year', '=', year);
  if (onlyId) q = q.where('c.id', '=', onlyId);
  const rows = await q.orderBy('c.level').orderBy('t.name_key').execute();
  if (rows.length === 0) return [];
  const traineeIds = [...new Set(rows.map((r) => r.trainee_id))];
  const history = await db
    .selectFrom('training_exam_candidates as c')
    .innerJoin('training_exam_scores as s', 's.candidate_id', 'c.id')
    .select(['c.id', 'c.trainee_id', 'c.level', 'c.year', 's.subject', 's.score'])
    .where('c.trainee_id', 'in', traineeIds)
    .where('c.year', '<=', year)
    .execute();
  const orgs = await organizationNames(db, rows.map((r) => r.organization_id));
  return rows.map((r) => {
    const rule = DEFAULT_EXAM_RULES[r.level as ExamLevel];
    const mine = history.filter((h) => h.trainee_id === r.trainee_id && h.level === r.level);
    const outcome = examOutcome(rule, mine.map((h) => ({ subject: h.subject, year: h.year, score: h.score })));
    return {
      id: r.id,
      traineeId: r.trainee_id,
      traineeName: r.name,
      role: r.role,
      organizationName: (r.organization_id ? orgs.get(r.organization_id) : null) ?? r.unit_name ?? null,
      year: r.year,
      level: r.level,
      note: r.note,
      scores: mine.filter((h) => h.id === r.id).map((h) => ({ subject: h.subject, score: h.score })),
      passed: outcome.passed,
      passedYear: outcome.passedYear,
      missing: outcome.missing,
    };
  });
}

export async function saveExamCandidate(
  ctx: CallContext,
  input: { id?: string; traineeId: string; year: number; level: ExamLevel; note?: string | null; scores: { subject: string; score: number | null }[] },
): Promise<ExamCandidate> {
  const rule = DEFAULT_EXAM_RULES[input.level];
  const issues = input.scores
    .map((s, i) => ({ i, problem: scoreProblem(rule, { ...s, year: input.year }) }))
    .filter((x) => x.problem)
    .map((x) => ({ path: `scores.${x.i}.score`, message: x.problem! }));
  if (issues.length) throw fail.validation(issues.map((i) => i.message).join('；'), issues);
  if (new Set(input.scores.map((s) => s.subject)).size !== input.scores.length) throw fail.validation('同一科目填写了两次');
  return ctx.write(async (trx) => {
    const trainee = await trx.selectFrom('training_trainees').select(['id', 'name']).where('id', '=', input.traineeId).executeTakeFirst();
    if (!trainee) throw fail.notFound('学员');
    const before = input.id ? (await listExamCandidates(trx, input.year, input.id))[0] : undefined;
    if (input.id && !before) throw fail.notFound('考生记录');
    const twin = await trx
      .selectFrom('training_exam_candidates')
      .select('id')
      .where('trainee_id', '=', input.traineeId)
      .where('year', '=', input.year)
      .where('level', '=', input.level)
      .where('id', '!=', input.id ?? '')
      .executeTakeFirst();
    if (twin) throw fail.conflict(`${trainee.name}已登记为${input.year}年${EXAM_LEVEL_LABELS[input.level]}考生，请修改原记录`);
    const now = ctx.now().toISOString();
    const id = before?.id ?? randomUUID();
    if (before) {
      await trx.updateTable('training_exam_candidates').set({ trainee_id: input.traineeId, level: input.level, note: input.note?.trim() || null, updated_at: now }).where('id', '=', id).execute();
      await trx.deleteFrom('training_exam_scores').where('candidate_id', '=', id).execute();
    } else {
      await trx
        .insertInto('training_exam_candidates')
        .values({ id, trainee_id: input.traineeId, year: input.year, level: input.level, note: input.note?.trim() || null, created_at: now, updated_at: now })
        .execute();
    }
    if (input.scores.length) {
      await trx.insertInto('training_exam_scores').values(input.scores.map((s) => ({ candidate_id: id, subject: s.subject, score: s.score }))).execute();
    }
    const after = (await listExamCandidates(trx, input.year, id))[0];
    await ctx.audit(trx, {
      entity: 'training_exam_candidate',
      entityId: id,
      summary: `${before ? '修改' : '登记'}社工考试考生「${trainee.name}」${input.year}年${EXAM_LEVEL_LABELS[input.level]}`,
      before,
      after,
    });
    return after;
  });
}

export async function exportExam(db: Db, year: number) {
  const list = await listExamCandidates(db, year);
  const subjects = [...new Map(Object.values(DEFAULT_EXAM_RULES).flatMap((r) => r.subjects.map((s) => [s.code, s.label] as const))).entries()];
  const base64 = await workbookBase64([
    {
      name: '社工考试',
      title: `${year}年社会工作者职业资格考试考生及成绩`,
      columns: [
        { header: '姓名' },
        { header: '所属组织/单位', width: 28 },
        { header: '报考级别', width: 22 },
        ...subjects.map(([, label]) => ({ header: label, width: 16 })),
        { header: '是否通过', width: 10 },
        { header: '备注', width: 20 },
      ],
      rows: list.map((c) => [
        c.traineeName,
        c.organizationName,
        EXAM_LEVEL_LABELS[c.level],
        ...subjects.map(([code]) => {
          const s = c.scores.find((x) => x.subject === code);
          return s ? (s.score ?? '缺考') : null;
        }),
        c.passed ? `通过(${c.passedYear})` : '未通过',
        c.note,
      ]),
    },
  ]);
  return { fileName: `${year}年社工考试名单.xlsx`, mimeType: XLSX_MIME, base64 };
}
