import { fail, type ErrorIssue } from '@shared/errors';
import type { SigninImportResult } from '@shared/contract/training';
import { creditAttendance } from '@shared/training/attendance';
import { parseSigninSheet, SIGNIN_COLUMN_LABELS, SIGNIN_COLUMNS, type SigninSheetRow } from '@shared/training/signinSheet';
import { encodedNameReadings } from '@shared/training/pinyinKeys';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { readTable } from '../importing/readTable';
import type { TrainingSessionTable } from './tables';
import { attendancePolicy, chinaToday, dictEntries, organizationIdsByName } from './common';
import { writeAttendance } from './attendance';
import { requireOpenSession } from './sessions';
import { duplicateOf, findOrCreateTrainee, type TraineeKeys } from './trainees';
import { workbookBase64, XLSX_MIME } from './xlsx';

const EXPECTED_HEADERS = Object.values(SIGNIN_COLUMNS).flat();

interface Resolved {
  sheet: SigninSheetRow;
  keys: TraineeKeys;
  traineeId: string | null;
  organizationId: string | null;
  replaces: boolean;
  creditedMinutes: number;
}

/**
 * Matches each parsed row to a trainee and checks what the write would refuse, without writing:
 * the preview shows exactly what the import will do. Run again inside the write transaction.
 */
async function resolveRows(ctx: CallContext, db: Db, session: TrainingSessionTable, rows: SigninSheetRow[]): Promise<{ ok: Resolved[]; issues: ErrorIssue[] }> {
  const policy = await attendancePolicy(ctx);
  const issues: ErrorIssue[] = [];
  const ok: Resolved[] = [];
  const orgIds = await organizationIdsByName(db, rows.map((r) => r.organizationName ?? ''));
  const registrants = await db
    .selectFrom('training_registrations as r')
    .innerJoin('training_trainees as t', 't.id', 'r.trainee_id')
    .select(['t.id', 't.name_key'])
    .where('r.session_id', '=', session.id)
    .execute();
  const existingAttendance = new Map(
    (await db.selectFrom('training_attendance').select(['trainee_id', 'attended']).where('session_id', '=', session.id).execute()).map((r) => [r.trainee_id, r.attended]),
  );
  const certified = new Set((await db.selectFrom('training_certificates').select('trainee_id').where('session_id', '=', session.id).execute()).map((r) => r.trainee_id));
  const takenBy = new Map<string, number>();
  let attendedAfter = [...existingAttendance.values()].filter((a) => a === 1).length;
  for (const r of rows) {
    const bad = (path: string, message: string) => issues.push({ row: r.row, path, message });
    const keys: TraineeKeys = { name: r.name, nameKey: r.nameKey, phone: r.phone, phoneDigits: r.phoneDigits, idNumber: r.idNumber, readings: '' };
    let traineeId: string | null = null;
    if (keys.phone || keys.idNumber) {
      const { outcome } = await duplicateOf(db, keys);
      if (outcome.kind === 'conflict') {
        bad(SIGNIN_COLUMN_LABELS.idNumber, outcome.message);
        continue;
      }
      if (outcome.kind === 'same') traineeId = outcome.existing.id;
    } else {
      // Only a name: acceptable when exactly one registrant of this session has it.
      const same = registrants.filter((x) => x.name_key === r.nameKey);
      if (same.length === 1) traineeId = same[0].id;
      else if (same.length > 1) {
        bad(SIGNIN_COLUMN_LABELS.phone, `本场有${same.length}名报名学员叫“${r.name}”，请填写手机号以区分`);
        continue;
      } else {
        bad(SIGNIN_COLUMN_LABELS.phone, `“${r.name}”未报名本场培训，新学员请填写手机号或身份证号`);
        continue;
      }
    }
    if (!traineeId && !r.roleCode) {
      bad(SIGNIN_COLUMN_LABELS.role, `“${r.name}”是新学员，请填写人员类别`);
      continue;
    }
    if (traineeId) {
      const first = takenBy.get(traineeId);
      if (first !== undefined) {
        bad(SIGNIN_COLUMN_LABELS.name, `与第${first}行是同一名学员，同一场培训只能签到一次`);
        continue;
      }
      takenBy.set(traineeId, r.row);
    }
    const credit = creditAttendance(r, session.minutes, policy);
    if (traineeId && certified.has(traineeId) && !credit.completed) {
      bad(SIGNIN_COLUMN_LABELS.status, '该学员已获结业证书，不能改为未结业的出勤情况');
      continue;
    }
    const wasAttended = traineeId ? existingAttendance.get(traineeId) === 1 : false;
    const willAttend = r.status === 'present' || r.status === 'late';
    if (willAttend && !wasAttended) {
      if (session.capacity != null && attendedAfter + 1 > session.capacity) {
        bad(SIGNIN_COLUMN_LABELS.status, `超过本场培训容量${session.capacity}人`);
        continue;
      }
      attendedAfter++;
    } else if (!willAttend && wasAttended) attendedAfter--;
    const orgName = r.organizationName;
    ok.push({
      sheet: r,
      keys: { ...keys, readings: encodedNameReadings(r.name) },
      traineeId,
      organizationId: orgName ? (orgIds.get(orgName) ?? null) : null,
      replaces: traineeId ? existingAttendance.has(traineeId) : false,
      creditedMinutes: credit.creditedMinutes,
    });
  }
  return { ok, issues };
}

/**
 * Imports a sign-in sheet for one session. `preview` writes nothing; `all` writes only when every row
 * is good; `validOnly` writes the good rows and reports the others. Everything in one transaction;
 * importing the same sheet again updates the same attendance rows (one per person and session).
 */
export async function importSigninSheet(
  ctx: CallContext,
  input: { sessionId: string; file: { name: string; base64: string }; mode: 'preview' | 'all' | 'validOnly' },
): Promise<SigninImportResult> {
  const session = await requireOpenSession(ctx.db, input.sessionId);
  if (session.date > chinaToday(ctx.now())) throw fail.rule(`培训日期是${session.date}，还不能导入签到表`);
  const table = await readTable({ buffer: Buffer.from(input.file.base64, 'base64'), fileName: input.file.name }, { expectedHeaders: EXPECTED_HEADERS, minHeaderMatches: 1 });
  const policy = await attendancePolicy(ctx);
  const roles = await dictEntries(ctx.db, 'training_role');
  const parsed = parseSigninSheet(table.headers, table.rows, {
    sessionMinutes: session.minutes,
    startClock: session.start_time,
    policy,
    roles: roles.filter((r) => r.active),
    today: chinaToday(ctx.now()),
    headerRowNumber: table.headerRowNumber,
  });
  const summarize = (ok: Resolved[], issues: ErrorIssue[], created: number, recorded: number, committed: boolean): SigninImportResult => ({
    dataRows: parsed.dataRows,
    rows: ok.map((r) => ({
      row: r.sheet.row,
      name: r.sheet.name,
      phone: r.sheet.phone,
      action: r.traineeId ? 'existing' : 'new',
      traineeId: r.traineeId,
      status: r.sheet.status,
      lateMinutes: r.sheet.lateMinutes,
      earlyLeaveMinutes: r.sheet.earlyLeaveMinutes,
      creditedMinutes: r.creditedMinutes,
      replaces: r.replaces,
      remark: r.sheet.remark,
    })),
    issues: [...parsed.issues, ...issues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
    created,
    recorded,
    committed,
  });
  if (input.mode === 'preview') {
    const { ok, issues } = await resolveRows(ctx, ctx.db, session, parsed.rows);
    return summarize(ok, issues, 0, 0, false);
  }
  return ctx.write(async (trx) => {
    const fresh = await requireOpenSession(trx, input.sessionId);
    const { ok, issues } = await resolveRows(ctx, trx, fresh, parsed.rows);
    const all = [...parsed.issues, ...issues];
    if (input.mode === 'all' && all.length) {
      throw fail.validation(`签到表有${all.length}处错误，未导入任何数据`, all);
    }
    if (ok.length === 0) throw fail.validation('签到表中没有可导入的行', all);
    let created = 0;
    for (const r of ok) {
      let id = r.traineeId;
      if (!id) {
        const c = await findOrCreateTrainee(ctx, trx, { keys: r.keys, role: r.sheet.roleCode, organizationId: r.organizationId, unitName: r.organizationId ? null : r.sheet.organizationName });
        id = c.id;
        if (c.created) created++;
      }
      await writeAttendance(ctx, trx as Trx, fresh, id, {
        status: r.sheet.status,
        lateMinutes: r.sheet.lateMinutes,
        earlyLeaveMinutes: r.sheet.earlyLeaveMinutes,
        remark: r.sheet.remark,
        source: 'import',
        signedInAt: null,
      });
    }
    await ctx.audit(trx, {
      entity: 'training_session',
      entityId: fresh.id,
      summary: `「${fresh.title}」导入签到表「${input.file.name}」：${ok.length}行，新增学员${created}人${all.length ? `，跳过${all.length}处错误` : ''}`,
    });
    return summarize(ok, issues, created, ok.length, true);
  });
}

/** A sign-in sheet template for one session, with its registrants pre-filled. */
export async function signinTemplate(db: Db, sessionId: string) {
  const s = await db.selectFrom('training_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!s) throw fail.notFound('培训场次');
  const people = await db
    .selectFrom('training_registrations as r')
    .innerJoin('training_trainees as t', 't.id', 'r.trainee_id')
    .select(['t.name', 't.phone', 't.unit_name'])
    .where('r.session_id', '=', sessionId)
    .orderBy('t.name_key')
    .execute();
  const base64 = await workbookBase64([
    {
      name: '签到表',
      title: `${s.title}（${s.date} ${s.start_time ?? ''}）签到表`,
      columns: [
        { header: '姓名', width: 12 },
        { header: '手机号', width: 16 },
        { header: '身份证号', width: 22 },
        { header: '人员类别', width: 20 },
        { header: '所属组织', width: 26 },
        { header: '签到时间', width: 10 },
        { header: '状态', width: 8 },
        { header: '早退分钟', width: 10 },
        { header: '备注', width: 20 },
      ],
      rows: people.map((p) => [p.name, p.phone, null, null, p.unit_name, null, null, null, null]),
    },
  ]);
  return { fileName: `签到表-${s.title}-${s.date}.xlsx`, mimeType: XLSX_MIME, base64 };
}
