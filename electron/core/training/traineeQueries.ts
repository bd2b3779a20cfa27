import { sql } from 'kysely';
import type { Role } from '@shared/roles';
import type { TraineeListRow } from '@shared/contract/training';
import { traineeTotals } from '@shared/training/stats';
import { lookupKeyPrefixes, parseLookupQuery } from '@shared/training/signinMatch';
import { ATTENDANCE_STATUS_LABELS, formatHours } from '@shared/training/attendance';
import type { Db } from '../db/connection';
import { dictLabels, organizationNames } from './common';
import { workbookBase64, XLSX_MIME } from './xlsx';
import { requireTrainee, toTrainee } from './trainees';

const SORTABLE: Record<string, string> = { name: 't.name_key', role: 't.role', createdAt: 't.created_at', phone: 't.phone' };

/**
 * One page of trainees. The search box takes what the sign-in box takes (pinyin, characters, phone
 * tail) and goes through the same indexed keys, so it stays fast on 100,000 people.
 */
export async function listTrainees(
  db: Db,
  roles: readonly Role[],
  input: { startRow: number; endRow: number; search?: string; role?: string; organizationId?: string; sort?: { colId: string; sort: 'asc' | 'desc' }[] },
): Promise<{ rows: TraineeListRow[]; total: number }> {
  let q = db.selectFrom('training_trainees as t');
  if (input.role) q = q.where('t.role', '=', input.role);
  if (input.organizationId) q = q.where('t.organization_id', '=', input.organizationId);
  if (input.search && input.search.trim()) {
    const query = parseLookupQuery(input.search);
    const prefixes = lookupKeyPrefixes(query);
    if (prefixes.length === 0) return { rows: [], total: 0 };
    q = q.where('t.id', 'in', (eb) =>
      eb
        .selectFrom('training_trainee_keys as k')
        .select('k.trainee_id')
        .where((w) => w.or(prefixes.map((p) => w.and([w('k.key', '>=', p), w('k.key', '<', p + '\uffff')])))),
    );
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  let rq = q.selectAll('t').select([
    sql<number>`(SELECT COUNT(*) FROM training_attendance a WHERE a.trainee_id = t.id AND a.attended = 1)`.as('person_times'),
    sql<number>`(SELECT COALESCE(SUM(a.credited_minutes), 0) FROM training_attendance a WHERE a.trainee_id = t.id AND a.attended = 1)`.as('credited'),
  ]);
  const sorts = (input.sort ?? []).filter((s) => SORTABLE[s.colId]);
  if (sorts.length === 0) rq = rq.orderBy('t.name_key');
  for (const s of sorts) rq = rq.orderBy(sql.ref(SORTABLE[s.colId]), s.sort);
  const rows = await rq.orderBy('t.id').limit(Math.min(500, input.endRow - input.startRow)).offset(input.startRow).execute();
  const orgs = await organizationNames(db, rows.map((r) => r.organization_id));
  return {
    rows: rows.map((r) => ({
      ...toTrainee(r, roles, r.organization_id ? (orgs.get(r.organization_id) ?? null) : null),
      personTimes: Number(r.person_times),
      creditedMinutes: Number(r.credited),
    })),
    total,
  };
}

/** A trainee's record: every session attended or missed, hours, certificates. */
export async function traineeHistory(db: Db, roles: readonly Role[], id: string) {
  const trainee = await requireTrainee(db, id, roles);
  const rows = await db
    .selectFrom('training_attendance as a')
    .innerJoin('training_sessions as s', 's.id', 'a.session_id')
    .leftJoin('training_certificates as c', (j) => j.onRef('c.session_id', '=', 'a.session_id').onRef('c.trainee_id', '=', 'a.trainee_id'))
    .select(['a.session_id', 's.title', 's.date', 's.category', 's.format', 'a.status', 'a.credited_minutes', 'a.completed', 'c.serial', 'a.role', 'a.organization_id'])
    .where('a.trainee_id', '=', id)
    .orderBy('s.date', 'desc')
    .execute();
  const history = rows.map((r) => ({
    sessionId: r.session_id,
    title: r.title,
    date: r.date,
    category: r.category,
    format: r.format,
    status: r.status,
    creditedMinutes: r.credited_minutes,
    completed: r.completed === 1,
    certificateSerial: r.serial,
  }));
  const totals = traineeTotals(
    rows.map((r) => ({
      traineeId: id,
      role: r.role,
      category: r.category,
      format: r.format,
      date: r.date,
      organizationId: r.organization_id,
      status: r.status,
      creditedMinutes: r.credited_minutes,
      completed: r.completed === 1,
    })),
  );
  return { trainee, history, totals };
}

/** One trainee's record as a workbook: who they are, totals, and every session (ID number masked as on screen). */
export async function exportTraineeHistory(db: Db, roles: readonly Role[], id: string) {
  const { trainee, history, totals } = await traineeHistory(db, roles, id);
  const [roleLabels, catLabels, fmtLabels] = await Promise.all([dictLabels(db, 'training_role'), dictLabels(db, 'training_category'), dictLabels(db, 'training_format')]);
  const base64 = await workbookBase64([
    {
      name: '培训档案',
      title: `学员培训档案：${trainee.name}`,
      columns: [{ header: '项目', width: 16 }, { header: '内容', width: 40 }],
      rows: [
        ['姓名', trainee.name],
        ['手机号', trainee.phone],
        ['身份证号', trainee.idNumber],
        ['人员类别', roleLabels.get(trainee.role) ?? trainee.role],
        ['所属组织/单位', trainee.organizationName ?? trainee.unitName],
        ['参训人次', totals.personTimes],
        ['累计学时(小时)', Number(formatHours(totals.creditedMinutes))],
        ['结业场次', totals.completed],
        ['缺勤场次', totals.absences],
      ],
    },
    {
      name: '参训记录',
      columns: [
        { header: '日期', width: 12 },
        { header: '培训主题', width: 36 },
        { header: '培训类别', width: 16 },
        { header: '培训形式', width: 12 },
        { header: '出勤', width: 8 },
        { header: '计入学时(小时)', width: 14 },
        { header: '结业', width: 6 },
        { header: '证书编号', width: 18 },
      ],
      rows: history.map((h) => [
        h.date,
        h.title,
        catLabels.get(h.category) ?? h.category,
        fmtLabels.get(h.format) ?? h.format,
        ATTENDANCE_STATUS_LABELS[h.status],
        Number(formatHours(h.creditedMinutes)),
        h.completed ? '是' : '否',
        h.certificateSerial,
      ]),
    },
  ]);
  return { fileName: `${trainee.name}培训档案.xlsx`, mimeType: XLSX_MIME, base64 };
}
