import { z } from 'zod';
import {
  defineCall,
  zDate,
  zFileDownload,
  zFileUpload,
  zId,
  zOk,
  UPLOAD_MAX_BODY_BYTES,
  type Contract,
  zVersion,
} from './define';
import { zTableImportCommitInput, zTableImportInput, zTableImportResult } from '../importing/contract';
import { ANY_ROLE, STAFF_WRITE, type Role } from '../roles';
import { zOrganizationInput } from '../organizations/model';
import { ACTIVITY_TEXT_RULES } from '../organizations/activityText';
import { INCUBATION_MODES, INCUBATION_STAGES } from '../organizations/incubation';
import { ACTIVITY_STATUSES } from '../organizations/activity';
import { EVALUATION_PARTS } from '../organizations/evaluation';
import { ORG_GROUP_BY, zOrgFilterModel, zOrgListInput, zOrgQuery, zOrgQuickFilters, zOrgSortModel } from '../organizations/list';
import { ORG_COLUMNS } from '../organizations/columns';
import { IMPORT_MAX_COLUMNS, TABLE_FORMATS } from '../importing/limits';
import { zImportLabelMap, zImportUnknownLabel, zImportVocabulary } from '../importing/contract';

const zStage = z.enum(INCUBATION_STAGES);
const nullableString = z.string().nullable();

/** One row of the organization list. */
export const zOrgListRow = z.object({
  id: zId,
  name: z.string(),
  shortName: nullableString,
  creditCode: nullableString,
  creditCodeConfirmed: z.boolean(),
  mgmtClass: z.string(),
  registeredKind: nullableString,
  street: nullableString,
  community: nullableString,
  areaType: nullableString,
  fieldCode: nullableString,
  leaderName: nullableString,
  leaderPhone: nullableString,
  memberCount: z.number().nullable(),
  volunteerCount: z.number().nullable(),
  foundedDate: nullableString,
  partyOrgForm: z.string(),
  marks: z.array(z.string()),
  incubationStage: zStage.nullable(),
  incubationDate: nullableString,
  status: z.string(),
  activityCount: z.number(),
  lastActivityDate: nullableString,
  latestGrade: nullableString,
  updatedAt: z.string(),
  /** Past the incubation term (computed with today's date and the hub setting). */
  overdue: z.boolean(),
});
export type OrgListRow = z.infer<typeof zOrgListRow>;

export const zIncubationEvent = z.object({
  id: zId,
  fromStage: zStage.nullable(),
  toStage: zStage,
  date: z.string(),
  decidedBy: z.string(),
  reason: z.string(),
  mode: nullableString,
  space: nullableString,
  mentor: nullableString,
  agreementStart: nullableString,
  agreementEnd: nullableString,
  recordedBy: nullableString,
  recordedAt: z.string(),
});
export type IncubationEvent = z.infer<typeof zIncubationEvent>;

/** The full record for the detail page and the edit form. */
export const zOrgDetail = z.object({
  id: zId,
  version: z.number(),
  input: zOrganizationInput,
  creditCodeConfirmedBy: nullableString,
  creditCodeConfirmedAt: nullableString,
  /** Problems of the stored code (warnings, or the failed check of a confirmed pilot code). */
  creditCodeNotes: z.array(z.string()),
  incubationStage: zStage.nullable(),
  incubationDate: nullableString,
  incubationMode: nullableString,
  admittedDate: nullableString,
  mentor: nullableString,
  agreementEnd: nullableString,
  term: z.object({ dueDate: nullableString, overdue: z.boolean(), daysOverdue: z.number(), daysLeft: z.number() }),
  status: z.string(),
  withdrawnDate: nullableString,
  withdrawnReason: nullableString,
  filingWarnings: z.array(z.string()),
  history: z.array(zIncubationEvent),
  activityCount: z.number(),
  lastActivityDate: nullableString,
  latestGrade: nullableString,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrgDetail = z.infer<typeof zOrgDetail>;

export const zTransitionInput = z.object({
  orgId: zId,
  to: zStage,
  date: zDate,
  decidedBy: z.string().trim().max(40),
  reason: z.string().trim().max(500),
  mode: z.enum(INCUBATION_MODES).nullable().optional(),
  space: z.string().trim().max(60).nullable().optional(),
  mentor: z.string().trim().max(40).nullable().optional(),
  agreementStart: zDate.nullable().optional(),
  agreementEnd: zDate.nullable().optional(),
});

export const zActivityInput = z.object({
  orgId: zId,
  title: z.string().overwrite(ACTIVITY_TEXT_RULES.title).min(1, '请填写活动名称').max(100),
  seriesCode: z.string().min(1, '请选择活动品牌系列').max(20),
  kindCode: z.string().max(20).nullable().optional(),
  date: zDate,
  place: z.string().overwrite(ACTIVITY_TEXT_RULES.place).max(100).nullable().optional(),
  expectedAttendance: z.number().int().min(0).max(1_000_000).nullable().optional(),
  actualAttendance: z.number().int().min(0).max(1_000_000).nullable().optional(),
  volunteerCount: z.number().int().min(0).max(1_000_000).nullable().optional(),
  peopleServed: z.array(z.string().max(20)).max(20).default([]),
  description: z.string().overwrite(ACTIVITY_TEXT_RULES.description).max(2000).nullable().optional(),
});

export const zActivityRow = z.object({
  id: zId,
  orgId: zId,
  orgName: z.string(),
  title: z.string(),
  seriesCode: z.string(),
  kindCode: nullableString,
  date: z.string(),
  place: nullableString,
  expectedAttendance: z.number().nullable(),
  actualAttendance: z.number().nullable(),
  volunteerCount: z.number().nullable(),
  peopleServed: z.array(z.string()),
  status: z.enum(ACTIVITY_STATUSES),
  isMajor: z.boolean(),
  majorReasons: z.array(z.string()),
  reportFiledDate: nullableString,
  reportNote: nullableString,
  reportStatus: z.enum(['not_required', 'filed', 'filed_late', 'missing', 'overdue']),
  description: nullableString,
});
export type ActivityRow = z.infer<typeof zActivityRow>;

const zScores = z.object(Object.fromEntries(EVALUATION_PARTS.map((p) => [p, z.number()])) as Record<(typeof EVALUATION_PARTS)[number], z.ZodNumber>);

export const zEvaluationRow = z.object({
  id: zId,
  orgId: zId,
  year: z.number(),
  scores: zScores,
  total: z.number(),
  grade: z.string(),
  evaluator: nullableString,
  remark: nullableString,
  updatedAt: z.string(),
});
export type EvaluationRow = z.infer<typeof zEvaluationRow>;

export const zReportRow = z.object({
  id: zId,
  orgId: zId,
  kind: z.enum(['work_report', 'disclosure']),
  date: z.string(),
  title: z.string(),
  content: nullableString,
  recipient: nullableString,
  createdBy: nullableString,
  createdAt: z.string(),
});
export type ReportRow = z.infer<typeof zReportRow>;

export const zAttachmentRow = z.object({
  id: zId,
  orgId: zId,
  sha256: z.string(),
  fileName: z.string(),
  size: z.number(),
  mimeType: z.string(),
  uploadedBy: nullableString,
  uploadedAt: z.string(),
});
export type AttachmentRow = z.infer<typeof zAttachmentRow>;

const zColumnKey = z.enum(ORG_COLUMNS.map((c) => c.key) as [string, ...string[]]);
export const zImportMapping = z.array(zColumnKey.nullable()).max(IMPORT_MAX_COLUMNS);

export const zImportRowResult = z.object({
  rowNumber: z.number(),
  name: z.string(),
  action: z.enum(['create', 'update', 'unchanged', 'error']),
  /** For updates: the existing organization. */
  orgId: zId.nullable(),
  issues: z.array(z.object({ column: z.string(), message: z.string() })),
  /** For updates: changed fields as Chinese column titles. */
  changes: z.array(z.string()),
  /** Warnings that do not block (filing conditions, code notes). */
  warnings: z.array(z.string()),
});
export type ImportRowResult = z.infer<typeof zImportRowResult>;

export const zImportResult = z.object({
  format: z.enum(TABLE_FORMATS),
  encoding: z.string().nullable(),
  sheetName: z.string().nullable(),
  headerRowNumber: z.number(),
  headers: z.array(z.string()),
  mapping: zImportMapping,
  /** The mapping came from a previous import of a file with the same columns. */
  mappingRemembered: z.boolean(),
  /** Problems of the mapping itself (no name column, a field mapped twice); rows are not checked until fixed. */
  mappingIssues: z.array(z.string()),
  /** The mapping step: labels of the file the hub's lists do not know, and the lists' entries to choose from. */
  labels: z.array(zImportUnknownLabel),
  vocabularies: z.array(zImportVocabulary),
  /** Every row when they are few; else the first page and the error rows after it (up to 1,000). */
  rows: z.array(zImportRowResult),
  /** All the rows planned (`rows` may be fewer). */
  rowCount: z.number(),
  /** A preview whose rows are not all in `rows` keeps them for paging (`importing.previewRows`); else null. */
  previewId: z.string().nullable(),
  counts: z.object({ create: z.number(), update: z.number(), unchanged: z.number(), error: z.number() }),
  /** Set by a real import: what was written. */
  committed: z.boolean(),
});
export type ImportResult = z.infer<typeof zImportResult>;

const zImportInput = z.object({
  file: zFileUpload,
  sheetName: z.string().max(100).optional(),
  /** Column index → field; omitted = the remembered mapping or the automatic one. */
  mapping: zImportMapping.optional(),
  /** The mapping step's choices (omitted labels use the hub's remembered mappings). */
  labelMap: zImportLabelMap.optional(),
  /** The dialog's previous preview: its rows kept for paging go (the import reads and plans the file again). */
  previewId: z.string().max(64).optional(),
});

const zCount = z.object({ key: z.string().nullable(), label: z.string(), count: z.number() });

export const zStreetSummaryRow = z.object({
  street: z.string(),
  total: z.number(),
  registered: z.number(),
  filed: z.number(),
  guided: z.number(),
  incubating: z.number(),
  graduated: z.number(),
  withdrawn: z.number(),
  members: z.number(),
  volunteers: z.number(),
  activitiesThisYear: z.number(),
  overdue: z.number(),
});
export type StreetSummaryRow = z.infer<typeof zStreetSummaryRow>;

export const zBoardCard = z.object({
  id: zId,
  name: z.string(),
  street: nullableString,
  stageDate: nullableString,
  mentor: nullableString,
  mode: nullableString,
  overdue: z.boolean(),
  dueDate: nullableString,
});
export type BoardCard = z.infer<typeof zBoardCard>;

/** What a saved view of the list keeps: the search box, the toolbar's quick filters, the grid's filters and sort. */
export const zOrgViewState = z.object({
  search: z.string().max(100).default(''),
  quick: zOrgQuickFilters.default({}),
  filterModel: zOrgFilterModel.default({}),
  sortModel: zOrgSortModel.default([]),
});
export type OrgViewState = z.infer<typeof zOrgViewState>;
export const zOrgView = z.object({ id: zId, name: z.string(), state: zOrgViewState, createdAt: z.string() });
export type OrgView = z.infer<typeof zOrgView>;
/** Anyone who works with the list may keep views; a viewer only reads (writes never list 'viewer'). */
const VIEW_OWNERS: readonly Role[] = ['admin', 'staff', 'accountant', 'approver'];

/** Calls of the organizations area. Handlers: electron/core/organizations/handlers.ts. */
export const organizationsContract = {
  'organizations.list': defineCall({
    title: '查询组织台账',
    access: ANY_ROLE,
    write: false,
    input: zOrgListInput,
    output: z.object({ rows: z.array(zOrgListRow), total: z.number().nullable() }),
  }),
  'organizations.views.list': defineCall({
    title: '已保存的台账视图',
    access: ANY_ROLE,
    write: false,
    input: z.object({}),
    output: z.array(zOrgView),
  }),
  'organizations.views.save': defineCall({
    title: '保存台账视图',
    access: VIEW_OWNERS,
    write: true,
    input: z.object({ name: z.string().trim().min(1, '请填写视图名称').max(40, '视图名称不能超过 40 个字'), state: zOrgViewState }),
    output: z.object({ id: zId, replaced: z.boolean() }),
  }),
  'organizations.views.delete': defineCall({
    title: '删除台账视图',
    irreversible: { question: '确定删除这个台账视图？', effect: '删除后这个视图的筛选、列和排序都不再保存，不能恢复；台账数据本身不受影响。', okText: '删除' },
    access: VIEW_OWNERS,
    write: true,
    input: z.object({ id: zId }),
    output: zOk,
  }),
  'organizations.groupCounts': defineCall({
    title: '组织分组统计',
    access: ANY_ROLE,
    write: false,
    input: zOrgQuery.extend({ by: z.enum(ORG_GROUP_BY) }),
    output: z.array(zCount),
  }),
  'organizations.get': defineCall({ title: '查看组织', access: ANY_ROLE, write: false, input: z.object({ id: zId }), output: zOrgDetail }),
  'organizations.checkName': defineCall({
    title: '检查组织名称是否重复',
    access: ANY_ROLE,
    write: false,
    input: z.object({ name: z.string().max(200), excludeId: zId.optional() }),
    output: z.object({ similar: z.array(z.object({ id: zId, name: z.string() })), warning: z.string().nullable() }),
  }),
  'organizations.checkCode': defineCall({
    title: '校验统一社会信用代码',
    access: ANY_ROLE,
    write: false,
    input: z.object({ code: z.string().max(40), excludeId: zId.optional() }),
    output: z.object({
      code: z.string(),
      status: z.enum(['valid', 'checkFailed', 'invalid']),
      confirmable: z.boolean(),
      messages: z.array(z.string()),
      warnings: z.array(z.string()),
      kindLabel: nullableString,
      authorityLabel: nullableString,
      regionCode: nullableString,
      /** Another organization already holding this code. */
      duplicateOf: z.object({ id: zId, name: z.string() }).nullable(),
    }),
  }),
  'organizations.create': defineCall({
    title: '新建组织',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ input: zOrganizationInput, incubation: z.object({ apply: z.boolean(), date: zDate.optional(), decidedBy: z.string().max(40).optional(), reason: z.string().max(500).optional() }).optional() }),
    output: z.object({ id: zId }),
  }),
  'organizations.update': defineCall({
    title: '修改组织',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ id: zId, version: zVersion, input: zOrganizationInput }),
    output: z.object({ version: z.number() }),
  }),
  'organizations.withdraw': defineCall({
    title: '组织退出',
    irreversible: { question: '确定登记该组织退出？', effect: '退出后该组织结束孵化，记入孵化历程，不再计入在孵组织；退出不能撤销。', okText: '确认退出' },
    access: STAFF_WRITE,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), date: zDate, reason: z.string().trim().min(2, '请填写退出原因').max(500) }),
    output: zOk,
  }),
  'organizations.transition': defineCall({
    title: '变更孵化阶段',
    irreversible: { question: '确定变更到这个孵化阶段？', effect: '出壳或退出是最终阶段：登记后不能再变更回孵化中，记入孵化历程。', okText: '确认变更', when: (i) => i.to === 'graduated' || i.to === 'withdrawn' },
    access: STAFF_WRITE,
    write: true,
    input: zTransitionInput.extend({ version: zVersion.optional() }),
    output: zOk,
  }),
  'organizations.board': defineCall({
    title: '孵化看板',
    access: ANY_ROLE,
    write: false,
    input: z.object({ street: z.string().max(60).optional(), perStage: z.number().int().min(1).max(200).default(50) }),
    output: z.object({
      columns: z.array(z.object({ stage: zStage, count: z.number(), overdue: z.number(), cards: z.array(zBoardCard) })),
      termMonths: z.number(),
    }),
  }),
  'organizations.streetSummary': defineCall({
    title: '分街道汇总',
    access: ANY_ROLE,
    write: false,
    input: z.object({ year: z.number().int().min(2000).max(2100).optional() }),
    output: z.object({ year: z.number(), rows: z.array(zStreetSummaryRow) }),
  }),
  'organizations.activities.list': defineCall({
    title: '活动列表',
    access: ANY_ROLE,
    write: false,
    input: z.object({
      orgId: zId.optional(),
      /** Only major activities whose report is missing, overdue or late. */
      attention: z.boolean().optional(),
      majorOnly: z.boolean().optional(),
      seriesCode: z.string().max(20).optional(),
      from: zDate.optional(),
      to: zDate.optional(),
      startRow: z.number().int().min(0).default(0),
      endRow: z.number().int().min(1).default(200),
    }),
    output: z.object({ rows: z.array(zActivityRow), total: z.number() }),
  }),
  'organizations.activities.save': defineCall({
    title: '保存活动',
    access: STAFF_WRITE,
    write: true,
    input: zActivityInput.extend({ id: zId.optional() }),
    output: z.object({ id: zId, isMajor: z.boolean(), majorReasons: z.array(z.string()) }),
  }),
  'organizations.activities.import.preview': defineCall({
    title: '预览活动记录导入',
    access: STAFF_WRITE,
    write: false,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportInput,
    output: zTableImportResult,
  }),
  'organizations.activities.import.commit': defineCall({
    title: '导入活动记录',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportCommitInput,
    output: zTableImportResult,
  }),
  'organizations.activities.import.template': defineCall({ title: '下载活动记录模板', access: ANY_ROLE, write: false, input: z.object({}), output: zFileDownload }),
  /** Every activity record in the import template's shape: importing the file back changes nothing. */
  'organizations.activities.export': defineCall({ title: '导出活动记录(导入格式)', access: ANY_ROLE, write: false, input: z.object({}), output: zFileDownload }),
  'organizations.activities.fileReport': defineCall({
    title: '登记重大活动报告',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ id: zId, filedDate: zDate, note: z.string().overwrite(ACTIVITY_TEXT_RULES.reportNote).min(2, '请填写报告说明(报送单位、文号等)').max(500) }),
    output: zOk,
  }),
  'organizations.activities.setStatus': defineCall({
    title: '变更活动状态',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ id: zId, status: z.enum(['held', 'cancelled']), actualAttendance: z.number().int().min(0).max(1_000_000).nullable().optional() }),
    output: zOk,
  }),
  'organizations.evaluations.list': defineCall({
    title: '评估记录',
    access: ANY_ROLE,
    write: false,
    input: z.object({ orgId: zId }),
    output: z.object({ rows: z.array(zEvaluationRow), bands: z.array(z.object({ grade: z.string(), min: z.number() })), maxScores: zScores }),
  }),
  'organizations.evaluations.save': defineCall({
    title: '保存评估',
    access: STAFF_WRITE,
    write: true,
    input: z.object({
      orgId: zId,
      year: z.number().int(),
      scores: zScores,
      evaluator: z.string().trim().max(40).nullable().optional(),
      remark: z.string().max(500).nullable().optional(),
    }),
    output: z.object({ id: zId, total: z.number(), grade: z.string() }),
  }),
  'organizations.reports.list': defineCall({
    title: '工作报告与信息公开',
    access: ANY_ROLE,
    write: false,
    input: z.object({ orgId: zId }),
    output: z.array(zReportRow),
  }),
  'organizations.reports.create': defineCall({
    title: '登记工作报告/信息公开',
    access: STAFF_WRITE,
    write: true,
    input: z.object({
      orgId: zId,
      kind: z.enum(['work_report', 'disclosure']),
      date: zDate,
      title: z.string().trim().min(2, '请填写标题').max(100),
      content: z.string().max(5000).nullable().optional(),
      recipient: z.string().trim().max(60).nullable().optional(),
    }),
    output: z.object({ id: zId }),
  }),
  'organizations.attachments.list': defineCall({
    title: '附件列表',
    access: ANY_ROLE,
    write: false,
    input: z.object({ orgId: zId }),
    output: z.array(zAttachmentRow),
  }),
  'organizations.attachments.upload': defineCall({
    title: '上传附件',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: z.object({ orgId: zId, file: zFileUpload }),
    output: zAttachmentRow,
  }),
  'organizations.attachments.download': defineCall({
    title: '下载附件',
    access: ANY_ROLE,
    write: false,
    input: z.object({ id: zId }),
    output: zFileDownload,
  }),
  'organizations.import.preview': defineCall({
    title: '预览台账导入',
    access: STAFF_WRITE,
    write: false,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zImportInput,
    output: zImportResult,
  }),
  'organizations.import.commit': defineCall({
    title: '导入组织台账',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zImportInput.extend({ mode: z.enum(['all', 'validOnly']) }),
    output: zImportResult,
  }),
  'organizations.export': defineCall({
    title: '导出组织台账',
    access: ANY_ROLE,
    write: false,
    input: zOrgQuery.extend({ sortModel: zOrgListInput.shape.sortModel }),
    output: zFileDownload.extend({ rowCount: z.number() }),
  }),
} satisfies Contract;
