/**
 * Editable dictionaries: every list a province may define differently. Codes stay stable when a label changes,
 * so records store codes. Defaults follow the national plan; a hub edits them in 系统管理 → 字典.
 */
export interface DictionaryEntryDefault {
  code: string;
  label: string;
}

export const DICTIONARY_KINDS = {
  org_field: '活动领域',
  people_served: '服务对象',
  activity_kind: '活动类型',
  activity_series: '活动品牌系列',
  training_role: '培训对象角色',
  training_category: '培训类别',
  training_format: '培训形式',
  funding_source: '资金来源',
  venue_host_type: '场地依托设施',
} as const;
export type DictionaryKind = keyof typeof DICTIONARY_KINDS;

const list = (prefix: string, labels: string[]): DictionaryEntryDefault[] =>
  labels.map((label, i) => ({ code: `${prefix}${String(i + 1).padStart(2, '0')}`, label }));

export const DEFAULT_DICTIONARIES: Record<DictionaryKind, DictionaryEntryDefault[]> = {
  org_field: list('F', ['为民服务', '公益慈善', '邻里互助', '文体娱乐', '农村生产技术服务']),
  people_served: list('P', [
    '老年人', '儿童', '妇女', '残疾人', '低保对象', '特困人员', '空巢老人', '农村留守人员', '困境儿童',
    '进城务工人员及随迁子女', '青少年', '社区居民',
  ]),
  activity_kind: list('K', ['志愿服务', '议事协商', '矛盾调解', '文化活动', '节庆活动', '文化演出', '体育竞赛', '人员集会', '培训讲座', '其他']),
  activity_series: list('S', ['邻里守望', '共建共治共享', '共创平安', '文化铸魂']),
  training_role: list('R', ['街道(乡镇)民政助理', '城乡社区工作者', '儿童主任', '社区社会组织负责人', '社区社会工作者', '社区志愿者']),
  training_category: list('C', ['党的建设', '培育发展', '能力建设', '日常运作', '社会工作知识', '应急与安全']),
  training_format: list('M', ['示范培训', '网上课堂', '新媒体教学', '现场实训']),
  funding_source: list('Z', ['政府购买服务', '公益创投', '社区基金(会)', '福利彩票公益金', '社会捐赠', '会费', '其他']),
  venue_host_type: list('H', ['街道/社区综合服务设施', '社会工作服务站', '党群服务中心']),
};
