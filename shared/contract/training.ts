import { z } from 'zod';
import { ADMIN_ONLY, ANY_ROLE, STAFF_WRITE } from '../roles';
import { defineCall, zDate, zFileDownload, zFileUpload, zId, zOk, zPage, zSortModel, UPLOAD_MAX_BODY_BYTES, zVersion, type Contract } from './define';
import { ATTENDANCE_STATUSES } from '../training/attendance';
import { EXAM_LEVELS } from '../training/exam';
import { TRAINEE_TEXT_RULES } from '../training/text';
import { zTableImportCommitInput, zTableImportInput, zTableImportResult } from '../importing/contract';

const zYear = z.number().int().min(2000, '年份不正确').max(2100, '年份不正确');
const zClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const zCode = z.string().trim().min(1).max(32);
const zStatus = z.enum(ATTENDANCE_STATUSES);
const zText = (max: number) => z.string().trim().max(max);
const zOptText = (max: number) => z.string().trim().max(max).nullable().optional();

export const zPlanTarget = z.object({
  dimension: z.enum(['role', 'category']),
  code: zCode,
  personTimes: z.number().int().min(0, '目标人次不能为负').max(10_000_000),
});
export const zPlan = z.object({
  id: zId,
  year: z.number().int(),
  title: z.string(),
  targetTotal: z.number().int(),
  note: z.string().nullable(),
  targets: z.array(zPlanTarget),
  updatedAt: z.string(),
});
export type TrainingPlan = z.infer<typeof zPlan>;

export const zSessionInput = z.object({
  id: zId.optional(),
  /** With `id`: the version the session was read at (a stale one is refused). */
  version: zVersion.optional(),
  title: zText(100).min(1, '请填写培训主题'),
  category: zCode,
  format: zCode,
  date: zDate,
  startTime: zClock,
  minutes: z.number().int('时长必须是整分钟').min(1, '时长应大于0').max(1440, '时长不超过24小时'),
  trainer: zText(60).min(1, '请填写授课人'),
  capacity: z.number().int().min(1, '容量应大于0').max(100_000).nullable(),
  venueId: zId.nullable(),
  /** 承办组织: the venue is booked in its name; required with a venue. */
  organizerId: zId.nullable().optional(),
  location: zOptText(200),
  note: zOptText(500),
});
export type SessionInput = z.input<typeof zSessionInput>;

export const zSession = z.object({
  id: zId,
  title: z.string(),
  category: z.string(),
  format: z.string(),
  date: z.string(),
  startTime: z.string().nullable(),
  minutes: z.number().int(),
  trainer: z.string(),
  capacity: z.number().int().nullable(),
  venueId: z.string().nullable(),
  venueName: z.string().nullable(),
  bookingId: z.string().nullable(),
  bookingState: z.string().nullable(),
  organizerId: z.string().nullable(),
  organizerName: z.string().nullable(),
  location: z.string().nullable(),
  status: z.enum(['planned', 'cancelled']),
  note: z.string().nullable(),
  registered: z.number().int(),
  attended: z.number().int(),
  certificates: z.number().int(),
  version: z.number().int(),
});
export type TrainingSession = z.infer<typeof zSession>;

export const zTraineeInput = z.object({
  id: zId.optional(),
  /** With `id`: the version the trainee was read at (a stale one is refused). */
  version: zVersion.optional(),
  name: zText(40).min(1, '请填写姓名'),
  phone: zOptText(40),
  idNumber: zOptText(30),
  role: zCode,
  organizationId: zId.nullable().optional(),
  unitName: z.string().overwrite(TRAINEE_TEXT_RULES.unitName).max(100).nullable().optional(),
  note: z.string().overwrite(TRAINEE_TEXT_RULES.note).max(500).nullable().optional(),
});
export type TraineeInput = z.input<typeof zTraineeInput>;

export const zTrainee = z.object({
  id: zId,
  name: z.string(),
  phone: z.string().nullable(),
  /** Always masked (admins too); the whole number only through `training.trainees.revealIdNumber`. */
  idNumber: z.string().nullable(),
  idNumberMasked: z.boolean(),
  role: z.string(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  unitName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Trainee = z.infer<typeof zTrainee>;

const zTraineeListRow = zTrainee.extend({ personTimes: z.number().int(), creditedMinutes: z.number().int() });
export type TraineeListRow = z.infer<typeof zTraineeListRow>;

const zDuplicate = z.object({
  kind: z.enum(['same', 'conflict']),
  by: z.enum(['id_number', 'name_phone']).nullable(),
  message: z.string(),
  existing: zTrainee,
});
export type TraineeDuplicate = z.infer<typeof zDuplicate>;

export const zAttendanceRow = z.object({
  traineeId: zId,
  name: z.string(),
  phone: z.string().nullable(),
  role: z.string(),
  organizationName: z.string().nullable(),
  registered: z.boolean(),
  status: zStatus.nullable(),
  lateMinutes: z.number().int(),
  earlyLeaveMinutes: z.number().int(),
  creditedMinutes: z.number().int(),
  completed: z.boolean(),
  remark: z.string().nullable(),
  source: z.string().nullable(),
  signedInAt: z.string().nullable(),
  certificateSerial: z.string().nullable(),
});
export type AttendanceRow = z.infer<typeof zAttendanceRow>;

const zLookupCandidate = z.object({
  id: zId,
  name: z.string(),
  phoneTail: z.string().nullable(),
  role: z.string(),
  organizationName: z.string().nullable(),
  registered: z.boolean(),
  signedIn: z.boolean(),
  score: z.number(),
  matchedBy: z.string(),
});
export type LookupCandidate = z.infer<typeof zLookupCandidate>;

const zStatCell = z.object({ key: z.string(), label: z.string(), personTimes: z.number().int(), persons: z.number().int(), creditedMinutes: z.number().int() });
export type StatCellRow = z.infer<typeof zStatCell>;
const zPlanRow = z.object({
  dimension: z.enum(['total', 'role', 'category']),
  key: z.string(),
  label: z.string(),
  target: z.number().int(),
  actual: z.number().int(),
  remaining: z.number().int(),
  ratePermille: z.number().int().nullable(),
  achieved: z.boolean(),
});
export type PlanRow = z.infer<typeof zPlanRow>;

const zImportPreviewRow = z.object({
  row: z.number().int(),
  name: z.string(),
  phone: z.string().nullable(),
  action: z.enum(['existing', 'new']),
  traineeId: z.string().nullable(),
  status: zStatus,
  lateMinutes: z.number().int(),
  earlyLeaveMinutes: z.number().int(),
  creditedMinutes: z.number().int(),
  replaces: z.boolean(),
  remark: z.string().nullable(),
});
const zIssue = z.object({ row: z.number().int().optional(), path: z.string().optional(), message: z.string() });
const zImportResult = z.object({
  dataRows: z.number().int(),
  rows: z.array(zImportPreviewRow),
  issues: z.array(zIssue),
  created: z.number().int(),
  recorded: z.number().int(),
  committed: z.boolean(),
});
export type SigninImportResult = z.infer<typeof zImportResult>;

const zCertificate = z.object({
  serial: z.string(),
  sessionId: zId,
  sessionTitle: z.string(),
  sessionDate: z.string(),
  traineeId: zId,
  traineeName: z.string(),
  creditedMinutes: z.number().int(),
  issuedAt: z.string(),
});
export type Certificate = z.infer<typeof zCertificate>;

const zExamScore = z.object({ subject: z.string(), score: z.number().int().min(0).max(1000).nullable() });
const zExamCandidate = z.object({
  id: zId,
  traineeId: zId,
  traineeName: z.string(),
  role: z.string(),
  organizationName: z.string().nullable(),
  year: z.number().int(),
  level: z.enum(EXAM_LEVELS),
  note: z.string().nullable(),
  scores: z.array(zExamScore),
  passed: z.boolean(),
  passedYear: z.number().int().nullable(),
  missing: z.array(z.string()),
});
export type ExamCandidate = z.infer<typeof zExamCandidate>;

const zSessionFilter = z.object({
  year: zYear,
  search: zText(60).optional(),
  category: zCode.optional(),
  sort: zSortModel.optional(),
});

const zOption = z.object({ id: zId, name: z.string() });

export const trainingContract = {
  'training.options': defineCall({
    title: '培训选项',
    access: ANY_ROLE,
    write: false,
    input: z.object({}),
    output: z.object({
      venues: z.array(zOption.extend({ capacity: z.number().int().nullable() })),
      organizations: z.array(zOption),
      completionPercent: z.number().int(),
      lateGraceMinutes: z.number().int(),
    }),
  }),
  'training.plan.get': defineCall({ title: '读取培训计划', access: ANY_ROLE, write: false, input: z.object({ year: zYear }), output: zPlan.nullable() }),
  'training.plan.save': defineCall({
    title: '保存培训计划',
    access: STAFF_WRITE,
    write: true,
    input: z.object({
      year: zYear,
      title: zText(100).min(1, '请填写计划名称'),
      targetTotal: z.number().int().min(0, '目标人次不能为负').max(10_000_000),
      note: zOptText(500),
      targets: z.array(zPlanTarget).max(100),
    }),
    output: zPlan,
  }),
  'training.sessions.list': defineCall({
    title: '培训场次列表',
    access: ANY_ROLE,
    write: false,
    input: zPage.extend(zSessionFilter.shape),
    output: z.object({ rows: z.array(zSession), total: z.number().int() }),
  }),
  'training.sessions.get': defineCall({ title: '读取培训场次', access: ANY_ROLE, write: false, input: z.object({ id: zId }), output: zSession }),
  'training.sessions.save': defineCall({ title: '保存培训场次', access: STAFF_WRITE, write: true, input: zSessionInput, output: zSession }),
  'training.sessions.cancel': defineCall({
    title: '取消培训场次',
    irreversible: { question: '确定取消这个培训场次？', effect: '取消后场次不能再签到或颁发证书，为它预约的场地一并取消；取消不能撤销。', okText: '确认取消' },
    access: STAFF_WRITE,
    write: true,
    input: z.object({ id: zId, reason: zText(200).min(1, '请填写取消原因') }),
    output: zSession,
  }),
  'training.trainees.list': defineCall({
    title: '学员列表',
    access: ANY_ROLE,
    write: false,
    input: zPage.extend({ search: zText(60).optional(), role: zCode.optional(), organizationId: zId.optional(), sort: zSortModel.optional() }),
    output: z.object({ rows: z.array(zTraineeListRow), total: z.number().int() }),
  }),
  'training.trainees.get': defineCall({
    title: '学员培训档案',
    access: ANY_ROLE,
    write: false,
    input: z.object({ id: zId }),
    output: z.object({
      trainee: zTrainee,
      history: z.array(
        z.object({
          sessionId: zId,
          title: z.string(),
          date: z.string(),
          category: z.string(),
          format: z.string(),
          status: zStatus,
          creditedMinutes: z.number().int(),
          completed: z.boolean(),
          certificateSerial: z.string().nullable(),
        }),
      ),
      totals: z.object({ personTimes: z.number().int(), creditedMinutes: z.number().int(), completed: z.number().int(), absences: z.number().int() }),
    }),
  }),
  'training.trainees.revealIdNumber': defineCall({
    title: '查看完整身份证号',
    access: ADMIN_ONLY,
    write: true,
    input: z.object({ id: zId }),
    output: z.object({ idNumber: z.string().nullable() }),
  }),
  'training.trainees.export': defineCall({ title: '导出学员培训档案', access: ANY_ROLE, write: false, input: z.object({ id: zId }), output: zFileDownload }),
  'training.trainees.checkDuplicate': defineCall({
    title: '查找重复学员',
    access: ANY_ROLE,
    write: false,
    input: zTraineeInput,
    output: zDuplicate.nullable(),
  }),
  'training.trainees.save': defineCall({ title: '保存学员', access: STAFF_WRITE, write: true, input: zTraineeInput, output: zTrainee }),
  'training.trainees.import.preview': defineCall({
    title: '预览学员花名册导入',
    access: STAFF_WRITE,
    write: false,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportInput,
    output: zTableImportResult,
  }),
  'training.trainees.import.commit': defineCall({
    title: '导入学员花名册',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportCommitInput,
    output: zTableImportResult,
  }),
  'training.trainees.import.template': defineCall({ title: '下载学员花名册模板', access: ANY_ROLE, write: false, input: z.object({}), output: zFileDownload }),
  /** The whole roster in the import template's shape with full ID numbers: an administrator's call, audited. */
  'training.trainees.exportRoster': defineCall({ title: '导出学员花名册(含完整身份证号)', access: ADMIN_ONLY, write: true, input: z.object({}), output: zFileDownload }),
  'training.registrations.add': defineCall({
    title: '报名培训',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ sessionId: zId, traineeIds: z.array(zId).min(1).max(5000) }),
    output: z.object({ added: z.number().int() }),
  }),
  'training.registrations.remove': defineCall({
    title: '取消报名',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ sessionId: zId, traineeId: zId }),
    output: zOk,
  }),
  'training.attendance.list': defineCall({
    title: '签到名单',
    access: ANY_ROLE,
    write: false,
    input: z.object({ sessionId: zId }),
    output: z.array(zAttendanceRow),
  }),
  'training.signin.lookup': defineCall({
    title: '签到查找',
    access: STAFF_WRITE,
    write: false,
    input: z.object({ sessionId: zId, query: z.string().max(40) }),
    output: z.object({ candidates: z.array(zLookupCandidate), pick: zId.nullable(), message: z.string().nullable() }),
  }),
  'training.signin.record': defineCall({
    title: '签到',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ sessionId: zId, traineeId: zId, clock: zClock.optional() }),
    output: zAttendanceRow,
  }),
  'training.signin.addPerson': defineCall({
    title: '现场登记并签到',
    access: STAFF_WRITE,
    write: true,
    input: zTraineeInput.omit({ id: true }).extend({ sessionId: zId, clock: zClock.optional() }),
    output: z.object({ row: zAttendanceRow, existing: z.boolean(), message: z.string().nullable() }),
  }),
  'training.attendance.set': defineCall({
    title: '修改出勤',
    access: STAFF_WRITE,
    write: true,
    input: z.object({
      sessionId: zId,
      traineeId: zId,
      status: zStatus,
      lateMinutes: z.number().int().min(0).max(1440),
      earlyLeaveMinutes: z.number().int().min(0).max(1440),
      remark: zOptText(200),
    }),
    output: zAttendanceRow,
  }),
  'training.attendance.markAbsent': defineCall({
    title: '未签到者记为缺勤',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ sessionId: zId }),
    output: z.object({ marked: z.number().int() }),
  }),
  'training.signin.import': defineCall({
    title: '导入签到表',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: z.object({ sessionId: zId, file: zFileUpload, mode: z.enum(['preview', 'all', 'validOnly']) }),
    output: zImportResult,
  }),
  'training.signin.template': defineCall({ title: '下载签到表模板', access: ANY_ROLE, write: false, input: z.object({ sessionId: zId }), output: zFileDownload }),
  'training.certificates.issue': defineCall({
    title: '颁发结业证书',
    irreversible: { question: '确定颁发结业证书？', effect: '为结业学员生成唯一编号的结业证书；证书编号一经颁发不能收回或重编，相关出勤记录不能再改为未结业。', okText: '颁发' },
    access: STAFF_WRITE,
    write: true,
    input: z.object({ sessionId: zId }),
    output: z.object({ issued: z.array(zCertificate), skipped: z.number().int() }),
  }),
  'training.certificates.list': defineCall({
    title: '结业证书列表',
    access: ANY_ROLE,
    write: false,
    input: z.object({ sessionId: zId.optional(), traineeId: zId.optional() }),
    output: z.array(zCertificate),
  }),
  'training.certificates.print': defineCall({
    title: '打印结业证书',
    access: ANY_ROLE,
    write: false,
    input: z.object({ serials: z.array(z.string().max(20)).min(1).max(500) }),
    output: z.object({ html: z.string(), fileName: z.string() }),
  }),
  'training.stats': defineCall({
    title: '培训人次统计',
    access: ANY_ROLE,
    write: false,
    input: z.object({ year: zYear }),
    output: z.object({
      year: z.number().int(),
      total: z.object({ personTimes: z.number().int(), persons: z.number().int(), creditedMinutes: z.number().int(), sessions: z.number().int() }),
      plan: z.array(zPlanRow),
      expectedToDate: z.number().int().nullable(),
      byRole: z.array(zStatCell),
      byCategory: z.array(zStatCell),
      byFormat: z.array(zStatCell),
      byMonth: z.array(zStatCell),
      byOrganization: z.array(zStatCell),
    }),
  }),
  'training.stats.export': defineCall({ title: '导出培训统计', access: ANY_ROLE, write: false, input: z.object({ year: zYear }), output: zFileDownload }),
  'training.exam.list': defineCall({ title: '社工考试考生', access: ANY_ROLE, write: false, input: z.object({ year: zYear }), output: z.array(zExamCandidate) }),
  'training.exam.saveCandidate': defineCall({
    title: '保存社工考试考生',
    access: STAFF_WRITE,
    write: true,
    input: z.object({
      id: zId.optional(),
      traineeId: zId,
      year: zYear,
      level: z.enum(EXAM_LEVELS),
      note: zOptText(200),
      scores: z.array(zExamScore).max(10),
    }),
    output: zExamCandidate,
  }),
  'training.exam.export': defineCall({ title: '导出社工考试名单', access: ANY_ROLE, write: false, input: z.object({ year: zYear }), output: zFileDownload }),
} satisfies Contract;
