import { z } from 'zod';
import { isGid } from './globalId';

/**
 * Record shapes of the package tables, schema version 1 (`SCHEMA_VERSION`). Every record carries its global id
 * `gid` (see globalId.ts) and refers to other records by their gids. Dictionary values travel as code *and*
 * label, because each hub edits its own dictionaries and the federation must show the hub's label.
 * Money is integer fen, dates 'YYYY-MM-DD'.
 */

const zGid = z.string().refine(isGid, '全局编号 gid 格式错误');
const zDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const zFen = z.number().int('金额必须是以分为单位的整数').refine(Number.isSafeInteger, '金额超出范围');
const zCount = z.number().int().min(0);
const zText = z.string().max(2000);
const zCode = z.string().max(64);

export const MANAGEMENT_CLASSES = ['registered', 'filed', 'guided'] as const;
export type ManagementClass = (typeof MANAGEMENT_CLASSES)[number];
export const MANAGEMENT_CLASS_LABELS: Record<ManagementClass, string> = {
  registered: '依法登记',
  filed: '街道(乡镇)备案',
  guided: '社区(村)指导',
};

export const URBAN_RURAL = ['urban', 'rural'] as const;
export const URBAN_RURAL_LABELS: Record<(typeof URBAN_RURAL)[number], string> = { urban: '城市', rural: '农村' };

/** Incubation stages as in organizations/incubation.ts. */
export const PACKAGE_STAGES = ['applied', 'admitted', 'incubating', 'graduated', 'withdrawn'] as const;
export const PACKAGE_STAGE_LABELS: Record<(typeof PACKAGE_STAGES)[number], string> = {
  applied: '申请',
  admitted: '入驻',
  incubating: '孵化中',
  graduated: '出壳',
  withdrawn: '退出',
};

export const zOrganizationRecord = z.strictObject({
  gid: zGid,
  name: z.string().min(1).max(200),
  creditCode: z.string().max(18).nullable(),
  managementClass: z.enum(MANAGEMENT_CLASSES).nullable(),
  fieldCode: zCode.nullable(),
  fieldLabel: zText.nullable(),
  /** 12-digit region code of the place (村/社区 when known), and its name. */
  regionCode: z.string().regex(/^\d{12}$/).nullable(),
  regionName: zText.nullable(),
  urbanRural: z.enum(URBAN_RURAL).nullable(),
  stage: z.enum(PACKAGE_STAGES).nullable(),
  foundedOn: zDate.nullable(),
  memberCount: zCount.nullable(),
  volunteerCount: zCount.nullable(),
  status: z.enum(['active', 'withdrawn']).default('active'),
});
export type OrganizationRecord = z.infer<typeof zOrganizationRecord>;

export const zIncubationEventRecord = z.strictObject({
  gid: zGid,
  orgGid: zGid,
  fromStage: z.enum(PACKAGE_STAGES).nullable(),
  toStage: z.enum(PACKAGE_STAGES),
  date: zDate,
});
export type IncubationEventRecord = z.infer<typeof zIncubationEventRecord>;

export const zVenueRecord = z.strictObject({
  gid: zGid,
  name: z.string().min(1).max(200),
  hostTypeLabel: zText.nullable(),
  capacity: zCount.nullable(),
});
export type VenueRecord = z.infer<typeof zVenueRecord>;

export const BOOKING_STATUSES = ['requested', 'approved', 'used', 'cancelled', 'no_show', 'rejected'] as const;
export const zBookingRecord = z.strictObject({
  gid: zGid,
  venueGid: zGid,
  orgGid: zGid.nullable(),
  date: zDate,
  /** Booked length in minutes. */
  minutes: zCount,
  status: z.enum(BOOKING_STATUSES),
  attendance: zCount.nullable(),
});
export type BookingRecord = z.infer<typeof zBookingRecord>;

export const zCustodyEntryRecord = z.strictObject({
  gid: zGid,
  orgGid: zGid,
  date: zDate,
  kind: z.enum(['receipt', 'disbursement']),
  /** An opening balance carried in (期初余额结转, or its reversal): part of 期初, never of the period's receipts. */
  opening: z.boolean().optional(),
  sourceCode: zCode,
  sourceLabel: zText,
  /** Positive for the kind's normal direction; a reversal carries the opposite sign. */
  amountFen: zFen,
  voucherNo: zText.nullable(),
});
export type CustodyEntryRecord = z.infer<typeof zCustodyEntryRecord>;

export const zTrainingSessionRecord = z.strictObject({
  gid: zGid,
  title: z.string().min(1).max(300),
  categoryCode: zCode,
  categoryLabel: zText,
  formatLabel: zText.nullable(),
  date: zDate,
  minutes: zCount,
});
export type TrainingSessionRecord = z.infer<typeof zTrainingSessionRecord>;

export const zAttendanceRecord = z.strictObject({
  gid: zGid,
  sessionGid: zGid,
  traineeGid: zGid,
  roleCode: zCode,
  roleLabel: zText,
  status: z.enum(['present', 'late', 'excused', 'absent']),
});
export type AttendanceRecord = z.infer<typeof zAttendanceRecord>;

export const zActivityRecord = z.strictObject({
  gid: zGid,
  orgGid: zGid.nullable(),
  title: z.string().min(1).max(300),
  date: zDate,
  seriesCode: zCode.nullable(),
  seriesLabel: zText.nullable(),
  kindLabel: zText.nullable(),
  status: z.enum(['planned', 'held', 'cancelled']),
  participants: zCount.nullable(),
  volunteers: zCount.nullable(),
  major: z.boolean(),
  reportFiledOn: zDate.nullable(),
});
export type ActivityRecord = z.infer<typeof zActivityRecord>;

/** The tables a package may carry, in writing order, with their record schema and Chinese name. */
export const PACKAGE_TABLES = {
  organizations: { schema: zOrganizationRecord, label: '社会组织' },
  incubation_events: { schema: zIncubationEventRecord, label: '孵化阶段变更' },
  venues: { schema: zVenueRecord, label: '场地' },
  bookings: { schema: zBookingRecord, label: '场地预约' },
  custody_entries: { schema: zCustodyEntryRecord, label: '代管资金分录' },
  training_sessions: { schema: zTrainingSessionRecord, label: '培训场次' },
  attendances: { schema: zAttendanceRecord, label: '培训签到' },
  activities: { schema: zActivityRecord, label: '活动' },
} as const;
export type PackageTableName = keyof typeof PACKAGE_TABLES;
export const PACKAGE_TABLE_NAMES = Object.keys(PACKAGE_TABLES) as PackageTableName[];

export interface PackageData {
  organizations: OrganizationRecord[];
  incubation_events: IncubationEventRecord[];
  venues: VenueRecord[];
  bookings: BookingRecord[];
  custody_entries: CustodyEntryRecord[];
  training_sessions: TrainingSessionRecord[];
  attendances: AttendanceRecord[];
  activities: ActivityRecord[];
}

export function emptyPackageData(): PackageData {
  return {
    organizations: [],
    incubation_events: [],
    venues: [],
    bookings: [],
    custody_entries: [],
    training_sessions: [],
    attendances: [],
    activities: [],
  };
}

export function isPackageTable(name: string): name is PackageTableName {
  return Object.prototype.hasOwnProperty.call(PACKAGE_TABLES, name);
}

/** Chinese names of the record fields, for refusals that name a field (never the field's code). */
export const RECORD_FIELD_LABELS: Record<string, string> = {
  gid: '全局编号', name: '名称', creditCode: '统一社会信用代码', managementClass: '管理类别', fieldCode: '活动领域代码',
  fieldLabel: '活动领域', regionCode: '行政区划代码', regionName: '行政区划', urbanRural: '城乡', stage: '孵化阶段',
  foundedOn: '成立日期', memberCount: '成员数', volunteerCount: '志愿者数', status: '状态', orgGid: '所属组织',
  fromStage: '原阶段', toStage: '新阶段', date: '日期', hostTypeLabel: '场地类型', capacity: '容纳人数', venueGid: '场地',
  minutes: '时长(分钟)', attendance: '到场人数', kind: '类别', opening: '期初', sourceCode: '资金来源代码',
  sourceLabel: '资金来源', amountFen: '金额(分)', voucherNo: '凭证号', title: '标题', categoryCode: '类别代码',
  categoryLabel: '类别', formatLabel: '形式', sessionGid: '培训场次', traineeGid: '学员', roleCode: '身份代码',
  roleLabel: '身份', seriesCode: '品牌系列代码', seriesLabel: '品牌系列', kindLabel: '活动类别', participants: '参与人数',
  volunteers: '志愿者人数', major: '是否重大活动', reportFiledOn: '报告备案日期',
};

const fieldName = (path: PropertyKey[]) =>
  path.length === 0 ? '(整条记录)' : path.map((k) => (typeof k === 'number' ? `第 ${k + 1} 项` : (RECORD_FIELD_LABELS[String(k)] ?? String(k)))).join(' → ');

export type RecordCheck = { ok: true; record: Record<string, unknown> } | { ok: false; message: string };

/**
 * Checks one record against the schema of its table. Records are stored as checked, never as they came: an
 * unknown table or a field the table does not have is refused (a record cannot smuggle data that no screen shows
 * and every level passes on). The message names the field, for "第 n 行" reporting by the caller.
 */
export function checkRecord(table: string, record: unknown): RecordCheck {
  if (!isPackageTable(table)) return { ok: false, message: `“${table}”不是本软件认识的数据表(可接受：${PACKAGE_TABLE_NAMES.join('、')})` };
  const parsed = PACKAGE_TABLES[table].schema.safeParse(record);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    if (i.code === 'unrecognized_keys') {
      const at = i.path.length > 0 ? `${fieldName(i.path)} 中的` : '';
      return { ok: false, message: `${at}字段 ${i.keys.join('、')} 不是表“${PACKAGE_TABLES[table].label}”的字段` };
    }
    return { ok: false, message: `字段「${fieldName(i.path)}」${i.message}` };
  }
  return { ok: true, record: parsed.data as Record<string, unknown> };
}
