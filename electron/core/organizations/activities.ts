/**
 * Activities (作用发挥) and major-activity reports. The major-activity flag is computed from the hub's rule at
 * every write and stored, so lists can filter on it; marking a major activity held without a timely report is
 * refused here and by a CHECK constraint.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { fail } from '@shared/errors';
import { todayInChina } from '@shared/dates/parse';
import {
  DEFAULT_MAJOR_KIND_CODES,
  checkMarkHeld,
  checkReportFiling,
  isMajorActivity,
  reportFiledInTime,
  type MajorReportStatus,
  type ActivityStatus,
  type MajorActivityRule,
} from '@shared/organizations/activity';
import type { ActivityRow } from '@shared/contract/organizations';
import type { HubSettings } from '@shared/admin/settings';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { dictionaryLabels } from '../admin/dictionaries';
import { loadOrg, parseList } from './records';
import type { OrgActivityTable } from './tables';

export function majorRule(settings: HubSettings): MajorActivityRule {
  return { threshold: settings.majorActivityThreshold, majorKindCodes: DEFAULT_MAJOR_KIND_CODES };
}

export interface ActivityInput {
  orgId: string;
  title: string;
  seriesCode: string;
  kindCode?: string | null;
  date: string;
  place?: string | null;
  expectedAttendance?: number | null;
  actualAttendance?: number | null;
  volunteerCount?: number | null;
  peopleServed: string[];
  description?: string | null;
}

/** Keeps the organization's activity count and last date equal to what its activities say (same transaction). */
export async function refreshActivityStats(trx: Trx | Db, orgId: string): Promise<void> {
  await sql`UPDATE organizations SET
      activity_count = (SELECT count(*) FROM org_activities WHERE org_id = ${orgId} AND status != 'cancelled'),
      last_activity_date = (SELECT max(date) FROM org_activities WHERE org_id = ${orgId} AND status = 'held')
    WHERE id = ${orgId}`.execute(trx);
}

export async function saveActivity(ctx: CallContext, input: ActivityInput & { id?: string }) {
  const settings = await ctx.core.settings();
  const rule = majorRule(settings);
  const nowIso = ctx.now().toISOString();
  const series = await dictionaryLabels(ctx.db, 'activity_series');
  if (!series.has(input.seriesCode)) throw fail.validation('活动品牌系列不在字典中', [{ path: 'seriesCode', message: '请选择活动品牌系列' }]);
  const kinds = await dictionaryLabels(ctx.db, 'activity_kind');
  if (input.kindCode && !kinds.has(input.kindCode)) throw fail.validation('活动类型不在字典中', [{ path: 'kindCode', message: '请选择活动类型' }]);
  const verdict = isMajorActivity({ kindCode: input.kindCode ?? null, expectedAttendance: input.expectedAttendance ?? null }, rule, input.kindCode ? kinds.get(input.kindCode) : undefined);
  return ctx.write(async (trx) => {
    const org = await loadOrg(trx, input.orgId);
    const values = {
      org_id: input.orgId,
      title: input.title.trim(),
      series_code: input.seriesCode,
      kind_code: input.kindCode ?? null,
      date: input.date,
      place: input.place?.trim() || null,
      expected_attendance: input.expectedAttendance ?? null,
      actual_attendance: input.actualAttendance ?? null,
      volunteer_count: input.volunteerCount ?? null,
      people_served: JSON.stringify(input.peopleServed ?? []),
      is_major: verdict.major ? 1 : 0,
      description: input.description || null,
      updated_at: nowIso,
    };
    let id = input.id;
    let before: Selectable<OrgActivityTable> | undefined;
    if (id) {
      before = await trx.selectFrom('org_activities').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw fail.notFound('活动');
      if (before.org_id !== input.orgId) throw fail.validation('活动不属于该组织');
      if (before.status === 'held' && verdict.major && !(before.report_filed_date && before.report_filed_date < input.date)) {
        throw fail.rule('已举办的活动改动后成为重大活动,但没有在活动日期之前提交的重大活动报告');
      }
      await trx.updateTable('org_activities').set(values).where('id', '=', id).execute();
    } else {
      id = randomUUID();
      await trx.insertInto('org_activities').values({ id, ...values, status: 'planned', report_filed_date: null, report_note: null, created_at: nowIso }).execute();
    }
    await refreshActivityStats(trx, input.orgId);
    await ctx.audit(trx, {
      entity: 'org_activity',
      entityId: id,
      summary: `${before ? '修改' : '登记'}「${org.name}」活动「${values.title}」(${input.date}${verdict.major ? ',重大活动' : ''})`,
      before,
      after: values,
    });
    return { id, isMajor: verdict.major, majorReasons: verdict.reasons };
  });
}

export async function fileMajorReport(ctx: CallContext, id: string, filedDate: string, note: string): Promise<void> {
  const today = todayInChina(ctx.now());
  const problem = checkReportFiling(filedDate, today);
  if (problem) throw fail.validation(problem, [{ path: 'filedDate', message: problem }]);
  await ctx.write(async (trx) => {
    const a = await trx.selectFrom('org_activities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a) throw fail.notFound('活动');
    await trx.updateTable('org_activities').set({ report_filed_date: filedDate, report_note: note.trim(), updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    await ctx.audit(trx, {
      entity: 'org_activity',
      entityId: id,
      summary: `登记活动「${a.title}」的重大活动报告(${filedDate}${filedDate >= a.date ? ',晚于活动日期' : ''})`,
      before: { reportFiledDate: a.report_filed_date, reportNote: a.report_note },
      after: { reportFiledDate: filedDate, reportNote: note },
    });
  });
}

export async function setActivityStatus(ctx: CallContext, id: string, status: 'held' | 'cancelled', actualAttendance?: number | null): Promise<void> {
  const settings = await ctx.core.settings();
  const today = todayInChina(ctx.now());
  const kinds = await dictionaryLabels(ctx.db, 'activity_kind');
  await ctx.write(async (trx) => {
    const a = await trx.selectFrom('org_activities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a) throw fail.notFound('活动');
    if (a.status === status) return;
    if (a.status !== 'planned') throw fail.rule(`活动已${a.status === 'held' ? '举办' : '取消'},不能再变更状态`);
    if (status === 'held') {
      const reason = checkMarkHeld(
        { kindCode: a.kind_code, expectedAttendance: a.expected_attendance, date: a.date, status: a.status as ActivityStatus, reportFiledDate: a.report_filed_date },
        today,
        majorRule(settings),
        a.kind_code ? kinds.get(a.kind_code) : undefined,
      );
      if (reason) throw fail.rule(reason);
    }
    await trx
      .updateTable('org_activities')
      .set({ status, actual_attendance: status === 'held' ? (actualAttendance ?? a.actual_attendance) : a.actual_attendance, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await refreshActivityStats(trx, a.org_id);
    await ctx.audit(trx, {
      entity: 'org_activity',
      entityId: id,
      summary: `活动「${a.title}」${status === 'held' ? '标记为已举办' : '已取消'}`,
      before: { status: a.status },
      after: { status, actualAttendance },
    });
  });
}

/** Report status from the stored major flag (set by the rule in force when the activity was last saved). */
function storedReportStatus(major: boolean, facts: { date: string; status: ActivityStatus; reportFiledDate: string | null }, today: string): MajorReportStatus {
  if (!major || facts.status === 'cancelled') return 'not_required';
  if (facts.reportFiledDate) return reportFiledInTime(facts.reportFiledDate, facts.date) ? 'filed' : 'filed_late';
  return today < facts.date ? 'missing' : 'overdue';
}

export async function listActivities(
  ctx: CallContext,
  q: { orgId?: string; attention?: boolean; majorOnly?: boolean; seriesCode?: string; from?: string; to?: string; startRow: number; endRow: number },
): Promise<{ rows: ActivityRow[]; total: number }> {
  const settings = await ctx.core.settings();
  const rule = majorRule(settings);
  const today = todayInChina(ctx.now());
  const kinds = await dictionaryLabels(ctx.db, 'activity_kind');
  let base = ctx.db.selectFrom('org_activities as a').innerJoin('organizations as o', 'o.id', 'a.org_id');
  if (q.orgId) base = base.where('a.org_id', '=', q.orgId);
  if (q.seriesCode) base = base.where('a.series_code', '=', q.seriesCode);
  if (q.from) base = base.where('a.date', '>=', q.from);
  if (q.to) base = base.where('a.date', '<=', q.to);
  if (q.majorOnly || q.attention) base = base.where('a.is_major', '=', 1).where('a.status', '!=', 'cancelled');
  if (q.attention) {
    // missing (none yet), overdue (none and the day has come) or late (filed on/after the day)
    base = base.where((eb) => eb.or([eb('a.report_filed_date', 'is', null), eb('a.report_filed_date', '>=', eb.ref('a.date'))]));
  }
  const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .selectAll('a')
    .select('o.name as org_name')
    .orderBy('a.date', q.attention ? 'asc' : 'desc')
    .orderBy('a.id')
    .limit(Math.min(Math.max(q.endRow - q.startRow, 1), 500))
    .offset(q.startRow)
    .execute();
  return {
    total,
    rows: rows.map((a) => {
      const facts = { kindCode: a.kind_code, expectedAttendance: a.expected_attendance, date: a.date, status: a.status as ActivityStatus, reportFiledDate: a.report_filed_date };
      return {
        id: a.id,
        orgId: a.org_id,
        orgName: a.org_name,
        title: a.title,
        seriesCode: a.series_code,
        kindCode: a.kind_code,
        date: a.date,
        place: a.place,
        expectedAttendance: a.expected_attendance,
        actualAttendance: a.actual_attendance,
        volunteerCount: a.volunteer_count,
        peopleServed: parseList(a.people_served),
        status: a.status as ActivityStatus,
        isMajor: a.is_major === 1,
        majorReasons: isMajorActivity(facts, rule, a.kind_code ? kinds.get(a.kind_code) : undefined).reasons,
        reportFiledDate: a.report_filed_date,
        reportNote: a.report_note,
        reportStatus: storedReportStatus(a.is_major === 1, facts, today),
        description: a.description,
      };
    }),
  };
}
