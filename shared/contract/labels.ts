import type { ErrorIssue } from '../errors';
import { SETTING_LABELS } from '../admin/settings';
import { ORG_FIELD_LABELS } from '../organizations/model';

/**
 * The Chinese name of every field of every contract input, so a refusal never shows an internal name
 * (`input.leaderPhone`, `openingHours.0.0`, `minLengthMinutes`). A path is labelled segment by segment: a key by
 * its call's override or by the global table, an index as 「第 N 项」 (or the parent's own item names, e.g. the
 * weekdays of opening hours). Keys listed in WRAPPER_KEYS only group other fields and add nothing to the label.
 * `tests/unit/admin/contractLabels.test.ts` walks every input schema and fails on a key without a label.
 */
export const FIELD_LABELS: Record<string, string> = {
  ...SETTING_LABELS,
  // the organization form's fields, by the labels the organization rules use (more general keys below override)
  ...ORG_FIELD_LABELS,
  // common
  input: '填写内容',
  // list exports (exports.table)
  call: '导出的列表',
  rowsKey: '列表的行',
  key: '列的字段',
  map: '代码对照',
  dict: '字典',
  area: '业务',
  filter: '筛选条件',
  id: '记录',
  ids: '所选记录',
  version: '记录版本',
  name: '名称',
  code: '代码',
  label: '显示名称',
  kind: '类别',
  title: '标题',
  note: '备注',
  remark: '备注',
  description: '说明',
  reason: '原因',
  date: '日期',
  from: '起始日期',
  to: '截止日期',
  year: '年度',
  active: '启用',
  disabled: '停用',
  confirm: '确认',
  mode: '方式',
  scope: '适用范围',
  state: '状态',
  states: '状态',
  status: '状态',
  search: '搜索内容',
  query: '查询内容',
  text: '关键词',
  file: '文件',
  files: '文件',
  fileName: '文件名',
  base64: '文件内容',
  keyFile: '密钥文件',
  sheetName: '工作表',
  mapping: '列对应关系',
  labelMap: '选项对应关系',
  vocabulary: '选项列表',
  columns: '列对应关系',
  saveMapping: '保存列对应关系',
  validOnly: '只导入有效行',
  previewId: '预览',
  replacesPreviewId: '上一次预览',
  offset: '起始位置',
  startRow: '起始行',
  endRow: '结束行',
  sort: '排序',
  sortModel: '排序',
  colId: '排序列',
  filterModel: '筛选条件',
  filterType: '筛选类型',
  filterTo: '筛选上限',
  type: '筛选方式',
  operator: '条件关系',
  conditions: '筛选条件',
  values: '筛选值',
  dateFrom: '起始日期',
  dateTo: '截止日期',
  withCount: '统计总数',
  by: '分组方式',
  perStage: '每阶段条数',
  // auth, users, setup
  username: '用户名',
  password: '密码',
  oldPassword: '原密码',
  newPassword: '新密码',
  displayName: '姓名',
  roles: '角色',
  hubName: '基地名称',
  level: '基地层级',
  adminUsername: '管理员用户名',
  adminPassword: '管理员密码',
  adminDisplayName: '管理员姓名',
  settings: '设置',
  sortOrder: '排列顺序',
  action: '操作',
  entity: '对象类型',
  entityId: '对象',
  // organizations
  creditCodeConfirmed: '确认保留试点代码',
  excludeId: '当前组织',
  mark: '标识',
  incubation: '入驻孵化申请',
  incubationStage: '孵化阶段',
  apply: '登记入驻申请',
  decidedBy: '决定人(会议)',
  orgId: '组织',
  organizationId: '组织',
  mentor: '导师',
  space: '入驻空间',
  agreementStart: '协议开始日期',
  agreementEnd: '协议结束日期',
  confirmedCode: '代码已确认',
  overdue: '超期',
  filingWarnings: '备案提醒',
  quick: '快速筛选',
  attention: '需关注',
  majorOnly: '只看重大活动',
  seriesCode: '活动系列',
  kindCode: '活动类型',
  place: '活动地点',
  expectedAttendance: '预计人数',
  actualAttendance: '实到人数',
  filedDate: '报备日期',
  content: '内容',
  recipient: '报送对象',
  evaluator: '评估人',
  scores: '各项得分',
  basic: '基础条件得分',
  activities: '活动开展得分',
  influence: '社会影响得分',
  contribution: '社会贡献得分',
  // venues
  hostTypeCode: '依托设施类型',
  hostName: '依托设施名称',
  address: '地址',
  capacity: '容量(人)',
  equipment: '设备',
  bookable: '可预约',
  openingHours: '开放时间',
  start: '开始时间',
  end: '结束时间',
  closed: '闭馆日期',
  minLengthMinutes: '单次最短时长(分钟)',
  maxLengthMinutes: '单次最长时长(分钟)',
  minNoticeMinutes: '最少提前预约(分钟)',
  maxNoticeDays: '最多提前预约(天)',
  approvalRequired: '需要审批',
  quotas: '预约限额',
  period: '限额周期',
  unit: '限额单位',
  limit: '限额',
  venue: '场地',
  venueId: '场地',
  venueIds: '场地',
  onlyBookable: '只看可预约场地',
  onlyFree: '只预约空闲日期',
  includeCancelled: '包含已取消',
  includeClosed: '包含已关闭',
  purpose: '用途',
  recurrence: '重复方式',
  until: '重复截止日期',
  skip: '跳过日期',
  activityId: '关联活动',
  activityKindCode: '活动类型',
  activitySeriesCode: '活动系列',
  outcome: '使用结果',
  source: '来源',
  // custody
  accountNo: '银行账号',
  bankName: '开户银行',
  bankOpeningFen: '银行期初余额',
  openingDate: '期初日期',
  formatId: '流水格式',
  amountMode: '金额列方式',
  amountFen: '金额',
  bankAccountId: '银行账户',
  approverUsername: '审批人',
  budgetFen: '预算金额',
  budgetLineId: '预算明细',
  lines: '预算明细',
  projectId: '项目',
  sourceId: '资金来源',
  counterparty: '对方单位',
  revenueCode: '收入科目',
  toOrgId: '受益组织',
  attachments: '附件',
  overrideReason: '超预算说明',
  liabilityCode: '负债科目',
  openedOn: '开户日期',
  startDate: '开始日期',
  endDate: '结束日期',
  fromGovernment: '财政资金',
  grantor: '拨付单位',
  donor: '捐赠人',
  handledOn: '处置日期',
  receivedOn: '接收日期',
  quantity: '数量',
  valuationBasis: '估值依据',
  valueFen: '估值金额',
  asOf: '截止日期',
  windowDays: '日期范围(天)',
  pairs: '勾对明细',
  bankLineId: '银行流水',
  bankLineIds: '银行流水',
  entryId: '账簿分录',
  entryIds: '账簿分录',
  groupId: '勾对组',
  mine: '只看我的',
  // training
  category: '培训类别',
  format: '培训形式',
  location: '培训地点',
  startTime: '开始时间',
  minutes: '学时(分钟)',
  trainer: '讲师',
  organizerId: '承办组织',
  sessionId: '培训场次',
  traineeId: '学员',
  traineeIds: '学员',
  idNumber: '身份证号',
  phone: '手机号',
  unitName: '所在单位',
  role: '身份',
  clock: '签到时间',
  lateMinutes: '迟到(分钟)',
  earlyLeaveMinutes: '早退(分钟)',
  subject: '科目',
  score: '成绩',
  serials: '证书编号',
  targetTotal: '年度目标人次',
  targets: '分项目标',
  dimension: '统计维度',
  personTimes: '目标人次',
  holds: '账户性质',
  serverPort: '服务端口',
  fingerprint: '证书指纹',
  confirmAccount: '确认账号不符仍导入',
  ourCode: '本系统科目编码',
  theirCode: '财务软件科目编码',
  theirName: '财务软件科目名称',
  // submission
  contact: '联系人',
  memberOrgId: '会员单位',
  memberType: '会员类型',
  annualDuesFen: '年度会费',
  joinedOn: '入会日期',
  leftOn: '退会日期',
  paidOn: '缴费日期',
  receiptNo: '收据号',
  includeOwn: '包含本级',
  sharedOnly: '只看共享组织',
};

/** Keys that only group other fields: `organizations.update`'s `input`, `venues.update`'s `venue`, a list's `filter`. */
export const WRAPPER_KEYS = new Set(['input', 'filter', 'settings', 'venue', 'state', 'quick', 'filterModel']);

/** Per call: a more precise label for a dotted key path (indices left out). */
export const CALL_FIELD_LABELS: Record<string, Record<string, string>> = {
  'organizations.create': { 'input.name': '组织名称', 'incubation.date': '申请日期', 'incubation.reason': '申请说明' },
  'organizations.update': { 'input.name': '组织名称' },
  'organizations.views.save': { name: '视图名称' },
  'venues.create': { name: '场地名称', 'closed.from': '闭馆开始日期', 'closed.to': '闭馆结束日期', 'closed.reason': '闭馆原因' },
  'venues.update': { 'venue.name': '场地名称', 'venue.closed.from': '闭馆开始日期', 'venue.closed.to': '闭馆结束日期', 'venue.closed.reason': '闭馆原因' },
  'venues.bookings.create': { start: '开始时间', end: '结束时间' },
  'venues.bookings.approveMany': { items: '所选预约', 'items.id': '预约' },
  'venues.bookings.reject': { reason: '驳回理由' },
  'organizations.withdraw': { date: '退出日期', reason: '退出原因' },
  'dict.save': { name: '名称', label: '显示名称', code: '代码' },
  'custody.accountMap.save': { rows: '科目对照' },
  'custody.statements.previewLines': { limit: '每页条数', filter: '筛选' },
  'importing.previewRows': { limit: '每页行数', filter: '筛选' },
};

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
/** How the items of an array key are named (default 「第 N 项」). */
const ITEM_LABELS: Record<string, (i: number) => string> = {
  openingHours: (i) => WEEKDAYS[i] ?? `第 ${i + 1} 天`,
  lines: (i) => `第 ${i + 1} 行`,
};

const plainKey = (path: readonly (string | number)[]) => path.filter((s) => typeof s === 'string' && !/^\d+$/.test(s)).join('.');

/** The label of one key inside `callName`'s input, at `path` (its parents, numbers included). */
export function keyLabel(callName: string, parents: readonly (string | number)[], key: string): string | undefined {
  const over = CALL_FIELD_LABELS[callName]?.[plainKey([...parents, key])];
  return over ?? FIELD_LABELS[key];
}

/**
 * 「开放时间·周一·第 1 段·开始时间」 for `openingHours.0.0.start`. Never returns an internal name: an unknown key
 * reads 「某项内容」 (and the unit test makes sure no contract key is unknown).
 */
export function labelPath(callName: string, rawPath: readonly (string | number)[] | string): string {
  const path = typeof rawPath === 'string' ? (rawPath ? rawPath.split('.') : []) : rawPath;
  const parts: string[] = [];
  let lastKey: string | undefined;
  let depthInArray = 0;
  path.forEach((seg, i) => {
    const isIndex = typeof seg === 'number' || /^\d+$/.test(String(seg));
    if (isIndex) {
      const n = Number(seg);
      const named = lastKey && depthInArray === 0 ? ITEM_LABELS[lastKey] : undefined;
      parts.push(named ? named(n) : depthInArray > 0 ? `第 ${n + 1} 段` : `第 ${n + 1} 项`);
      depthInArray++;
      return;
    }
    depthInArray = 0;
    const key = String(seg);
    lastKey = key;
    if (WRAPPER_KEYS.has(key) && i < path.length - 1) return;
    parts.push(keyLabel(callName, path.slice(0, i), key) ?? '某项内容');
  });
  return parts.join('·');
}

/** A zod error's issues with dotted paths and Chinese labels, in the order zod found them. */
export function zodIssues(callName: string, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): ErrorIssue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return path ? { path, label: labelPath(callName, path), message: i.message } : { message: i.message };
  });
}

/** Runs a call's contract input schema on `input` (what the form is about to send): the same rules as the core. */
export function checkInput(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } }, callName: string, input: unknown): ErrorIssue[] {
  const r = schema.safeParse(input);
  return r.success || !r.error ? [] : zodIssues(callName, r.error);
}

/** One issue as a sentence for a user: 「负责人电话」：请输入 11 位手机号. */
export function issueText(callName: string, issue: ErrorIssue): string {
  if (!issue.path) return issue.message;
  if (issue.row !== undefined) return `第 ${issue.row} 行「${issue.path}」：${issue.message}`;
  return `「${issue.label ?? labelPath(callName, issue.path)}」：${issue.message}`;
}

/** The one message of a refusal listing every issue, e.g. for a toast or the top of a form. */
export function issuesMessage(callName: string, issues: readonly ErrorIssue[]): string {
  if (issues.length === 0) return '输入有误';
  if (issues.length === 1) return `${issueText(callName, issues[0]!)}`;
  return `有 ${issues.length} 处需要修改：${issues.map((i) => issueText(callName, i)).join('；')}`;
}

/** Every key path (dotted, array items as `[]`) of a zod schema, for the label test and tools. */
export function schemaKeyPaths(schema: unknown): { key: string; parents: string[] }[] {
  const out: { key: string; parents: string[] }[] = [];
  const seen = new Set<unknown>();
  const walk = (s: unknown, parents: string[]) => {
    const def = (s as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return;
    switch (def.type) {
      case 'object':
        if (seen.has(s)) return;
        seen.add(s);
        for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
          out.push({ key: k, parents });
          walk(v, [...parents, k]);
        }
        seen.delete(s);
        break;
      case 'array':
        walk(def.element, [...parents, '0']);
        break;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        walk(def.innerType, parents);
        break;
      case 'union':
        for (const o of def.options as unknown[]) walk(o, parents);
        break;
      case 'intersection':
        walk(def.left, parents);
        walk(def.right, parents);
        break;
      case 'pipe':
        walk(def.in, parents);
        walk(def.out, parents);
        break;
      case 'tuple':
        (def.items as unknown[]).forEach((o, i) => walk(o, [...parents, String(i)]));
        break;
      case 'record':
        walk(def.valueType, [...parents, '0']);
        break;
      case 'lazy':
        walk((def.getter as () => unknown)(), parents);
        break;
    }
  };
  walk(schema, []);
  return out;
}
