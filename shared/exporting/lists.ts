import { ROLE_LABELS } from '../roles';
import { DICTIONARY_KINDS } from '../admin/dictionaries';
import { VOUCHER_STATUS_LABELS } from '../custody/workflow';
import { VOUCHER_KIND_LABELS } from '../custody/voucher';
import { BOOKING_STATE_LABELS } from '../venues/state';
import { RECURRENCE_LABELS } from '../venues/recurrence';
import { HUB_LEVEL_LABELS } from '../admin/hub';
import { PACKAGE_KIND_LABELS } from '../submission/manifest';
import type { CallName } from '../contract';
import { WAITLIST_STATE_LABELS } from '../contract/venues';
import type { ExportColumn } from './table';

/**
 * The lists a user takes to a meeting, each with the call its screen shows and the columns it exports
 * (the screen's headers, a cell type each). The screen's 导出 Excel button sends its own current input
 * (filters, search, sort) with the entry; the core writes the workbook (electron/core/exporting/table.ts).
 */
export interface ListExport {
  call: CallName;
  title: string;
  rowsKey?: string;
  columns: ExportColumn[];
}

const labels = (m: Record<string, string>) => ({ ...m });

/** Keeps the names as a type while checking each entry as a ListExport. */
const lists = <K extends string>(defs: Record<K, ListExport>) => defs;

const DEFS = lists({
  users: {
    call: 'users.list',
    title: '用户名单',
    columns: [
      { key: 'username', label: '用户名' },
      { key: 'displayName', label: '姓名' },
      { key: 'roles', label: '角色', kind: 'list', map: labels(ROLE_LABELS) },
      { key: 'disabled', label: '已停用', kind: 'bool' },
      { key: 'lastLoginAt', label: '最近登录', kind: 'datetime' },
      { key: 'createdAt', label: '创建时间', kind: 'datetime' },
    ],
  },
  custodyAccounts: {
    call: 'custody.accounts.list',
    title: '代管账户余额',
    columns: [
      { key: 'orgName', label: '组织' },
      { key: 'detailCode', label: '明细科目' },
      { key: 'liabilityCode', label: '负债科目' },
      { key: 'openedOn', label: '开户日期', kind: 'date' },
      { key: 'balanceFen', label: '余额(元)', kind: 'fen' },
    ],
  },
  vouchers: {
    call: 'custody.vouchers.list',
    title: '凭证列表',
    columns: [
      { key: 'number', label: '凭证号' },
      { key: 'date', label: '日期', kind: 'date' },
      { key: 'kind', label: '类型', map: { ...VOUCHER_KIND_LABELS, opening: '期初余额' } },
      { key: 'status', label: '状态', map: labels(VOUCHER_STATUS_LABELS) },
      { key: 'orgName', label: '组织' },
      { key: 'counterparty', label: '对方单位' },
      { key: 'purpose', label: '摘要' },
      { key: 'amountFen', label: '金额(元)', kind: 'fen' },
      { key: 'sourceName', label: '资金来源' },
      { key: 'projectName', label: '项目' },
      { key: 'attachments', label: '附件数', kind: 'number' },
      { key: 'makerName', label: '制单人' },
      { key: 'approverName', label: '审核人' },
      { key: 'postedAt', label: '记账时间', kind: 'datetime' },
    ],
  },
  inKind: {
    call: 'custody.inkind.list',
    title: '实物捐赠登记',
    columns: [
      { key: 'receivedOn', label: '接收日期', kind: 'date' },
      { key: 'donor', label: '捐赠方' },
      { key: 'orgName', label: '受赠组织' },
      { key: 'description', label: '物品' },
      { key: 'quantity', label: '数量' },
      { key: 'unit', label: '单位' },
      { key: 'valueFen', label: '估值(元)', kind: 'fen' },
      { key: 'valuationBasis', label: '估值依据' },
      { key: 'handledOn', label: '处置日期', kind: 'date' },
      { key: 'note', label: '备注' },
    ],
  },
  periods: {
    call: 'custody.periods.list',
    title: '会计期间',
    columns: [
      { key: 'period', label: '期间' },
      { key: 'closed', label: '已结账', kind: 'bool' },
      { key: 'closedAt', label: '结账时间', kind: 'datetime' },
      { key: 'closedByName', label: '结账人' },
      { key: 'voucherCount', label: '凭证数', kind: 'number' },
      { key: 'unpostedCount', label: '未记账', kind: 'number' },
    ],
  },
  trainingSessions: {
    call: 'training.sessions.list',
    title: '培训场次',
    columns: [
      { key: 'date', label: '日期', kind: 'date' },
      { key: 'startTime', label: '开始' },
      { key: 'title', label: '培训主题' },
      { key: 'category', label: '类别', dict: 'training_category' },
      { key: 'format', label: '形式', dict: 'training_format' },
      { key: 'minutes', label: '学时(分钟)', kind: 'number' },
      { key: 'trainer', label: '授课人' },
      { key: 'venueName|location', label: '场地/地点' },
      { key: 'organizerName', label: '承办组织' },
      { key: 'registered', label: '报名', kind: 'number' },
      { key: 'attended', label: '出勤', kind: 'number' },
      { key: 'certificates', label: '证书', kind: 'number' },
      { key: 'status', label: '状态', map: { planned: '正常', cancelled: '已取消' } },
    ],
  },
  trainees: {
    call: 'training.trainees.list',
    title: '学员名单',
    columns: [
      { key: 'name', label: '姓名' },
      { key: 'phone', label: '手机号' },
      { key: 'idNumber', label: '身份证号' },
      { key: 'role', label: '人员类别', dict: 'training_role' },
      { key: 'organizationName|unitName', label: '所属组织/单位' },
      { key: 'personTimes', label: '参训人次', kind: 'number' },
      { key: 'creditedMinutes', label: '累计学时(分钟)', kind: 'number' },
      { key: 'createdAt', label: '登记时间', kind: 'datetime' },
    ],
  },
  bookings: {
    call: 'venues.bookings.page',
    title: '场地预约',
    columns: [
      { key: 'start', label: '开始', kind: 'datetime' },
      { key: 'end', label: '结束', kind: 'datetime' },
      { key: 'venueName', label: '场地' },
      { key: 'organizationName', label: '组织' },
      { key: 'purpose', label: '用途' },
      { key: 'expectedAttendance', label: '人数', kind: 'number' },
      { key: 'state', label: '状态', map: labels(BOOKING_STATE_LABELS) },
      { key: 'recurrenceKind', label: '重复', map: labels(RECURRENCE_LABELS) },
      { key: 'cancelReason', label: '取消原因' },
      { key: 'decidedBy', label: '审批/处理人' },
    ],
  },
  venues: {
    call: 'venues.list',
    title: '场地清单',
    columns: [
      { key: 'name', label: '场地' },
      { key: 'hostTypeCode', label: '依托设施', dict: 'venue_host_type' },
      { key: 'hostName', label: '设施名称' },
      { key: 'address', label: '地址' },
      { key: 'capacity', label: '容纳人数', kind: 'number' },
      { key: 'equipment', label: '设备', kind: 'list' },
      { key: 'bookable', label: '可预约', kind: 'bool' },
      { key: 'approvalRequired', label: '需审批', kind: 'bool' },
      { key: 'note', label: '备注' },
    ],
  },
  waitlist: {
    call: 'venues.waitlist.list',
    title: '候补名单',
    columns: [
      { key: 'position', label: '顺位', kind: 'number' },
      { key: 'venueName', label: '场地' },
      { key: 'organizationName', label: '组织' },
      { key: 'start', label: '开始', kind: 'datetime' },
      { key: 'end', label: '结束', kind: 'datetime' },
      { key: 'purpose', label: '用途' },
      { key: 'expectedAttendance', label: '人数', kind: 'number' },
      { key: 'state', label: '状态', map: labels(WAITLIST_STATE_LABELS) },
      { key: 'createdAt', label: '登记时间', kind: 'datetime' },
    ],
  },
  memberHubs: {
    call: 'submission.hubs.list',
    title: '下级单位',
    columns: [
      { key: 'name', label: '单位名称' },
      { key: 'regionCode', label: '行政区划代码' },
      { key: 'level', label: '层级', map: labels(HUB_LEVEL_LABELS) },
      { key: 'contact', label: '联系人' },
      { key: 'active', label: '在用', kind: 'bool' },
      { key: 'registeredAt', label: '登记时间', kind: 'datetime' },
      { key: 'lastPeriod', label: '最近报送期' },
      { key: 'packages', label: '已收包数', kind: 'number' },
    ],
  },
  memberOrgs: {
    call: 'submission.memberOrgs.list',
    title: '会员单位',
    columns: [
      { key: 'name', label: '会员名称' },
      { key: 'creditCode', label: '统一社会信用代码' },
      { key: 'memberType', label: '会员类别', map: { unit: '会员单位', council: '理事单位', standing: '常务理事单位' } },
      { key: 'contactName', label: '联系人' },
      { key: 'contactPhone', label: '联系电话' },
      { key: 'joinedOn', label: '入会日期', kind: 'date' },
      { key: 'annualDuesFen', label: '年会费(元)', kind: 'fen' },
      { key: 'paidFen', label: '已缴(元)', kind: 'fen' },
      { key: 'owedFen', label: '欠缴(元)', kind: 'fen' },
      { key: 'status', label: '状态', map: { active: '在会', left: '已退会' } },
      { key: 'leftOn', label: '退会日期', kind: 'date' },
    ],
  },
  packages: {
    call: 'submission.packages.list',
    title: '已导入的上报包',
    columns: [
      { key: 'hubName', label: '上报单位' },
      { key: 'level', label: '层级', map: labels(HUB_LEVEL_LABELS) },
      { key: 'period', label: '报送期' },
      { key: 'kind', label: '包的类别', map: labels(PACKAGE_KIND_LABELS) },
      { key: 'createdAt', label: '生成时间', kind: 'datetime' },
      { key: 'importedAt', label: '导入时间', kind: 'datetime' },
      { key: 'importedBy', label: '导入人' },
      { key: 'origins', label: '来源单位数', kind: 'number' },
      { key: 'status', label: '状态', map: { active: '有效', superseded: '已被新包取代' } },
      { key: 'fileName', label: '文件名' },
    ],
  },
  streetSummary: {
    call: 'organizations.streetSummary',
    title: '组织按街道统计',
    columns: [
      { key: 'street', label: '街道' },
      { key: 'total', label: '组织数', kind: 'number' },
      { key: 'registered', label: '依法登记', kind: 'number' },
      { key: 'filed', label: '备案', kind: 'number' },
      { key: 'guided', label: '社区指导', kind: 'number' },
      { key: 'incubating', label: '孵化中', kind: 'number' },
      { key: 'graduated', label: '出壳', kind: 'number' },
      { key: 'withdrawn', label: '退出', kind: 'number' },
      { key: 'members', label: '成员', kind: 'number' },
      { key: 'volunteers', label: '志愿者', kind: 'number' },
      { key: 'activitiesThisYear', label: '本年活动', kind: 'number' },
      { key: 'overdue', label: '逾期未报告', kind: 'number' },
    ],
  },
  dictionaries: {
    call: 'dict.list',
    title: '数据字典',
    columns: [
      { key: 'kind', label: '字典', map: labels(DICTIONARY_KINDS) },
      { key: 'code', label: '代码' },
      { key: 'label', label: '名称' },
      { key: 'sortOrder', label: '排序', kind: 'number' },
      { key: 'active', label: '在用', kind: 'bool' },
    ],
  },
  audit: {
    call: 'audit.list',
    title: '操作日志',
    columns: [
      { key: 'at', label: '时间', kind: 'datetime' },
      { key: 'actorName', label: '操作人' },
      { key: 'actionLabel', label: '操作' },
      { key: 'areaLabel', label: '业务' },
      { key: 'recordName', label: '对象' },
      { key: 'sentence', label: '内容' },
    ],
  },
});

export type ListExportName = keyof typeof DEFS;
export const LIST_EXPORTS: Record<ListExportName, ListExport> = DEFS;
