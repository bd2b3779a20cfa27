/**
 * 活动记录 import on the import engine: one row per activity of a registered organization, matched to the
 * activities already recorded by organization + date + title (so re-importing the same file changes nothing).
 * Series, kind and people served are dictionary labels turned into codes; the status defaults to 已举办 for a
 * past date and 计划中 otherwise; a major activity (the hub's rule) marked 已举办 needs a report filed before its
 * date, as the form and the table's CHECK constraint demand.
 */
import { randomUUID } from 'node:crypto';
import { normalizeName, normalizeText } from '@shared/text/normalize';
import { ACTIVITY_TEXT_RULES } from '@shared/organizations/activityText';
import { ACTIVITY_STATUS_LABELS, checkMarkHeld, isMajorActivity, type ActivityStatus } from '@shared/organizations/activity';
import type { TableImportCommitInput, TableImportInput } from '@shared/importing/contract';
import type { CallContext, Trx } from '../api/context';
import { dictEntries } from '../training/common';
import { cellText } from '../importing/readTable';
import { countCell, dateCell, dictLookup, dictVocabulary, listCell, type CellResult } from '../importing/cells';
import { DICTIONARY_KINDS } from '@shared/admin/dictionaries';
import { commitTableImport, importShapedExport, importTemplate, previewTableImport, type Importer, type PlannedRow } from '../importing/engine';
import { chinaToday } from '../training/common';
import { majorRule, refreshActivityStats } from './activities';

type Key =
  | 'organization'
  | 'title'
  | 'date'
  | 'series'
  | 'kind'
  | 'place'
  | 'expected'
  | 'actual'
  | 'volunteers'
  | 'peopleServed'
  | 'status'
  | 'reportDate'
  | 'reportNote'
  | 'description';

export const ACTIVITY_IMPORT_FIELDS = [
  { key: 'organization', title: '组织名称', aliases: ['所属组织', '社会组织', '组织', '社区社会组织', '举办组织', '主办组织'], required: true },
  { key: 'title', title: '活动名称', aliases: ['活动主题', '活动标题', '名称', '主题'], required: true },
  { key: 'date', title: '活动日期', aliases: ['日期', '举办日期', '活动时间', '开展日期', '开展时间'], required: true },
  { key: 'series', title: '活动品牌系列', aliases: ['品牌系列', '活动系列', '系列', '所属系列'] },
  { key: 'kind', title: '活动类型', aliases: ['类型', '活动类别', '类别'] },
  { key: 'place', title: '活动地点', aliases: ['地点', '场地', '活动场地'] },
  { key: 'expected', title: '预计参与人数', aliases: ['预计人数', '计划人数', '预计参加人数'] },
  { key: 'actual', title: '实际参与人数', aliases: ['实际人数', '参与人数', '参加人数', '实际参加人数', '参与人次'] },
  { key: 'volunteers', title: '志愿者人数', aliases: ['志愿者数', '志愿者', '参与志愿者'] },
  { key: 'peopleServed', title: '服务对象', aliases: ['服务人群', '受益对象', '服务对象类别'] },
  { key: 'status', title: '活动状态', aliases: ['状态', '举办情况'] },
  { key: 'reportDate', title: '重大活动报告日期', aliases: ['报告日期', '报备日期', '重大活动报备日期'] },
  { key: 'reportNote', title: '报告说明', aliases: ['报备说明', '报告文号'] },
  { key: 'description', title: '活动简介', aliases: ['活动内容', '内容', '说明', '备注', '简介'] },
] as const satisfies readonly { key: Key; title: string; aliases: readonly string[]; required?: boolean }[];

interface Values {
  org_id: string;
  title: string;
  series_code: string;
  kind_code: string | null;
  date: string;
  place: string | null;
  expected_attendance: number | null;
  actual_attendance: number | null;
  volunteer_count: number | null;
  people_served: string;
  status: ActivityStatus;
  is_major: number;
  report_filed_date: string | null;
  report_note: string | null;
  description: string | null;
}

interface Payload {
  existingId: string | null;
  values: Values;
}

const STATUS_BY_LABEL = new Map<string, ActivityStatus>([
  ...Object.entries(ACTIVITY_STATUS_LABELS).map(([k, v]) => [v, k as ActivityStatus] as const),
  ['已开展', 'held'],
  ['已完成', 'held'],
  ['举办', 'held'],
  ['完成', 'held'],
  ['计划', 'planned'],
  ['未开展', 'planned'],
  ['待举办', 'planned'],
  ['取消', 'cancelled'],
]);

/** The identity of an activity inside a hub: organization, date and title (spaces and width ignored). */
const identity = (orgId: string, date: string, title: string) => `${orgId}|${date}|${normalizeName(title)}`;

export const activityImporter: Importer<Key, Payload> = {
  name: 'organizations.activities',
  title: '活动记录',
  entity: 'org_activity',
  fields: ACTIVITY_IMPORT_FIELDS,
  async vocabularies(db) {
    return {
      series: dictVocabulary('activity_series', DICTIONARY_KINDS.activity_series, await dictEntries(db, 'activity_series')),
      kind: dictVocabulary('activity_kind', DICTIONARY_KINDS.activity_kind, await dictEntries(db, 'activity_kind')),
      peopleServed: dictVocabulary('people_served', DICTIONARY_KINDS.people_served, await dictEntries(db, 'people_served'), true),
    };
  },
  async plan(ctx, rows, p) {
    const rule = majorRule(await ctx.core.settings());
    const series = dictLookup(await dictEntries(p.db, 'activity_series'));
    const kindEntries = await dictEntries(p.db, 'activity_kind');
    const kinds = dictLookup(kindEntries);
    const kindLabel = new Map(kindEntries.map((k) => [k.code, k.label]));
    const people = dictLookup(await dictEntries(p.db, 'people_served'));
    const orgRows = await p.db.selectFrom('organizations').select(['id', 'name', 'short_name']).execute();
    const orgByName = new Map<string, string>();
    for (const o of orgRows) orgByName.set(normalizeName(o.name), o.id);
    for (const o of orgRows) if (o.short_name && !orgByName.has(normalizeName(o.short_name))) orgByName.set(normalizeName(o.short_name), o.id);
    const existing = new Map<string, Awaited<ReturnType<typeof loadExisting>>[number]>();
    for (const a of await loadExisting(p.db)) existing.set(identity(a.org_id, a.date, a.title), a);
    const firstRow = new Map<string, number>();
    const date1904 = p.table.date1904;
    const out: PlannedRow<Payload>[] = [];
    for (const r of rows) {
      const issues: { column: string; message: string }[] = [];
      const warnings: string[] = [];
      const err = (k: Key, message: string) => issues.push({ column: p.column(k), message });
      const take = <T>(k: Key, res: CellResult<T>): T | null => {
        if (res.ok) return res.value;
        err(k, res.message);
        return null;
      };
      const v = r.values;
      const orgText = normalizeText(cellText(v.organization ?? null));
      const title = ACTIVITY_TEXT_RULES.title(cellText(v.title ?? null));
      const row: PlannedRow<Payload> = { rowNumber: r.rowNumber, label: [orgText, title].filter(Boolean).join(' · '), action: 'error', issues, warnings, changes: [] };
      out.push(row);
      const orgId = orgText ? (orgByName.get(normalizeName(orgText)) ?? null) : null;
      if (!orgText) err('organization', '请填写组织名称');
      else if (!orgId) err('organization', `找不到名为"${orgText}"的组织,请先在组织台账中登记`);
      if (!title) err('title', '请填写活动名称');
      else if (title.length > 100) err('title', '活动名称不能超过 100 个字');
      const date = take('date', dateCell(v.date, date1904));
      if (!date && !issues.some((i) => i.column === p.column('date'))) err('date', '请填写活动日期');
      const seriesText = cellText(v.series ?? null);
      const seriesCode = seriesText ? series.get(seriesText) : null;
      if (seriesText && !seriesCode) err('series', `活动品牌系列"${seriesText}"不在字典中(可选:${series.known})`);
      const kindText = cellText(v.kind ?? null);
      const kindCode = kindText ? kinds.get(kindText) : null;
      if (kindText && !kindCode) err('kind', `活动类型"${kindText}"不在字典中(可选:${kinds.known})`);
      const served: string[] = [];
      for (const label of listCell(v.peopleServed)) {
        const code = people.get(label);
        if (!code) err('peopleServed', `服务对象"${label}"不在字典中(可选:${people.known})`);
        else if (!served.includes(code)) served.push(code);
      }
      const expected = take('expected', countCell(v.expected));
      const actual = take('actual', countCell(v.actual));
      const volunteers = take('volunteers', countCell(v.volunteers));
      const reportDate = take('reportDate', dateCell(v.reportDate, date1904));
      if (reportDate && reportDate > p.today) err('reportDate', `报告日期 ${reportDate} 晚于今天(${p.today})`);
      const statusText = normalizeText(cellText(v.status ?? null));
      let status: ActivityStatus | null = null;
      if (statusText) {
        status = STATUS_BY_LABEL.get(statusText) ?? null;
        if (!status) err('status', `活动状态"${statusText}"应为 已举办、计划中 或 已取消`);
      }
      if (!orgId || !title || !date || issues.length) continue;
      const key = identity(orgId, date, title);
      const first = firstRow.get(key);
      if (first != null) {
        err('title', `与第 ${first} 行是同一活动(同一组织、同一日期、同一名称),同一活动只能出现一次`);
        continue;
      }
      firstRow.set(key, r.rowNumber);
      const before = existing.get(key);
      // a column the file does not have keeps what is stored
      const keep = <T>(k: Key, fromFile: T, stored: T | undefined, fallback: T): T => (p.has(k) ? fromFile : before ? (stored as T) : fallback);
      const finalSeries = keep('series', seriesCode ?? null, before?.series_code, null) ?? before?.series_code ?? null;
      if (!finalSeries) {
        err('series', `请填写活动品牌系列(可选:${series.known})`);
        continue;
      }
      const values: Values = {
        org_id: orgId,
        title: before?.title ?? title,
        series_code: finalSeries,
        kind_code: keep('kind', kindCode ?? null, before?.kind_code, null),
        date,
        place: keep('place', ACTIVITY_TEXT_RULES.place(cellText(v.place ?? null)) || null, before?.place, null),
        expected_attendance: keep('expected', expected, before?.expected_attendance, null),
        actual_attendance: keep('actual', actual, before?.actual_attendance, null),
        volunteer_count: keep('volunteers', volunteers, before?.volunteer_count, null),
        people_served: keep('peopleServed', JSON.stringify(served), before?.people_served, '[]'),
        // an empty or missing status keeps what is stored, and a new activity is held once its date has passed
        status: status ?? ((before?.status as ActivityStatus | undefined) ?? (date < p.today ? 'held' : 'planned')),
        is_major: 0,
        report_filed_date: keep('reportDate', reportDate, before?.report_filed_date, null),
        report_note: keep('reportNote', ACTIVITY_TEXT_RULES.reportNote(cellText(v.reportNote ?? null)) || null, before?.report_note, null),
        // the description keeps its line breaks (Alt+Enter in a cell), as the form keeps them
        description: keep('description', (typeof v.description === 'string' ? ACTIVITY_TEXT_RULES.description(v.description) : cellText(v.description ?? null)) || null, before?.description, null),
      };
      if (!status && !before) warnings.push(`没有填写活动状态:${date < p.today ? '日期已过,按"已举办"导入' : '按"计划中"导入'}`);
      if (values.report_filed_date && !values.report_note) values.report_note = '(导入)';
      const verdict = isMajorActivity({ kindCode: values.kind_code, expectedAttendance: values.expected_attendance }, rule, values.kind_code ? kindLabel.get(values.kind_code) : undefined);
      values.is_major = verdict.major ? 1 : 0;
      if (values.status === 'held') {
        const reason = checkMarkHeld(
          { kindCode: values.kind_code, expectedAttendance: values.expected_attendance, date, status: 'planned', reportFiledDate: values.report_filed_date },
          p.today,
          rule,
          values.kind_code ? kindLabel.get(values.kind_code) : undefined,
        );
        if (reason) {
          err(reason.includes('报告') ? 'reportDate' : 'status', reason);
          continue;
        }
      } else if (verdict.major && !values.report_filed_date && values.status === 'planned') warnings.push(`重大活动(${verdict.reasons.join(';')}),请在 ${date} 之前提交重大活动报告`);
      if (before && before.status !== 'planned' && before.status !== values.status) {
        err('status', `该活动已${ACTIVITY_STATUS_LABELS[before.status as ActivityStatus]},不能改为${ACTIVITY_STATUS_LABELS[values.status]}`);
        continue;
      }
      if (!before) row.action = 'create';
      else {
        const labels: Record<keyof Values, Key | null> = {
          org_id: null,
          title: null,
          date: null,
          series_code: 'series',
          kind_code: 'kind',
          place: 'place',
          expected_attendance: 'expected',
          actual_attendance: 'actual',
          volunteer_count: 'volunteers',
          people_served: 'peopleServed',
          status: 'status',
          is_major: null,
          report_filed_date: 'reportDate',
          report_note: 'reportNote',
          description: 'description',
        };
        for (const [col, k] of Object.entries(labels) as [keyof Values, Key | null][]) {
          if (k && (before[col as keyof typeof before] ?? null) !== (values[col] ?? null)) row.changes.push(p.column(k));
        }
        row.action = row.changes.length ? 'update' : 'unchanged';
      }
      if (row.action !== 'unchanged') row.payload = { existingId: before?.id ?? null, values };
    }
    return out;
  },
  async apply(ctx, trx: Trx, rows) {
    const now = ctx.now().toISOString();
    const orgs = new Set<string>();
    for (const r of rows) {
      const { existingId, values } = r.payload!;
      orgs.add(values.org_id);
      if (existingId) await trx.updateTable('org_activities').set({ ...values, updated_at: now }).where('id', '=', existingId).execute();
      else await trx.insertInto('org_activities').values({ id: randomUUID(), ...values, created_at: now, updated_at: now }).execute();
    }
    for (const orgId of orgs) await refreshActivityStats(trx, orgId);
  },
};

async function loadExisting(db: Parameters<Importer<Key, Payload>['plan']>[2]['db']) {
  return db.selectFrom('org_activities').selectAll().execute();
}

export const previewActivityImport = (ctx: CallContext, input: TableImportInput) => previewTableImport(ctx, activityImporter, input, chinaToday(ctx.now()));
export const commitActivityImport = (ctx: CallContext, input: TableImportCommitInput) => commitTableImport(ctx, activityImporter, input, chinaToday(ctx.now()));
export const activityImportTemplate = () =>
  importTemplate(
    ACTIVITY_IMPORT_FIELDS.map((f) => ({ ...f, required: ('required' in f && f.required) || f.key === 'series' })),
    ['XX社区老年协会', '重阳节敬老茶话会', '2026-10-18', '邻里守望', '节庆活动', '社区活动室', 60, 58, 8, '老年人、空巢老人', '已举办', '2026-10-10', '街道备案 2026-12 号', ''],
    '活动记录',
    '活动记录导入模板.xlsx',
  );

/**
 * Every activity record as a file in this importer's shape (the template's columns): the organization by its name,
 * series, kind and people served by their labels, the status by its label. Importing it into the same hub changes
 * nothing; into a fresh hub that has the organizations it gives the same records.
 */
export async function exportActivitiesForImport(ctx: CallContext) {
  const labelsOf = async (kind: 'activity_series' | 'activity_kind' | 'people_served') => new Map((await dictEntries(ctx.db, kind)).map((e) => [e.code, e.label]));
  const [series, kinds, people] = [await labelsOf('activity_series'), await labelsOf('activity_kind'), await labelsOf('people_served')];
  const rows = await ctx.db
    .selectFrom('org_activities as a')
    .innerJoin('organizations as o', 'o.id', 'a.org_id')
    .select(['o.name as orgName', 'a.title', 'a.date', 'a.series_code', 'a.kind_code', 'a.place', 'a.expected_attendance', 'a.actual_attendance', 'a.volunteer_count', 'a.people_served', 'a.status', 'a.report_filed_date', 'a.report_note', 'a.description'])
    .orderBy('o.name')
    .orderBy('a.date')
    .orderBy('a.title')
    .execute();
  return importShapedExport(
    ACTIVITY_IMPORT_FIELDS,
    rows.map((a) => ({
      organization: a.orgName,
      title: a.title,
      date: a.date,
      series: series.get(a.series_code) ?? a.series_code,
      kind: a.kind_code ? (kinds.get(a.kind_code) ?? a.kind_code) : null,
      place: a.place,
      expected: a.expected_attendance,
      actual: a.actual_attendance,
      volunteers: a.volunteer_count,
      peopleServed: (JSON.parse(a.people_served) as string[]).map((c) => people.get(c) ?? c).join('、'),
      status: ACTIVITY_STATUS_LABELS[a.status as ActivityStatus],
      reportDate: a.report_filed_date,
      reportNote: a.report_note,
      description: a.description,
    })),
    '活动记录',
    `活动记录-${chinaToday(ctx.now())}.xlsx`,
  );
}
