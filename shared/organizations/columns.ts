/**
 * The 台账 workbook columns: one definition per column says its Chinese title (the export's header), the other
 * titles that map to it automatically on import, how a cell is parsed (Chinese labels, full-width text, the date
 * forms of `parseBusinessDate`) and how a record is written back. Export and import use the same definitions, so
 * exporting and re-importing a file changes nothing.
 */
import { headerVariants } from '../importing/limits';
import { parseBusinessDate } from '../dates/parse';
import { normalizeHeader, normalizeText } from '../text/normalize';
import {
  INCUBATION_MODE_LABELS,
  INCUBATION_STAGE_LABELS,
  parseIncubationStage,
  type IncubationMode,
  type IncubationStage,
} from './incubation';
import {
  AREA_TYPE_ALIASES,
  AREA_TYPE_LABELS,
  MASS_ORG_ALIASES,
  MASS_ORG_LABELS,
  MGMT_CLASS_ALIASES,
  MGMT_CLASS_LABELS,
  ORG_MARK_ALIASES,
  ORG_MARK_LABELS,
  ORG_STATUS_ALIASES,
  ORG_STATUS_LABELS,
  PARTY_ORG_FORM_ALIASES,
  PARTY_ORG_FORM_LABELS,
  REGISTERED_KIND_ALIASES,
  REGISTERED_KIND_LABELS,
  ORG_TEXT_RULES,
  type OrgStatus,
} from './model';

/** A raw cell as the table reader gives it. */
export type Cell = string | number | Date | null;

export interface DictEntry {
  code: string;
  label: string;
}
/** The dictionaries the columns need (codes and labels as the hub has them). */
export interface OrgDictionaries {
  org_field: DictEntry[];
  people_served: DictEntry[];
}

/**
 * One organization as the workbook carries it. Fields mirror `OrganizationInput` plus the incubation stage and
 * the withdrawal; `undefined` means "column not in the file" (keep what is stored), `null` means "empty cell".
 */
export interface OrgSheetRecord {
  name?: string | null;
  shortName?: string | null;
  creditCode?: string | null;
  creditCodeConfirmed?: boolean;
  mgmtClass?: string | null;
  registeredKind?: string | null;
  regionCode?: string | null;
  street?: string | null;
  community?: string | null;
  areaType?: string | null;
  fieldCode?: string | null;
  peopleServed?: string[];
  leaderName?: string | null;
  leaderPhone?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  memberCount?: number | null;
  volunteerCount?: number | null;
  foundedDate?: string | null;
  charterAdopted?: boolean;
  partyInCharter?: boolean;
  partyOrgForm?: string | null;
  partyInstructor?: string | null;
  massOrgs?: string[];
  marks?: string[];
  fixedActivityTime?: string | null;
  fixedActivityPlace?: string | null;
  remark?: string | null;
  incubationStage?: IncubationStage | null;
  incubationDate?: string | null;
  incubationMode?: IncubationMode | null;
  status?: OrgStatus | null;
  withdrawnDate?: string | null;
  withdrawnReason?: string | null;
}
export type OrgSheetKey = keyof OrgSheetRecord;

type Parsed<T> = { value: T } | { error: string };

export interface OrgColumn {
  key: OrgSheetKey;
  /** Title in exported workbooks and templates. */
  header: string;
  /** Other titles recognized automatically on import. */
  aliases: readonly string[];
  /** Column width in exported workbooks (characters). */
  width: number;
  /** Export cell type: dates are written as real Excel dates, counts as numbers, everything else as text. */
  type: 'text' | 'int' | 'date';
  parse(cell: Cell, dicts: OrgDictionaries): Parsed<unknown>;
  format(record: OrgSheetRecord, dicts: OrgDictionaries): string | number | null;
}

// --- cell parsers -------------------------------------------------------------------------------------------------

/** A cell as typed (not yet cleaned): dates as YYYY-MM-DD, numbers without float noise. */
const raw = (cell: Cell): string => {
  if (cell == null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return String(Number.isInteger(cell) ? cell : Number(cell.toPrecision(15)));
  return cell;
};

/** A cell's text with the standard clean-up (for labels, numbers and dates; text fields use their own rule). */
const text = (cell: Cell): string => (typeof cell === 'string' ? normalizeText(cell) : raw(cell));

/** A text field, cleaned by its rule in `ORG_TEXT_RULES` — the same one the form's `zOrganizationInput` applies. */
const parseText = (max: number, rule: (input: string) => string) => (cell: Cell): Parsed<string | null> => {
  const v = rule(raw(cell));
  if (v === '') return { value: null };
  if ([...v].length > max) return { error: `不能超过 ${max} 个字(现有 ${[...v].length} 个)` };
  return { value: v };
};

const parseInt0 = (cell: Cell): Parsed<number | null> => {
  if (cell == null) return { value: null };
  if (typeof cell === 'number') {
    return Number.isInteger(cell) && cell >= 0 ? { value: cell } : { error: `应为不小于 0 的整数,现为 ${cell}` };
  }
  const v = text(cell).replace(/[,\s]/g, '').replace(/[人名个]$/, '');
  if (v === '') return { value: null };
  if (!/^\d+$/.test(v)) return { error: `应为不小于 0 的整数,现为"${text(cell)}"` };
  const n = Number(v);
  return n > 1_000_000 ? { error: '数值过大' } : { value: n };
};

const parseDate = (cell: Cell): Parsed<string | null> => {
  if (cell == null || (typeof cell === 'string' && normalizeText(cell) === '')) return { value: null };
  const r = parseBusinessDate(cell);
  return r.ok ? { value: r.date } : { error: r.reason };
};

const TRUE_WORDS = new Set(['是', '有', '已', '已制定', '已入章', 'Y', 'YES', 'TRUE', '1', '√', '✓', '✔']);
const FALSE_WORDS = new Set(['否', '无', '未', '未制定', '未入章', 'N', 'NO', 'FALSE', '0', '×', '✗', '-']);
const parseBool = (cell: Cell): Parsed<boolean> => {
  const v = text(cell).toUpperCase();
  if (v === '') return { value: false };
  if (TRUE_WORDS.has(v)) return { value: true };
  if (FALSE_WORDS.has(v)) return { value: false };
  return { error: `应填"是"或"否",现为"${text(cell)}"` };
};

/** Enumeration by Chinese label, alias, or code. */
function enumParser<T extends string>(labels: Record<T, string>, aliases: Record<string, T>) {
  // the labels' compact forms, computed once (normalizing every label for every cell was a third of parsing a row)
  const byCompactLabel = new Map<string, T>();
  for (const [code, label] of Object.entries(labels) as [T, string][]) {
    const key = normalizeText(label).replace(/ /g, '');
    if (!byCompactLabel.has(key)) byCompactLabel.set(key, code);
  }
  return (cell: Cell): Parsed<T | null> => {
    const v = text(cell);
    if (v === '') return { value: null };
    const compact = v.replace(/ /g, '');
    if (compact in labels) return { value: compact as T };
    const byLabel = byCompactLabel.get(compact);
    if (byLabel !== undefined) return { value: byLabel };
    const hit = aliases[compact];
    if (hit) return { value: hit };
    return { error: `"${v}"不是有效的选项(可填:${Object.values<string>(labels).join('、')})` };
  };
}

const SPLIT = /[、,;/|\n]+/;

function multiEnumParser<T extends string>(labels: Record<T, string>, aliases: Record<string, T>) {
  const one = enumParser(labels, aliases);
  return (cell: Cell): Parsed<T[]> => {
    const parts = text(cell).split(SPLIT).map((s) => s.trim()).filter(Boolean);
    const out: T[] = [];
    for (const p of parts) {
      const r = one(p);
      if ('error' in r) return r;
      if (r.value && !out.includes(r.value)) out.push(r.value);
    }
    return { value: out };
  };
}

/** Per dictionary list: compact label → code (first entry wins) and upper-case code → code, built once per list. */
const dictIndexes = new WeakMap<DictEntry[], { byLabel: Map<string, string>; byCode: Map<string, string> }>();

function lookupDict(entries: DictEntry[], v: string): string | null {
  let index = dictIndexes.get(entries);
  if (!index) {
    index = { byLabel: new Map(), byCode: new Map() };
    for (const e of entries) {
      const label = normalizeText(e.label).replace(/ /g, '');
      if (!index.byLabel.has(label)) index.byLabel.set(label, e.code);
      const code = e.code.toUpperCase();
      if (!index.byCode.has(code)) index.byCode.set(code, e.code);
    }
    dictIndexes.set(entries, index);
  }
  const compact = v.replace(/ /g, '');
  return index.byLabel.get(compact) ?? index.byCode.get(compact.toUpperCase()) ?? null;
}

const dictLabel = (entries: DictEntry[], code: string | null | undefined) =>
  code == null ? null : (entries.find((e) => e.code === code)?.label ?? code);

// --- formatters ---------------------------------------------------------------------------------------------------

const str = (v: unknown): string | null => (v == null || v === '' ? null : String(v));
const yesNo = (v: boolean | undefined) => (v ? '是' : '否');
const labelOf = <T extends string>(labels: Record<T, string>, v: string | null | undefined) =>
  v == null ? null : (labels[v as T] ?? v);
const joinLabels = <T extends string>(labels: Record<T, string>, vs: readonly string[] | undefined) =>
  vs && vs.length ? vs.map((v) => labels[v as T] ?? v).join('、') : null;

// --- the columns --------------------------------------------------------------------------------------------------

export const ORG_COLUMNS: readonly OrgColumn[] = [
  {
    key: 'name',
    header: '组织名称',
    aliases: ['名称', '社会组织名称', '社区社会组织名称', '组织全称', '单位名称'],
    width: 30,
    type: 'text',
    parse: parseText(100, ORG_TEXT_RULES.name),
    format: (r) => str(r.name),
  },
  { key: 'shortName', header: '简称', aliases: ['组织简称'], width: 14, type: 'text', parse: parseText(40, ORG_TEXT_RULES.shortName), format: (r) => str(r.shortName) },
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    aliases: ['信用代码', '社会信用代码', '统一代码'],
    width: 22,
    type: 'text',
    parse: (cell) => {
      const v = ORG_TEXT_RULES.creditCode(raw(cell));
      return { value: v === '' ? null : v };
    },
    format: (r) => str(r.creditCode),
  },
  {
    key: 'creditCodeConfirmed',
    header: '代码已核对证书',
    aliases: ['已核对证书', '代码已确认'],
    width: 10,
    type: 'text',
    parse: parseBool,
    format: (r) => yesNo(r.creditCodeConfirmed),
  },
  {
    key: 'mgmtClass',
    header: '管理类别',
    aliases: ['类别', '分类', '管理分类', '组织类别'],
    width: 14,
    type: 'text',
    parse: enumParser(MGMT_CLASS_LABELS, MGMT_CLASS_ALIASES),
    format: (r) => labelOf(MGMT_CLASS_LABELS, r.mgmtClass),
  },
  {
    key: 'registeredKind',
    header: '登记类型',
    aliases: ['组织类型', '登记类别'],
    width: 12,
    type: 'text',
    parse: enumParser(REGISTERED_KIND_LABELS, REGISTERED_KIND_ALIASES),
    format: (r) => labelOf(REGISTERED_KIND_LABELS, r.registeredKind),
  },
  {
    key: 'regionCode',
    header: '行政区划代码',
    aliases: ['区划代码', '所在地区划代码'],
    width: 14,
    type: 'text',
    parse: (cell) => {
      const v = ORG_TEXT_RULES.regionCode(raw(cell));
      if (v === '') return { value: null };
      return /^\d{6}(\d{3}(\d{3})?)?$/.test(v) ? { value: v } : { error: '应为 6、9 或 12 位数字' };
    },
    format: (r) => str(r.regionCode),
  },
  { key: 'street', header: '街道(乡镇)', aliases: ['街道', '乡镇', '所属街道', '街道/乡镇', '乡镇(街道)'], width: 14, type: 'text', parse: parseText(60, ORG_TEXT_RULES.street), format: (r) => str(r.street) },
  { key: 'community', header: '社区(村)', aliases: ['社区', '村', '所属社区', '社区/村', '村(社区)'], width: 14, type: 'text', parse: parseText(60, ORG_TEXT_RULES.community), format: (r) => str(r.community) },
  {
    key: 'areaType',
    header: '城市/农村',
    aliases: ['城乡', '城乡类别', '城市或农村'],
    width: 10,
    type: 'text',
    parse: enumParser(AREA_TYPE_LABELS, AREA_TYPE_ALIASES),
    format: (r) => labelOf(AREA_TYPE_LABELS, r.areaType),
  },
  {
    key: 'fieldCode',
    header: '活动领域',
    aliases: ['领域', '服务领域', '类型'],
    width: 14,
    type: 'text',
    parse: (cell, dicts) => {
      const v = text(cell);
      if (v === '') return { value: null };
      const code = lookupDict(dicts.org_field, v);
      return code ? { value: code } : { error: `"${v}"不在活动领域字典中(可填:${dicts.org_field.map((e) => e.label).join('、')})` };
    },
    format: (r, d) => dictLabel(d.org_field, r.fieldCode),
  },
  {
    key: 'peopleServed',
    header: '服务对象',
    aliases: ['服务人群', '服务对象类型'],
    width: 24,
    type: 'text',
    parse: (cell, dicts) => {
      const parts = text(cell).split(SPLIT).map((s) => s.trim()).filter(Boolean);
      const out: string[] = [];
      for (const p of parts) {
        const code = lookupDict(dicts.people_served, p);
        if (!code) return { error: `"${p}"不在服务对象字典中` };
        if (!out.includes(code)) out.push(code);
      }
      return { value: out };
    },
    format: (r, d) => (r.peopleServed && r.peopleServed.length ? r.peopleServed.map((c) => dictLabel(d.people_served, c)).join('、') : null),
  },
  { key: 'leaderName', header: '负责人', aliases: ['负责人姓名', '法定代表人', '负责人/联系人'], width: 10, type: 'text', parse: parseText(40, ORG_TEXT_RULES.leaderName), format: (r) => str(r.leaderName) },
  { key: 'leaderPhone', header: '负责人电话', aliases: ['负责人手机', '负责人联系电话', '电话', '手机'], width: 14, type: 'text', parse: parseText(40, ORG_TEXT_RULES.leaderPhone), format: (r) => str(r.leaderPhone) },
  { key: 'contactName', header: '联系人', aliases: ['联系人姓名'], width: 10, type: 'text', parse: parseText(40, ORG_TEXT_RULES.contactName), format: (r) => str(r.contactName) },
  { key: 'contactPhone', header: '联系人电话', aliases: ['联系电话', '联系人手机'], width: 14, type: 'text', parse: parseText(40, ORG_TEXT_RULES.contactPhone), format: (r) => str(r.contactPhone) },
  { key: 'memberCount', header: '成员人数', aliases: ['成员数', '会员人数', '固定成员人数', '人数'], width: 10, type: 'int', parse: parseInt0, format: (r) => r.memberCount ?? null },
  { key: 'volunteerCount', header: '志愿者人数', aliases: ['志愿者数'], width: 10, type: 'int', parse: parseInt0, format: (r) => r.volunteerCount ?? null },
  { key: 'foundedDate', header: '成立日期', aliases: ['成立时间', '成立年月'], width: 12, type: 'date', parse: parseDate, format: (r) => str(r.foundedDate) },
  { key: 'charterAdopted', header: '已制定章程', aliases: ['章程', '有无章程', '是否有章程'], width: 10, type: 'text', parse: parseBool, format: (r) => yesNo(r.charterAdopted) },
  { key: 'partyInCharter', header: '党建入章', aliases: ['党建工作写入章程', '是否党建入章'], width: 10, type: 'text', parse: parseBool, format: (r) => yesNo(r.partyInCharter) },
  {
    key: 'partyOrgForm',
    header: '党组织形式',
    aliases: ['党组织建设', '党组织', '党建形式'],
    width: 14,
    type: 'text',
    parse: enumParser(PARTY_ORG_FORM_LABELS, PARTY_ORG_FORM_ALIASES),
    format: (r) => labelOf(PARTY_ORG_FORM_LABELS, r.partyOrgForm),
  },
  { key: 'partyInstructor', header: '党建指导员', aliases: ['指导员'], width: 10, type: 'text', parse: parseText(40, ORG_TEXT_RULES.partyInstructor), format: (r) => str(r.partyInstructor) },
  {
    key: 'massOrgs',
    header: '群团组织',
    aliases: ['工青妇组织', '群团'],
    width: 16,
    type: 'text',
    parse: multiEnumParser(MASS_ORG_LABELS, MASS_ORG_ALIASES),
    format: (r) => joinLabels(MASS_ORG_LABELS, r.massOrgs),
  },
  {
    key: 'marks',
    header: '标识',
    aliases: ['组织标识', '品牌/试点'],
    width: 18,
    type: 'text',
    parse: multiEnumParser(ORG_MARK_LABELS, ORG_MARK_ALIASES),
    format: (r) => joinLabels(ORG_MARK_LABELS, r.marks),
  },
  { key: 'fixedActivityTime', header: '固定活动时间', aliases: ['活动时间'], width: 16, type: 'text', parse: parseText(100, ORG_TEXT_RULES.fixedActivityTime), format: (r) => str(r.fixedActivityTime) },
  { key: 'fixedActivityPlace', header: '固定活动地点', aliases: ['活动地点', '活动场所'], width: 18, type: 'text', parse: parseText(100, ORG_TEXT_RULES.fixedActivityPlace), format: (r) => str(r.fixedActivityPlace) },
  {
    key: 'incubationStage',
    header: '孵化阶段',
    aliases: ['孵化状态'],
    width: 10,
    type: 'text',
    parse: (cell) => {
      const v = text(cell);
      if (v === '') return { value: null };
      const s = parseIncubationStage(v);
      return s ? { value: s } : { error: `"${v}"不是有效的孵化阶段(可填:${Object.values(INCUBATION_STAGE_LABELS).join('、')})` };
    },
    format: (r) => labelOf(INCUBATION_STAGE_LABELS, r.incubationStage),
  },
  { key: 'incubationDate', header: '阶段日期', aliases: ['孵化阶段日期', '入驻日期'], width: 12, type: 'date', parse: parseDate, format: (r) => str(r.incubationDate) },
  {
    key: 'incubationMode',
    header: '孵化方式',
    aliases: [],
    width: 10,
    type: 'text',
    parse: enumParser(INCUBATION_MODE_LABELS, { 实体: 'physical', 实体孵化: 'physical', 入驻: 'physical', 虚拟: 'virtual', 虚拟入驻: 'virtual' }),
    format: (r) => labelOf(INCUBATION_MODE_LABELS, r.incubationMode),
  },
  {
    key: 'status',
    header: '状态',
    aliases: ['组织状态'],
    width: 8,
    type: 'text',
    parse: enumParser(ORG_STATUS_LABELS, ORG_STATUS_ALIASES),
    format: (r) => labelOf(ORG_STATUS_LABELS, r.status),
  },
  { key: 'withdrawnDate', header: '退出日期', aliases: ['注销日期'], width: 12, type: 'date', parse: parseDate, format: (r) => str(r.withdrawnDate) },
  { key: 'withdrawnReason', header: '退出原因', aliases: ['注销原因'], width: 20, type: 'text', parse: parseText(200, ORG_TEXT_RULES.withdrawnReason), format: (r) => str(r.withdrawnReason) },
  { key: 'remark', header: '备注', aliases: ['说明'], width: 24, type: 'text', parse: parseText(1000, ORG_TEXT_RULES.remark), format: (r) => str(r.remark) },
];

export const ORG_COLUMN_BY_KEY: ReadonlyMap<OrgSheetKey, OrgColumn> = new Map(ORG_COLUMNS.map((c) => [c.key, c]));

/** Every title the importer recognizes (headers and aliases): pass to `readTable` as `expectedHeaders`. */
export const ORG_KNOWN_HEADERS: readonly string[] = ORG_COLUMNS.flatMap((c) => [c.header, ...c.aliases]);

/** Column index in the file → record key (or null = ignore this column). */
export type ColumnMapping = (OrgSheetKey | null)[];

/**
 * Maps file headers to columns automatically: exact title first, then aliases; each key is used once (the first
 * column wins), so two columns titled 电话 do not both fill 负责人电话.
 */
export function autoMapHeaders(headers: readonly string[]): ColumnMapping {
  const used = new Set<OrgSheetKey>();
  const byTitle = new Map<string, OrgSheetKey>();
  const byAlias = new Map<string, OrgSheetKey>();
  for (const c of ORG_COLUMNS) {
    byTitle.set(normalizeHeader(c.header), c.key);
    for (const a of c.aliases) if (!byAlias.has(normalizeHeader(a))) byAlias.set(normalizeHeader(a), c.key);
  }
  const mapping: ColumnMapping = headers.map(() => null);
  // exact titles first, so an alias elsewhere in the file never steals a column that is titled exactly
  headers.forEach((h, i) => {
    const key = byTitle.get(normalizeHeader(h));
    if (key && !used.has(key)) {
      mapping[i] = key;
      used.add(key);
    }
  });
  headers.forEach((h, i) => {
    if (mapping[i]) return;
    const key = byAlias.get(normalizeHeader(h));
    if (key && !used.has(key)) {
      mapping[i] = key;
      used.add(key);
    }
  });
  // a title from a header over two rows (负责人·联系电话): by its group and sub-header, most specific first
  headers.forEach((h, i) => {
    if (mapping[i] || !h.includes('·')) return;
    for (const v of headerVariants(normalizeHeader(h)).slice(1)) {
      const key = byTitle.get(v) ?? byAlias.get(v);
      if (key && !used.has(key)) {
        mapping[i] = key;
        used.add(key);
        return;
      }
    }
  });
  return mapping;
}

/** Checks a user-edited mapping: the name column is required and no key may appear twice. Chinese messages. */
export function checkMapping(mapping: ColumnMapping, headers: readonly string[]): string[] {
  const issues: string[] = [];
  const seen = new Map<OrgSheetKey, number>();
  mapping.forEach((key, i) => {
    if (!key) return;
    if (!ORG_COLUMN_BY_KEY.has(key)) issues.push(`第 ${i + 1} 列对应的字段无效`);
    else if (seen.has(key)) {
      issues.push(`"${ORG_COLUMN_BY_KEY.get(key)!.header}"同时对应了第 ${seen.get(key)! + 1} 列(${headers[seen.get(key)!] || '无标题'})和第 ${i + 1} 列(${headers[i] || '无标题'})`);
    } else seen.set(key, i);
  });
  if (!seen.has('name')) issues.push('必须有一列对应"组织名称"');
  return issues;
}

/** A stable key of a file layout, for remembering the user's mapping: the normalized titles in order. */
export function headerSignature(headers: readonly string[]): string {
  return headers.map((h) => normalizeHeader(h)).join('|');
}

export interface CellIssue {
  /** Row number in the file. */
  row: number;
  /** Column title in the file (or the field label when the column is not in the file). */
  column: string;
  message: string;
}

/** Parses one row's mapped cells; cells that do not parse become issues naming the row and the file's column. */
export function parseSheetRow(
  rowNumber: number,
  cells: readonly Cell[],
  mapping: ColumnMapping,
  headers: readonly string[],
  dicts: OrgDictionaries,
): { record: OrgSheetRecord; issues: CellIssue[] } {
  const record: Record<string, unknown> = {};
  const issues: CellIssue[] = [];
  mapping.forEach((key, i) => {
    if (!key) return;
    const column = ORG_COLUMN_BY_KEY.get(key)!;
    const r = column.parse(cells[i] ?? null, dicts);
    if ('error' in r) issues.push({ row: rowNumber, column: headers[i] || column.header, message: r.error });
    else record[key] = r.value;
  });
  return { record: record as OrgSheetRecord, issues };
}

/** The export row of a record: one value per column of `ORG_COLUMNS` (dates as 'YYYY-MM-DD' text for the writer to turn into Excel dates). */
export function formatSheetRow(record: OrgSheetRecord, dicts: OrgDictionaries): (string | number | null)[] {
  return ORG_COLUMNS.map((c) => c.format(record, dicts));
}
