/**
 * The organization list as ag-grid's infinite row model asks for it: a block of rows with the grid's sort model
 * and filter model, plus the search box and the toolbar's quick filters. Everything is applied in SQL by the
 * core; this module fixes which columns may be filtered and sorted, and how, so the renderer and the core agree
 * and nothing else reaches the query.
 */
import { z } from 'zod';
import { INCUBATION_STAGES } from './incubation';
import { MGMT_CLASSES, ORG_MARKS, ORG_STATUSES, AREA_TYPES, PARTY_ORG_FORMS } from './model';

/** Grid columns that can be filtered/sorted, with the filter kind the grid uses for them. */
export const ORG_LIST_COLUMNS = {
  name: 'text',
  shortName: 'text',
  creditCode: 'text',
  mgmtClass: 'enum',
  registeredKind: 'enum',
  street: 'text',
  community: 'text',
  areaType: 'enum',
  fieldCode: 'enum',
  leaderName: 'text',
  leaderPhone: 'text',
  memberCount: 'number',
  volunteerCount: 'number',
  foundedDate: 'date',
  partyOrgForm: 'enum',
  incubationStage: 'enum',
  incubationDate: 'date',
  status: 'enum',
  activityCount: 'number',
  lastActivityDate: 'date',
  latestGrade: 'text',
  updatedAt: 'date',
} as const;
export type OrgListColumn = keyof typeof ORG_LIST_COLUMNS;
const listColumnIds = Object.keys(ORG_LIST_COLUMNS) as [OrgListColumn, ...OrgListColumn[]];

const TEXT_OPS = ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank'] as const;
const NUMBER_OPS = ['equals', 'notEqual', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'inRange', 'blank', 'notBlank'] as const;
const DATE_OPS = ['equals', 'notEqual', 'lessThan', 'greaterThan', 'inRange', 'blank', 'notBlank'] as const;

const zTextCondition = z.object({ filterType: z.literal('text'), type: z.enum(TEXT_OPS), filter: z.string().max(200).nullish() });
const zNumberCondition = z.object({
  filterType: z.literal('number'),
  type: z.enum(NUMBER_OPS),
  filter: z.number().finite().nullish(),
  filterTo: z.number().finite().nullish(),
});
/** ag-grid sends dates as 'YYYY-MM-DD hh:mm:ss'; only the day is used. */
const zGridDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/)
  .transform((s) => s.slice(0, 10))
  .nullish();
const zDateCondition = z.object({ filterType: z.literal('date'), type: z.enum(DATE_OPS), dateFrom: zGridDate, dateTo: zGridDate });
/** Enumerations are filtered by a set of codes (a small custom filter in the grid). */
const zEnumCondition = z.object({ filterType: z.literal('enum'), values: z.array(z.string().max(40)).max(100) });

const combined = <T extends z.ZodType>(cond: T) =>
  z.union([cond, z.object({ filterType: z.string(), operator: z.enum(['AND', 'OR']), conditions: z.array(cond).min(1).max(4) })]);

export const zOrgColumnFilter = z.union([combined(zTextCondition), combined(zNumberCondition), combined(zDateCondition), zEnumCondition]);
export type OrgColumnFilter = z.infer<typeof zOrgColumnFilter>;
export type TextCondition = z.infer<typeof zTextCondition>;
export type NumberCondition = z.infer<typeof zNumberCondition>;
export type DateCondition = z.infer<typeof zDateCondition>;
export type EnumCondition = z.infer<typeof zEnumCondition>;

export const zOrgFilterModel = z.partialRecord(z.enum(listColumnIds), zOrgColumnFilter);
export type OrgFilterModel = z.infer<typeof zOrgFilterModel>;

export const zOrgSortModel = z.array(z.object({ colId: z.enum(listColumnIds), sort: z.enum(['asc', 'desc']) })).max(3);

/** The toolbar's quick filters (in addition to column filters). */
export const zOrgQuickFilters = z
  .object({
    mgmtClass: z.array(z.enum(MGMT_CLASSES)).max(3).optional(),
    incubationStage: z.array(z.enum(INCUBATION_STAGES)).max(5).optional(),
    status: z.array(z.enum(ORG_STATUSES)).max(2).optional(),
    areaType: z.enum(AREA_TYPES).optional(),
    partyOrgForm: z.array(z.enum(PARTY_ORG_FORMS)).max(4).optional(),
    street: z.string().max(60).optional(),
    fieldCode: z.string().max(20).optional(),
    peopleServed: z.string().max(20).optional(),
    mark: z.enum(ORG_MARKS).optional(),
    /** Only organizations past their incubation term. */
    overdue: z.boolean().optional(),
    /** Only filed organizations that fail a filing condition. */
    filingWarnings: z.boolean().optional(),
    /** Only organizations with a code kept by confirmation (pilot codes that fail the check). */
    confirmedCode: z.boolean().optional(),
  })
  .strict();
export type OrgQuickFilters = z.infer<typeof zOrgQuickFilters>;

export const zOrgQuery = z.object({
  search: z.string().max(100).optional(),
  filterModel: zOrgFilterModel.optional(),
  quick: zOrgQuickFilters.optional(),
});
export type OrgQuery = z.infer<typeof zOrgQuery>;

export const zOrgListInput = zOrgQuery.extend({
  startRow: z.number().int().min(0),
  endRow: z.number().int().min(1),
  sortModel: zOrgSortModel.optional(),
  /** Ask for the total row count (the grid needs it once per query, not per block). */
  withCount: z.boolean().optional(),
});
export type OrgListInput = z.infer<typeof zOrgListInput>;

/** Largest block the list serves at once. */
export const ORG_LIST_MAX_BLOCK = 500;

/**
 * What the search box means: digits only (3–11) → phone tail or code fragment; 18 code characters → credit code;
 * Latin letters → pinyin initials/full pinyin or code; anything else → name/short name/leader. Returned for the
 * core to build its query and for the UI to explain what was searched.
 */
export type SearchKind = 'phoneOrCode' | 'creditCode' | 'pinyinOrCode' | 'text';
export function classifySearch(term: string): SearchKind {
  const t = term.trim();
  if (/^\d{3,11}$/.test(t)) return 'phoneOrCode';
  if (/^[0-9A-Za-z]{18}$/.test(t) && /\d/.test(t)) return 'creditCode';
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(t)) return 'pinyinOrCode';
  return 'text';
}

/** Dimensions of the grouping counts (and the per-street summary). */
export const ORG_GROUP_BY = ['street', 'mgmtClass', 'fieldCode', 'incubationStage', 'areaType', 'status'] as const;
export type OrgGroupBy = (typeof ORG_GROUP_BY)[number];
export const ORG_GROUP_BY_LABELS: Record<OrgGroupBy, string> = {
  street: '街道(乡镇)',
  mgmtClass: '管理类别',
  fieldCode: '活动领域',
  incubationStage: '孵化阶段',
  areaType: '城市/农村',
  status: '状态',
};
