/**
 * Read queries of the organization list: ag-grid's filter and sort models, the search box and the quick filters
 * become one SQL WHERE clause (only whitelisted columns reach SQL, values are bound), so 50,000 rows never leave
 * the database; plus grouping counts, the incubation board and the per-street summary.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isPostgres } from '../db/dialect';
import { overdueCondition } from './figures';
import { addMonths, todayInChina } from '@shared/dates/parse';
import { INCUBATION_STAGES, INCUBATION_STAGE_LABELS, incubationTerm, type IncubationStage } from '@shared/organizations/incubation';
import {
  ORG_LIST_COLUMNS,
  ORG_LIST_MAX_BLOCK,
  type DateCondition,
  type NumberCondition,
  type OrgColumnFilter,
  type OrgGroupBy,
  type OrgListColumn,
  type OrgListInput,
  type OrgQuery,
  type TextCondition,
} from '@shared/organizations/list';
import { AREA_TYPE_LABELS, MGMT_CLASS_LABELS, ORG_STATUS_LABELS } from '@shared/organizations/model';
import type { BoardCard, OrgListRow, StreetSummaryRow } from '@shared/contract/organizations';
import type { HubSettings } from '@shared/admin/settings';
import type { Db } from '../db/connection';
import { dictionaryLabels } from '../admin/dictionaries';
import { parseList } from './records';

/** Grid column → SQL column. Sorting by name uses its pinyin so 阿… comes before 张…. */
const COLUMN_SQL: Record<OrgListColumn, string> = {
  name: 'name',
  shortName: 'short_name',
  creditCode: 'credit_code',
  mgmtClass: 'mgmt_class',
  registeredKind: 'registered_kind',
  street: 'street',
  community: 'community',
  areaType: 'area_type',
  fieldCode: 'field_code',
  leaderName: 'leader_name',
  leaderPhone: 'leader_phone',
  memberCount: 'member_count',
  volunteerCount: 'volunteer_count',
  foundedDate: 'founded_date',
  partyOrgForm: 'party_org_form',
  incubationStage: 'incubation_stage',
  incubationDate: 'incubation_date',
  status: 'status',
  activityCount: 'activity_count',
  lastActivityDate: 'last_activity_date',
  latestGrade: 'latest_grade',
  updatedAt: 'updated_at',
};
const SORT_SQL: Record<OrgListColumn, string> = { ...COLUMN_SQL, name: 'name_pinyin' };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const like = (col: string, pattern: string) => sql<SqlBool>`${sql.ref(col)} LIKE ${pattern} ESCAPE '\\'`;

function textCondition(col: string, c: TextCondition): RawBuilder<SqlBool> | null {
  const v = (c.filter ?? '').trim();
  const ref = sql.ref(col);
  switch (c.type) {
    case 'blank':
      return sql<SqlBool>`(${ref} IS NULL OR ${ref} = '')`;
    case 'notBlank':
      return sql<SqlBool>`(${ref} IS NOT NULL AND ${ref} != '')`;
  }
  if (v === '') return null;
  const e = escapeLike(v);
  switch (c.type) {
    case 'contains':
      return like(col, `%${e}%`);
    case 'notContains':
      return sql<SqlBool>`(${ref} IS NULL OR NOT (${like(col, `%${e}%`)}))`;
    case 'startsWith':
      return like(col, `${e}%`);
    case 'endsWith':
      return like(col, `%${e}`);
    case 'equals':
      return sql<SqlBool>`${ref} = ${v}`;
    case 'notEqual':
      return sql<SqlBool>`(${ref} IS NULL OR ${ref} != ${v})`;
  }
  return null;
}

function numberCondition(col: string, c: NumberCondition): RawBuilder<SqlBool> | null {
  const ref = sql.ref(col);
  if (c.type === 'blank') return sql<SqlBool>`${ref} IS NULL`;
  if (c.type === 'notBlank') return sql<SqlBool>`${ref} IS NOT NULL`;
  if (c.filter == null) return null;
  const v = c.filter;
  switch (c.type) {
    case 'equals':
      return sql<SqlBool>`${ref} = ${v}`;
    case 'notEqual':
      return sql<SqlBool>`(${ref} IS NULL OR ${ref} != ${v})`;
    case 'lessThan':
      return sql<SqlBool>`${ref} < ${v}`;
    case 'lessThanOrEqual':
      return sql<SqlBool>`${ref} <= ${v}`;
    case 'greaterThan':
      return sql<SqlBool>`${ref} > ${v}`;
    case 'greaterThanOrEqual':
      return sql<SqlBool>`${ref} >= ${v}`;
    case 'inRange':
      return c.filterTo == null ? sql<SqlBool>`${ref} >= ${v}` : sql<SqlBool>`${ref} BETWEEN ${v} AND ${c.filterTo}`;
  }
  return null;
}

function dateCondition(col: string, c: DateCondition): RawBuilder<SqlBool> | null {
  const ref = sql.ref(col);
  if (c.type === 'blank') return sql<SqlBool>`${ref} IS NULL`;
  if (c.type === 'notBlank') return sql<SqlBool>`${ref} IS NOT NULL`;
  const from = c.dateFrom;
  if (!from) return null;
  // updated_at is an ISO instant; comparing its first 10 characters is close enough for a list filter
  const day = col === 'updated_at' ? sql`substr(${ref}, 1, 10)` : ref;
  switch (c.type) {
    case 'equals':
      return sql<SqlBool>`${day} = ${from}`;
    case 'notEqual':
      return sql<SqlBool>`(${ref} IS NULL OR ${day} != ${from})`;
    case 'lessThan':
      return sql<SqlBool>`${day} < ${from}`;
    case 'greaterThan':
      return sql<SqlBool>`${day} > ${from}`;
    case 'inRange':
      return c.dateTo ? sql<SqlBool>`${day} BETWEEN ${from} AND ${c.dateTo}` : sql<SqlBool>`${day} >= ${from}`;
  }
  return null;
}

function columnFilter(colId: OrgListColumn, f: OrgColumnFilter): RawBuilder<SqlBool> | null {
  const col = COLUMN_SQL[colId];
  const kind = ORG_LIST_COLUMNS[colId];
  if ('values' in f) {
    if (f.values.length === 0) return sql<SqlBool>`0`;
    return sql<SqlBool>`${sql.ref(col)} IN (${sql.join(f.values)})`;
  }
  const one = (c: unknown): RawBuilder<SqlBool> | null => {
    const cc = c as { filterType: string };
    if (cc.filterType === 'text' && (kind === 'text' || kind === 'enum')) return textCondition(col, c as TextCondition);
    if (cc.filterType === 'number' && kind === 'number') return numberCondition(col, c as NumberCondition);
    if (cc.filterType === 'date' && kind === 'date') return dateCondition(col, c as DateCondition);
    return null;
  };
  if ('operator' in f && 'conditions' in f) {
    const parts = (f.conditions as unknown[]).map(one).filter((p): p is RawBuilder<SqlBool> => p !== null);
    if (parts.length === 0) return null;
    return sql<SqlBool>`(${sql.join(parts, f.operator === 'OR' ? sql` OR ` : sql` AND `)})`;
  }
  return one(f);
}

export interface QueryEnv {
  today: string;
  settings: HubSettings;
}

/** The search box's condition (the haystack `search_text` has a narrow covering index, see migration 0008). */
export function searchCondition(search: string | undefined): RawBuilder<SqlBool> | null {
  const term = search?.trim().toLowerCase();
  return term ? like('search_text', `%${escapeLike(term)}%`) : null;
}

/**
 * The search condition as a subquery over the covering index: the matching rows are found by scanning the narrow
 * index, then fetched by rowid and sorted. Better than walking the sort order and testing every row when matches
 * are sparse (a phone tail matches a few dozen of 50,000).
 */
function searchByIndex(search: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`rowid IN (SELECT rowid FROM organizations WHERE ${searchCondition(search)!})`;
}

/** The WHERE clause of a list/export/grouping query (null = every row). */
export function buildWhere(q: OrgQuery, env: QueryEnv, opts: { searchViaIndex?: boolean } = {}): RawBuilder<SqlBool> | null {
  const parts: RawBuilder<SqlBool>[] = [];
  const search = searchCondition(q.search);
  if (search) parts.push(opts.searchViaIndex ? searchByIndex(q.search!) : search);
  for (const [colId, f] of Object.entries(q.filterModel ?? {}) as [OrgListColumn, OrgColumnFilter][]) {
    if (!f || !(colId in COLUMN_SQL)) continue;
    const p = columnFilter(colId, f);
    if (p) parts.push(p);
  }
  const k = q.quick ?? {};
  const inList = (col: string, values?: readonly string[]) => {
    if (values && values.length) parts.push(sql<SqlBool>`${sql.ref(col)} IN (${sql.join([...values])})`);
  };
  inList('mgmt_class', k.mgmtClass);
  inList('incubation_stage', k.incubationStage);
  inList('status', k.status);
  inList('party_org_form', k.partyOrgForm);
  if (k.areaType) parts.push(sql<SqlBool>`area_type = ${k.areaType}`);
  if (k.street) parts.push(sql<SqlBool>`street = ${k.street}`);
  if (k.fieldCode) parts.push(sql<SqlBool>`field_code = ${k.fieldCode}`);
  if (k.peopleServed) parts.push(like('people_served', `%"${escapeLike(k.peopleServed)}"%`));
  if (k.mark) parts.push(like('marks', `%"${k.mark}"%`));
  if (k.confirmedCode) parts.push(sql<SqlBool>`credit_code_confirmed = 1`);
  if (k.overdue) parts.push(overdueSql(env));
  if (k.filingWarnings) {
    parts.push(sql<SqlBool>`(mgmt_class = 'filed' AND (member_count IS NULL OR member_count < ${env.settings.filingMinMembers}
      OR leader_name IS NULL OR fixed_activity_time IS NULL OR fixed_activity_place IS NULL))`);
  }
  if (parts.length === 0) return null;
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

/** 超期: one definition for every screen (figures.ts). */
function overdueSql(env: QueryEnv): RawBuilder<SqlBool> {
  return overdueCondition(env);
}

const LIST_COLUMNS = [
  'id',
  'name',
  'short_name',
  'credit_code',
  'credit_code_confirmed',
  'mgmt_class',
  'registered_kind',
  'street',
  'community',
  'area_type',
  'field_code',
  'leader_name',
  'leader_phone',
  'member_count',
  'volunteer_count',
  'founded_date',
  'party_org_form',
  'marks',
  'incubation_stage',
  'incubation_date',
  'admitted_date',
  'agreement_end',
  'status',
  'activity_count',
  'last_activity_date',
  'latest_grade',
  'updated_at',
] as const;

/**
 * The list's ORDER BY: the grid's sort, else most recently changed first; `id` last, in the direction of the last
 * key, so the order is total (paging never repeats or skips a row) and (updated_at, id) can be walked as an index.
 */
export function listOrder(sortModel: OrgListInput['sortModel']): { ref: string; dir: 'asc' | 'desc' }[] {
  const sorts = (sortModel ?? []).filter((s) => SORT_SQL[s.colId]).map((s) => ({ ref: SORT_SQL[s.colId], dir: s.sort }));
  if (sorts.length === 0) sorts.push({ ref: 'updated_at', dir: 'desc' });
  return [...sorts, { ref: 'id', dir: sorts[sorts.length - 1].dir }];
}

export async function listOrganizations(db: Db, q: OrgListInput, env: QueryEnv): Promise<{ rows: OrgListRow[]; total: number | null }> {
  const where = buildWhere(q, env);
  let base = db.selectFrom('organizations');
  if (where) base = base.where(where);
  let total: number | null = null;
  if (q.withCount !== false) {
    total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  }
  const limit = Math.min(Math.max(q.endRow - q.startRow, 1), ORG_LIST_MAX_BLOCK);
  // With a search term, SQLite either walks the sort order testing each row (fast when matches are dense: it stops
  // after the block) or finds the matches in the search index first (fast when they are sparse). Walking costs
  // about (rows wanted × all rows ÷ matches) row reads, finding costs about the matches: pick the cheaper.
  let pageBase = base;
  // (PostgreSQL plans the trigram index of 0008 itself: the plain condition, no rowid subquery.)
  if (q.search?.trim() && !isPostgres(db)) {
    const all = total == null ? null : Number((await db.selectFrom('organizations').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const wanted = q.startRow + limit;
    const sparse = total == null || all == null || total === 0 || (wanted * all) / total > total;
    if (sparse) {
      pageBase = db.selectFrom('organizations');
      const viaIndex = buildWhere(q, env, { searchViaIndex: true });
      if (viaIndex) pageBase = pageBase.where(viaIndex);
    }
  }
  let rowsQ = pageBase.select(LIST_COLUMNS);
  for (const o of listOrder(q.sortModel)) rowsQ = rowsQ.orderBy(sql.ref(o.ref), o.dir);
  const rows = await rowsQ.limit(limit).offset(q.startRow).execute();
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      shortName: r.short_name,
      creditCode: r.credit_code,
      creditCodeConfirmed: r.credit_code_confirmed === 1,
      mgmtClass: r.mgmt_class,
      registeredKind: r.registered_kind,
      street: r.street,
      community: r.community,
      areaType: r.area_type,
      fieldCode: r.field_code,
      leaderName: r.leader_name,
      leaderPhone: r.leader_phone,
      memberCount: r.member_count,
      volunteerCount: r.volunteer_count,
      foundedDate: r.founded_date,
      partyOrgForm: r.party_org_form,
      marks: parseList(r.marks),
      incubationStage: r.incubation_stage as IncubationStage | null,
      incubationDate: r.incubation_date,
      status: r.status,
      activityCount: r.activity_count,
      lastActivityDate: r.last_activity_date,
      latestGrade: r.latest_grade,
      updatedAt: r.updated_at,
      overdue: incubationTerm({
        stage: r.incubation_stage as IncubationStage | null,
        admittedDate: r.admitted_date,
        agreementEnd: r.agreement_end,
        termMonths: env.settings.incubationTermMonths,
        today: env.today,
      }).overdue,
    })),
  };
}

const GROUP_SQL: Record<OrgGroupBy, string> = {
  street: 'street',
  mgmtClass: 'mgmt_class',
  fieldCode: 'field_code',
  incubationStage: 'incubation_stage',
  areaType: 'area_type',
  status: 'status',
};

/** Grouping counts (ag-grid community has no row grouping: the counts come from SQL). */
export async function groupCounts(db: Db, q: OrgQuery, by: OrgGroupBy, env: QueryEnv): Promise<{ key: string | null; label: string; count: number }[]> {
  const where = buildWhere(q, env);
  const col = GROUP_SQL[by];
  let base = db.selectFrom('organizations');
  if (where) base = base.where(where);
  const rows = await base
    .select([sql<string | null>`${sql.ref(col)}`.as('k'), sql<number>`count(*)`.as('n')])
    .groupBy(sql.ref(col))
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const fieldLabels = by === 'fieldCode' ? await dictionaryLabels(db, 'org_field') : null;
  const label = (k: string | null): string => {
    if (k == null || k === '') return '(未填写)';
    switch (by) {
      case 'mgmtClass':
        return MGMT_CLASS_LABELS[k as keyof typeof MGMT_CLASS_LABELS] ?? k;
      case 'incubationStage':
        return INCUBATION_STAGE_LABELS[k as IncubationStage] ?? k;
      case 'areaType':
        return AREA_TYPE_LABELS[k as keyof typeof AREA_TYPE_LABELS] ?? k;
      case 'status':
        return ORG_STATUS_LABELS[k as keyof typeof ORG_STATUS_LABELS] ?? k;
      case 'fieldCode':
        return fieldLabels!.get(k) ?? k;
      default:
        return k;
    }
  };
  return rows.map((r) => ({ key: r.k, label: by === 'incubationStage' && r.k == null ? '(无孵化记录)' : label(r.k), count: Number(r.n) }));
}

/** Stage columns with counts and the first cards (oldest stage date first: who has waited longest). */
export async function incubationBoard(db: Db, env: QueryEnv, opts: { street?: string; perStage: number }) {
  const columns = [];
  for (const stage of INCUBATION_STAGES) {
    let base = db.selectFrom('organizations').where('incubation_stage', '=', stage);
    if (opts.street) base = base.where('street', '=', opts.street);
    const count = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const overdue =
      stage === 'admitted' || stage === 'incubating'
        ? Number((await base.where(overdueSql(env)).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
        : 0;
    const rows = await base
      .select(['id', 'name', 'street', 'incubation_date', 'mentor', 'incubation_mode', 'admitted_date', 'agreement_end'])
      .orderBy('incubation_date', stage === 'graduated' || stage === 'withdrawn' ? 'desc' : 'asc')
      .orderBy('id')
      .limit(opts.perStage)
      .execute();
    const cards: BoardCard[] = rows.map((r) => {
      const term = incubationTerm({ stage, admittedDate: r.admitted_date, agreementEnd: r.agreement_end, termMonths: env.settings.incubationTermMonths, today: env.today });
      return { id: r.id, name: r.name, street: r.street, stageDate: r.incubation_date, mentor: r.mentor, mode: r.incubation_mode, overdue: term.overdue, dueDate: term.dueDate };
    });
    columns.push({ stage, count, overdue, cards });
  }
  return { columns, termMonths: env.settings.incubationTermMonths };
}

/**
 * Per street (街道/乡镇): organizations by class and stage, members, volunteers, this year's activities, overdue.
 * A condition is counted as `count(CASE WHEN … THEN 1 END)` (as figures.ts does), never summed: SQLite's
 * comparison is 0/1, PostgreSQL's is a boolean and `sum(boolean)` does not exist there.
 */
export async function streetSummary(db: Db, env: QueryEnv, year: number): Promise<StreetSummaryRow[]> {
  const rows = await sql<{
    street: string | null;
    total: number;
    registered: number;
    filed: number;
    guided: number;
    incubating: number;
    graduated: number;
    withdrawn: number;
    members: number | null;
    volunteers: number | null;
    overdue: number;
  }>`SELECT street,
      count(*) AS total,
      count(CASE WHEN mgmt_class = 'registered' THEN 1 END) AS registered,
      count(CASE WHEN mgmt_class = 'filed' THEN 1 END) AS filed,
      count(CASE WHEN mgmt_class = 'guided' THEN 1 END) AS guided,
      count(CASE WHEN incubation_stage = 'incubating' THEN 1 END) AS incubating,
      count(CASE WHEN incubation_stage = 'graduated' THEN 1 END) AS graduated,
      count(CASE WHEN status = 'withdrawn' THEN 1 END) AS withdrawn,
      sum(member_count) AS members,
      sum(volunteer_count) AS volunteers,
      count(CASE WHEN ${overdueCondition(env)} THEN 1 END) AS overdue
    FROM organizations GROUP BY street ORDER BY total DESC`.execute(db);
  const acts = await sql<{ street: string | null; n: number }>`SELECT o.street AS street, count(*) AS n
    FROM org_activities a JOIN organizations o ON o.id = a.org_id
    WHERE a.date BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`} AND a.status != 'cancelled'
    GROUP BY o.street`.execute(db);
  const actBy = new Map(acts.rows.map((r) => [r.street ?? '', Number(r.n)]));
  return rows.rows.map((r) => ({
    street: r.street ?? '(未填写街道)',
    total: Number(r.total),
    registered: Number(r.registered ?? 0),
    filed: Number(r.filed ?? 0),
    guided: Number(r.guided ?? 0),
    incubating: Number(r.incubating ?? 0),
    graduated: Number(r.graduated ?? 0),
    withdrawn: Number(r.withdrawn ?? 0),
    members: Number(r.members ?? 0),
    volunteers: Number(r.volunteers ?? 0),
    activitiesThisYear: actBy.get(r.street ?? '') ?? 0,
    overdue: Number(r.overdue ?? 0),
  }));
}

export async function queryEnv(core: { settings(): Promise<HubSettings> }, now: Date): Promise<QueryEnv> {
  return { today: todayInChina(now), settings: await core.settings() };
}
