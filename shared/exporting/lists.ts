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

// Every list is a call, a title and its columns; every column a row key and a header, written as text unless
// said otherwise, or as the label of its code (a fixed list, copied, or one of the hub's dictionaries).
type CellKind = NonNullable<ExportColumn['kind']>;
const col = (key: string, label: string, kind?: CellKind): ExportColumn => (kind ? { key, label, kind } : { key, label });
const mapped = (key: string, label: string, map: Record<string, string>, kind?: CellKind): ExportColumn =>
  kind ? { key, label, kind, map: { ...map } } : { key, label, map: { ...map } };
const dict = (key: string, label: string, kind: NonNullable<ExportColumn['dict']>): ExportColumn => ({ key, label, dict: kind });
const list = (call: CallName, title: string, columns: ExportColumn[]): ListExport => ({ call, title, columns });

/** Keeps the names as a type while checking each entry as a ListExport. */
const lists = <K extends string>(defs: Record<K, ListExport>) => defs;

const DEFS = lists({
  users: list('users.list', '用户名单', [
    col('username', '用户名'),
    col('displayName', '姓名'),
    mapped('roles', '角色', ROLE_LABELS, 'list'),
    col('disabled', '已停用', 'bool'),
    col('lastLoginAt', '最近登录', 'datetime'),
    col('createdAt', '创建时间', 'datetime'),
  ]),
  custodyAccounts: list('custody.accounts.list', '代管账户余额', [
    col('orgName', '组织'),
    col('detailCode', '明细科目'),
    col('liabilityCode', '负债科目'),
    col('openedOn', '开户日期', 'date'),
    col('balanceFen', '余额(元)', 'fen'),
  ]),
  vouchers: list('custody.vouchers.list', '凭证列表', [
    col('number', '凭证号'),
    col('date', '日期', 'date'),
    mapped('kind', '类型', { ...VOUCHER_KIND_LABELS, opening: '期初余额' }),
    mapped('status', '状态', VOUCHER_STATUS_LABELS),
    col('orgName', '组织'),
    col('counterparty', '对方单位'),
    col('purpose', '摘要'),
    col('amountFen', '金额(元)', 'fen'),
    col('sourceName', '资金来源'),
    col('projectName', '项目'),
    col('attachments', '附件数', 'number'),
    col('makerName', '制单人'),
    col('approverName', '审核人'),
    col('postedAt', '记账时间', 'datetime'),
  ]),
  inKind: list('custody.inkind.list', '实物捐赠登记', [
    col('receivedOn', '接收日期', 'date'),
    col('donor', '捐赠方'),
    col('orgName', '受赠组织'),
    col('description', '物品'),
    col('quantity', '数量'),
    col('unit', '单位'),
    col('valueFen', '估值(元)', 'fen'),
    col('valuationBasis', '估值依据'),
    col('handledOn', '处置日期', 'date'),
    col('note', '备注'),
  ]),
  periods: list('custody.periods.list', '会计期间', [
    col('period', '期间'),
    col('closed', '已结账', 'bool'),
    col('closedAt', '结账时间', 'datetime'),
    col('closedByName', '结账人'),
    col('voucherCount', '凭证数', 'number'),
    col('unpostedCount', '未记账', 'number'),
  ]),
  trainingSessions: list('training.sessions.list', '培训场次', [
    col('date', '日期', 'date'),
    col('startTime', '开始'),
    col('title', '培训主题'),
    dict('category', '类别', 'training_category'),
    dict('format', '形式', 'training_format'),
    col('minutes', '学时(分钟)', 'number'),
    col('trainer', '授课人'),
    col('venueName|location', '场地/地点'),
    col('organizerName', '承办组织'),
    col('registered', '报名', 'number'),
    col('attended', '出勤', 'number'),
    col('certificates', '证书', 'number'),
    mapped('status', '状态', { planned: '正常', cancelled: '已取消' }),
  ]),
  trainees: list('training.trainees.list', '学员名单', [
    col('name', '姓名'),
    col('phone', '手机号'),
    col('idNumber', '身份证号'),
    dict('role', '人员类别', 'training_role'),
    col('organizationName|unitName', '所属组织/单位'),
    col('personTimes', '参训人次', 'number'),
    col('creditedMinutes', '累计学时(分钟)', 'number'),
    col('createdAt', '登记时间', 'datetime'),
  ]),
  bookings: list('venues.bookings.page', '场地预约', [
    col('start', '开始', 'datetime'),
    col('end', '结束', 'datetime'),
    col('venueName', '场地'),
    col('organizationName', '组织'),
    col('purpose', '用途'),
    col('expectedAttendance', '人数', 'number'),
    mapped('state', '状态', BOOKING_STATE_LABELS),
    mapped('recurrenceKind', '重复', RECURRENCE_LABELS),
    col('cancelReason', '取消原因'),
    col('decidedBy', '审批/处理人'),
  ]),
  venues: list('venues.list', '场地清单', [
    col('name', '场地'),
    dict('hostTypeCode', '依托设施', 'venue_host_type'),
    col('hostName', '设施名称'),
    col('address', '地址'),
    col('capacity', '容纳人数', 'number'),
    col('equipment', '设备', 'list'),
    col('bookable', '可预约', 'bool'),
    col('approvalRequired', '需审批', 'bool'),
    col('note', '备注'),
  ]),
  waitlist: list('venues.waitlist.list', '候补名单', [
    col('position', '顺位', 'number'),
    col('venueName', '场地'),
    col('organizationName', '组织'),
    col('start', '开始', 'datetime'),
    col('end', '结束', 'datetime'),
    col('purpose', '用途'),
    col('expectedAttendance', '人数', 'number'),
    mapped('state', '状态', WAITLIST_STATE_LABELS),
    col('createdAt', '登记时间', 'datetime'),
  ]),
  memberHubs: list('submission.hubs.list', '下级单位', [
    col('name', '单位名称'),
    col('regionCode', '行政区划代码'),
    mapped('level', '层级', HUB_LEVEL_LABELS),
    col('contact', '联系人'),
    col('active', '在用', 'bool'),
    col('registeredAt', '登记时间', 'datetime'),
    col('lastPeriod', '最近报送期'),
    col('packages', '已收包数', 'number'),
  ]),
  memberOrgs: list('submission.memberOrgs.list', '会员单位', [
    col('name', '会员名称'),
    col('creditCode', '统一社会信用代码'),
    mapped('memberType', '会员类别', { unit: '会员单位', council: '理事单位', standing: '常务理事单位' }),
    col('contactName', '联系人'),
    col('contactPhone', '联系电话'),
    col('joinedOn', '入会日期', 'date'),
    col('annualDuesFen', '年会费(元)', 'fen'),
    col('paidFen', '已缴(元)', 'fen'),
    col('owedFen', '欠缴(元)', 'fen'),
    mapped('status', '状态', { active: '在会', left: '已退会' }),
    col('leftOn', '退会日期', 'date'),
  ]),
  packages: list('submission.packages.list', '已导入的上报包', [
    col('hubName', '上报单位'),
    mapped('level', '层级', HUB_LEVEL_LABELS),
    col('period', '报送期'),
    mapped('kind', '包的类别', PACKAGE_KIND_LABELS),
    col('createdAt', '生成时间', 'datetime'),
    col('importedAt', '导入时间', 'datetime'),
    col('importedBy', '导入人'),
    col('origins', '来源单位数', 'number'),
    mapped('status', '状态', { active: '有效', superseded: '已被新包取代' }),
    col('fileName', '文件名'),
  ]),
  streetSummary: list('organizations.streetSummary', '组织按街道统计', [
    col('street', '街道'),
    col('total', '组织数', 'number'),
    col('registered', '依法登记', 'number'),
    col('filed', '备案', 'number'),
    col('guided', '社区指导', 'number'),
    col('incubating', '孵化中', 'number'),
    col('graduated', '出壳', 'number'),
    col('withdrawn', '退出', 'number'),
    col('members', '成员', 'number'),
    col('volunteers', '志愿者', 'number'),
    col('activitiesThisYear', '本年活动', 'number'),
    col('overdue', '逾期未报告', 'number'),
  ]),
  dictionaries: list('dict.list', '数据字典', [
    mapped('kind', '字典', DICTIONARY_KINDS),
    col('code', '代码'),
    col('label', '名称'),
    col('sortOrder', '排序', 'number'),
    col('active', '在用', 'bool'),
  ]),
  audit: list('audit.list', '操作日志', [
    col('at', '时间', 'datetime'),
    col('actorName', '操作人'),
    col('actionLabel', '操作'),
    col('areaLabel', '业务'),
    col('recordName', '对象'),
    col('sentence', '内容'),
  ]),
});

export type ListExportName = keyof typeof DEFS;
export const LIST_EXPORTS: Record<ListExportName, ListExport> = DEFS;
