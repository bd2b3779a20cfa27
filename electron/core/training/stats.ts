import { sql } from 'kysely';
import type { PlanRow, StatCellRow } from '@shared/contract/training';
import { formatHours } from '@shared/training/attendance';
import { compareWithPlan, expectedByDate, fillMonths, formatPermille, STAT_DIMENSION_LABELS, type StatCell } from '@shared/training/stats';
import type { Db } from '../db/connection';
import { dictLabels, organizationNames } from './common';
import { getPlan } from './plans';
import { workbookBase64, XLSX_MIME, type SheetSpec } from './xlsx';

type Dim = 'role' | 'category' | 'format' | 'month' | 'organization';

/**
 * Person-times of one dimension for a year, from the cells the attendance triggers keep
 * (migration 0009_training_stat_cells): a few dozen rows whatever the number of attendances.
 */
export async function statCells(db: Db, year: number, dim: Dim): Promise<StatCell[]> {
  const rows = await db
    .selectFrom('training_stat_cells')
    .select(['key', 'person_times', 'persons', 'minutes'])
    .where('year', '=', year)
    .where('dim', '=', dim)
    .orderBy('key')
    .execute();
  return rows.map((x) => ({ key: x.key, personTimes: x.person_times, persons: x.persons, creditedMinutes: x.minutes }));
}

export async function statTotal(db: Db, year: number) {
  const x = await db.selectFrom('training_stat_cells').select(['person_times', 'persons', 'minutes']).where('year', '=', year).where('dim', '=', 'total').where('key', '=', '').executeTakeFirst();
  const s = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM training_sessions
    WHERE status <> 'cancelled' AND date BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`}`.execute(db);
  return { personTimes: x?.person_times ?? 0, persons: x?.persons ?? 0, creditedMinutes: x?.minutes ?? 0, sessions: Number(s.rows[0]?.n ?? 0) };
}

const ORG_LIMIT = 30;

export async function trainingStats(db: Db, year: number, today: string, opts: { allOrganizations?: boolean } = {}) {
  const [total, role, category, format, month, org, plan, roleLabels, catLabels, fmtLabels] = await Promise.all([
    statTotal(db, year),
    statCells(db, year, 'role'),
    statCells(db, year, 'category'),
    statCells(db, year, 'format'),
    statCells(db, year, 'month'),
    statCells(db, year, 'organization'),
    getPlan(db, year),
    dictLabels(db, 'training_role'),
    dictLabels(db, 'training_category'),
    dictLabels(db, 'training_format'),
  ]);
  const labelled = (cells: StatCell[], labels: Map<string, string>): StatCellRow[] => cells.map((c) => ({ ...c, label: labels.get(c.key) ?? c.key }));
  const orgSorted = [...org].sort((a, b) => b.personTimes - a.personTimes || (a.key < b.key ? -1 : 1));
  const orgShown = opts.allOrganizations ? orgSorted : orgSorted.slice(0, ORG_LIMIT);
  const orgNames = await organizationNames(db, orgShown.map((c) => c.key));
  const planRows: PlanRow[] = plan
    ? compareWithPlan([{ dimension: 'total', key: '', personTimes: plan.targetTotal }, ...plan.targets.map((t) => ({ ...t, key: t.code }))], { total: total.personTimes, role, category }).map((c) => ({
        ...c,
        label: c.dimension === 'total' ? '全年合计' : ((c.dimension === 'role' ? roleLabels : catLabels).get(c.key) ?? c.key),
      }))
    : [];
  return {
    year,
    total,
    plan: planRows,
    expectedToDate: plan ? expectedByDate(plan.targetTotal, year, today) : null,
    byRole: labelled(role, roleLabels),
    byCategory: labelled(category, catLabels),
    byFormat: labelled(format, fmtLabels),
    byMonth: fillMonths(year, month).map((c) => ({ ...c, label: `${Number(c.key.slice(5))}月` })),
    byOrganization: orgShown.map((c) => ({ ...c, label: c.key ? (orgNames.get(c.key) ?? '（未知组织）') : '（未关联组织）' })),
  };
}

/** The statistics workbook: plan, each dimension, and every trainee's person-times and hours of the year. */
export async function exportStats(db: Db, year: number, today: string) {
  const s = await trainingStats(db, year, today, { allOrganizations: true });
  const cellSheet = (name: keyof typeof STAT_DIMENSION_LABELS, rows: StatCellRow[]): SheetSpec => ({
    name: `按${STAT_DIMENSION_LABELS[name]}`,
    title: `${year}年培训人次（按${STAT_DIMENSION_LABELS[name]}）`,
    columns: [{ header: STAT_DIMENSION_LABELS[name], width: 28 }, { header: '人次' }, { header: '人数' }, { header: '学时(小时)' }],
    rows: rows.map((c) => [c.label, c.personTimes, c.persons, Number(formatHours(c.creditedMinutes))]),
  });
  const people = await sql<{ name: string; phone: string | null; role: string; organization_id: string | null; unit_name: string | null; person_times: number; minutes: number; completed: number }>`
    SELECT t.name, t.phone, t.role, t.organization_id, t.unit_name, COUNT(*) AS person_times, SUM(a.credited_minutes) AS minutes, SUM(a.completed) AS completed
    FROM training_attendance a JOIN training_trainees t ON t.id = a.trainee_id
    WHERE a.attended = 1 AND a.session_date BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`}
    GROUP BY t.id ORDER BY t.name_key, t.id`.execute(db);
  const roleLabels = await dictLabels(db, 'training_role');
  const orgs = await organizationNames(db, people.rows.map((p) => p.organization_id));
  const sheets: SheetSpec[] = [
    {
      name: '计划完成情况',
      title: `${year}年培训计划完成情况（截至${today}）`,
      columns: [{ header: '项目', width: 24 }, { header: '目标人次' }, { header: '实际人次' }, { header: '尚差人次' }, { header: '完成率' }],
      rows: s.plan.length
        ? s.plan.map((p) => [p.label, p.target, p.actual, p.remaining, formatPermille(p.ratePermille)])
        : [['（本年度未制定培训计划）', null, s.total.personTimes, null, null]],
    },
    cellSheet('role', s.byRole),
    cellSheet('category', s.byCategory),
    cellSheet('format', s.byFormat),
    cellSheet('month', s.byMonth),
    cellSheet('organization', s.byOrganization),
    {
      name: '学员学时',
      title: `${year}年学员参训人次与学时`,
      columns: [{ header: '姓名' }, { header: '手机号', width: 16 }, { header: '人员类别', width: 20 }, { header: '所属组织/单位', width: 30 }, { header: '参训人次' }, { header: '学时(小时)' }, { header: '结业场次' }],
      rows: people.rows.map((p) => [
        p.name,
        p.phone,
        roleLabels.get(p.role) ?? p.role,
        (p.organization_id ? orgs.get(p.organization_id) : null) ?? p.unit_name ?? '',
        Number(p.person_times),
        Number(formatHours(Number(p.minutes))),
        Number(p.completed),
      ]),
    },
  ];
  return { fileName: `${year}年培训统计.xlsx`, mimeType: XLSX_MIME, base64: await workbookBase64(sheets) };
}
