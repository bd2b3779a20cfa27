/**
 * The organization record (社区社会组织台账): fixed enumerations with their Chinese labels, and the zod schema of
 * what a form or an import gives for one organization. Editable lists (field, people served) are dictionary codes.
 */
import { z } from 'zod';
import { isBusinessDate } from '../dates/parse';
import { canStoreCreditCode } from './creditCode';
import { normalizeCode, normalizeMultiline, normalizeName, normalizePhone, normalizeText } from '../text/normalize';

/** Management class (分类管理). */
export const MGMT_CLASSES = ['registered', 'filed', 'guided'] as const;
export type MgmtClass = (typeof MGMT_CLASSES)[number];
export const MGMT_CLASS_LABELS: Record<MgmtClass, string> = {
  registered: '依法登记',
  filed: '街道(乡镇)备案',
  guided: '社区(村)指导',
};
export const MGMT_CLASS_ALIASES: Record<string, MgmtClass> = {
  依法登记: 'registered',
  登记: 'registered',
  已登记: 'registered',
  '街道(乡镇)备案': 'filed',
  街道备案: 'filed',
  乡镇备案: 'filed',
  备案: 'filed',
  '社区(村)指导': 'guided',
  社区指导: 'guided',
  村指导: 'guided',
  指导: 'guided',
};

/** Registered kind (登记类型), only for `registered`. */
export const REGISTERED_KINDS = ['social_group', 'social_service', 'foundation'] as const;
export type RegisteredKind = (typeof REGISTERED_KINDS)[number];
export const REGISTERED_KIND_LABELS: Record<RegisteredKind, string> = {
  social_group: '社会团体',
  social_service: '社会服务机构',
  foundation: '基金会',
};
export const REGISTERED_KIND_ALIASES: Record<string, RegisteredKind> = {
  社会团体: 'social_group',
  社团: 'social_group',
  社会服务机构: 'social_service',
  '社会服务机构(民办非企业单位)': 'social_service',
  民办非企业单位: 'social_service',
  民非: 'social_service',
  基金会: 'foundation',
};

export const AREA_TYPES = ['urban', 'rural'] as const;
export type AreaType = (typeof AREA_TYPES)[number];
export const AREA_TYPE_LABELS: Record<AreaType, string> = { urban: '城市', rural: '农村' };
export const AREA_TYPE_ALIASES: Record<string, AreaType> = { 城市: 'urban', 城镇: 'urban', 城: 'urban', 农村: 'rural', 乡村: 'rural', 农: 'rural' };

/** Party organization (党组织建设形式). */
export const PARTY_ORG_FORMS = ['standalone', 'joint', 'instructor', 'none'] as const;
export type PartyOrgForm = (typeof PARTY_ORG_FORMS)[number];
export const PARTY_ORG_FORM_LABELS: Record<PartyOrgForm, string> = {
  standalone: '单独建立',
  joint: '联合组建',
  instructor: '选派党建指导员',
  none: '无',
};
export const PARTY_ORG_FORM_ALIASES: Record<string, PartyOrgForm> = {
  单独建立: 'standalone',
  单独组建: 'standalone',
  单建: 'standalone',
  联合组建: 'joint',
  联合建立: 'joint',
  联建: 'joint',
  选派党建指导员: 'instructor',
  党建指导员: 'instructor',
  指导员: 'instructor',
  无: 'none',
  未建立: 'none',
  未建: 'none',
};

/** Mass organizations present (群团组织). */
export const MASS_ORGS = ['union', 'youth', 'women'] as const;
export type MassOrg = (typeof MASS_ORGS)[number];
export const MASS_ORG_LABELS: Record<MassOrg, string> = { union: '工会', youth: '共青团', women: '妇联' };
export const MASS_ORG_ALIASES: Record<string, MassOrg> = { 工会: 'union', 共青团: 'youth', 团组织: 'youth', 团支部: 'youth', 妇联: 'women', 妇女组织: 'women' };

/** Marks (标识). */
export const ORG_MARKS = ['brand', 'pilot', 'rural_pilot'] as const;
export type OrgMark = (typeof ORG_MARKS)[number];
export const ORG_MARK_LABELS: Record<OrgMark, string> = { brand: '品牌/示范', pilot: '试点/观察点', rural_pilot: '农村试点' };
export const ORG_MARK_ALIASES: Record<string, OrgMark> = {
  '品牌/示范': 'brand',
  品牌: 'brand',
  示范: 'brand',
  品牌组织: 'brand',
  示范组织: 'brand',
  '试点/观察点': 'pilot',
  试点: 'pilot',
  观察点: 'pilot',
  农村试点: 'rural_pilot',
  农村观察点: 'rural_pilot',
};

/** Whether the organization is on the books or has left (退出 keeps the record and its reason). */
export const ORG_STATUSES = ['active', 'withdrawn'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];
export const ORG_STATUS_LABELS: Record<OrgStatus, string> = { active: '正常', withdrawn: '已退出' };
export const ORG_STATUS_ALIASES: Record<string, OrgStatus> = { 正常: 'active', 在册: 'active', 活跃: 'active', 已退出: 'withdrawn', 退出: 'withdrawn', 注销: 'withdrawn', 已注销: 'withdrawn' };

/**
 * How each text field of an organization is cleaned — the one rule the form, the API and the 台账 import share
 * (`zOrganizationInput` below and `ORG_COLUMNS` both take it from here), so a record typed with （）, full-width
 * digits or two spaces is stored as its own export re-imports it: names of people, organizations and places drop
 * the spaces between Chinese characters, codes lose every blank and are upper case, phones lose their separators,
 * the remark keeps its line breaks.
 */
export const ORG_TEXT_RULES = {
  name: normalizeName,
  shortName: normalizeText,
  creditCode: normalizeCode,
  regionCode: normalizeCode,
  street: normalizeName,
  community: normalizeName,
  leaderName: normalizeName,
  leaderPhone: normalizePhone,
  contactName: normalizeName,
  contactPhone: normalizePhone,
  partyInstructor: normalizeName,
  fixedActivityTime: normalizeText,
  fixedActivityPlace: normalizeText,
  remark: normalizeMultiline,
  withdrawnReason: normalizeText,
} as const satisfies Record<string, (input: string) => string>;

const optText = (max: number, rule: (input: string) => string) =>
  z
    .string()
    .overwrite(rule)
    .max(max, `不能超过 ${max} 个字`)
    .nullable()
    .optional()
    .transform((v) => (v == null || v === '' ? null : v));
const optCount = z.number().int('应为整数').min(0, '不能为负数').max(1_000_000, '数值过大').nullable().optional().transform((v) => v ?? null);
const optDate = z
  .string()
  .nullable()
  .optional()
  .refine((v) => v == null || v === '' || isBusinessDate(v), '日期应为 YYYY-MM-DD 格式的真实日期')
  .transform((v) => (v == null || v === '' ? null : v));

/**
 * Why a phone number (separators already removed) is not one, or null: an 11-digit mobile starting with 1, a
 * landline with its area code (0 + 2–3 digits, then 7–8 digits: 02887654321, 075512345678), a 400/800 service
 * number, optionally +86/0086 in front and one extension (转123).
 */
export function phoneProblem(v: string): string | null {
  const m = /^(?:\+86|0086)?(\d+)(?:转\d{1,6})?$/.exec(v);
  if (!m) return '电话号码只能包含数字(可带"转"分机号)';
  const d = m[1];
  if (d.startsWith('1')) return /^1[3-9]\d{9}$/.test(d) ? null : `手机号码应为以 1 开头的 11 位数字(现为 ${d.length} 位)`;
  if (d.startsWith('0')) return /^0\d{2,3}\d{7,8}$/.test(d) && d.length >= 10 && d.length <= 12 ? null : '座机号码应带区号(如 028-87654321)';
  if (/^[48]00\d{7}$/.test(d)) return null;
  return '电话号码应为 11 位手机号码或带区号的座机号码(如 028-87654321)';
}

/** Phone: a mobile or a landline with area code (see `phoneProblem`); cleaned by `normalizePhone` (half-width, no blanks, dashes, dots or brackets). */
export const zPhone = z
  .string()
  .max(40)
  .nullable()
  .optional()
  .transform((v) => (v == null ? null : normalizePhone(v) || null))
  .superRefine((v, ctx) => {
    const problem = v == null ? null : phoneProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** What a form or an import row gives for one organization (the core adds id, search keys and bookkeeping). */
export const zOrganizationInput = z
  .object({
    name: z.string().overwrite(ORG_TEXT_RULES.name).min(2, '组织名称至少 2 个字').max(100, '组织名称不能超过 100 个字'),
    shortName: optText(40, ORG_TEXT_RULES.shortName),
    creditCode: optText(40, ORG_TEXT_RULES.creditCode),
    /** The user confirmed a code that fails its check against the certificate. */
    creditCodeConfirmed: z.boolean().default(false),
    mgmtClass: z.enum(MGMT_CLASSES, '请选择管理类别'),
    registeredKind: z.enum(REGISTERED_KINDS).nullable().optional().transform((v) => v ?? null),
    regionCode: optText(12, ORG_TEXT_RULES.regionCode).refine((v) => v == null || /^\d{6}(\d{3}(\d{3})?)?$/.test(v), '行政区划代码应为 6、9 或 12 位数字'),
    street: optText(60, ORG_TEXT_RULES.street),
    community: optText(60, ORG_TEXT_RULES.community),
    areaType: z.enum(AREA_TYPES).nullable().optional().transform((v) => v ?? null),
    fieldCode: optText(20, (v) => v.trim()),
    peopleServed: z.array(z.string().max(20)).max(50).default([]),
    leaderName: optText(40, ORG_TEXT_RULES.leaderName),
    leaderPhone: zPhone,
    contactName: optText(40, ORG_TEXT_RULES.contactName),
    contactPhone: zPhone,
    memberCount: optCount,
    volunteerCount: optCount,
    foundedDate: optDate,
    charterAdopted: z.boolean().default(false),
    partyInCharter: z.boolean().default(false),
    partyOrgForm: z.enum(PARTY_ORG_FORMS).default('none'),
    partyInstructor: optText(40, ORG_TEXT_RULES.partyInstructor),
    massOrgs: z.array(z.enum(MASS_ORGS)).default([]),
    marks: z.array(z.enum(ORG_MARKS)).default([]),
    fixedActivityTime: optText(100, ORG_TEXT_RULES.fixedActivityTime),
    fixedActivityPlace: optText(100, ORG_TEXT_RULES.fixedActivityPlace),
    remark: optText(1000, ORG_TEXT_RULES.remark),
  })
  .superRefine((v, ctx) => {
    if (v.mgmtClass === 'registered' && !v.registeredKind) {
      ctx.addIssue({ code: 'custom', path: ['registeredKind'], message: '依法登记的组织请选择登记类型' });
    }
    if (v.mgmtClass !== 'registered' && v.registeredKind) {
      ctx.addIssue({ code: 'custom', path: ['registeredKind'], message: '只有依法登记的组织才有登记类型' });
    }
    if (v.mgmtClass === 'registered' && !v.creditCode) {
      ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '依法登记的组织请填写统一社会信用代码' });
    }
    if (v.creditCode) {
      // The same rule the core applies when storing (resolveCreditCode), so the form shows it with the rest.
      const d = canStoreCreditCode(v.creditCode, v.creditCodeConfirmed);
      if (!d.ok) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: d.message, params: { needsConfirmation: d.needsConfirmation } });
    }
    if (v.partyInCharter && !v.charterAdopted) {
      ctx.addIssue({ code: 'custom', path: ['partyInCharter'], message: '未制定章程时不能选择"党建入章"' });
    }
  });
export type OrganizationInput = z.output<typeof zOrganizationInput>;
export type OrganizationInputRaw = z.input<typeof zOrganizationInput>;

/** Labels of the input fields, for messages and column titles. */
export const ORG_FIELD_LABELS: Record<keyof OrganizationInput, string> = {
  name: '组织名称',
  shortName: '简称',
  creditCode: '统一社会信用代码',
  creditCodeConfirmed: '代码已核对证书',
  mgmtClass: '管理类别',
  registeredKind: '登记类型',
  regionCode: '行政区划代码',
  street: '街道(乡镇)',
  community: '社区(村)',
  areaType: '城市/农村',
  fieldCode: '活动领域',
  peopleServed: '服务对象',
  leaderName: '负责人',
  leaderPhone: '负责人电话',
  contactName: '联系人',
  contactPhone: '联系人电话',
  memberCount: '成员人数',
  volunteerCount: '志愿者人数',
  foundedDate: '成立日期',
  charterAdopted: '已制定章程',
  partyInCharter: '党建入章',
  partyOrgForm: '党组织形式',
  partyInstructor: '党建指导员',
  massOrgs: '群团组织',
  marks: '标识',
  fixedActivityTime: '固定活动时间',
  fixedActivityPlace: '固定活动地点',
  remark: '备注',
};
