/**
 * The standard tables of a submission (上报标准表), computed from package records. The same functions give
 * a hub's own tables (written into `tables.xlsx`) and a federation's consolidated tables (over the merged
 * records of all its members), so the two can never disagree about a definition:
 * - organizations are those not deregistered, counted by management class, urban/rural, field and place;
 * - the pipeline counts organizations now at each stage, and stage changes dated within the period;
 * - venue use counts approved or used bookings dated within the period (minutes booked; used minutes and
 *   attendance of bookings marked used);
 * - custody: receipts and disbursements dated within the period, and the balance at the period's end,
 *   per funding source, in fen;
 * - training: person-times (attendance present or late) of sessions within the period, role × category;
 * - activities held within the period by series; major activities within the period with their report.
 */
import { type Period } from './period';
import {
  MANAGEMENT_CLASSES,
  MANAGEMENT_CLASS_LABELS,
  PACKAGE_STAGES,
  PACKAGE_STAGE_LABELS,
  URBAN_RURAL_LABELS,
  type PackageData,
} from './records';
import { addMeasures, type Measures } from './merge';

export type CellKind = 'text' | 'int' | 'fen';
export interface TableColumn {
  key: string;
  header: string;
  kind: CellKind;
}
export type Row = Record<string, string | number>;
export interface StandardTable {
  key: string;
  title: string;
  columns: TableColumn[];
  rows: Row[];
  /** Sum of the numeric columns, labelled 合计 in the first text column; absent for lists. */
  total?: Row;
}

const NONE = '未填写';

function withTotal(table: Omit<StandardTable, 'total'>): StandardTable {
  const total: Row = {};
  const firstText = table.columns.find((c) => c.kind === 'text');
  for (const c of table.columns) {
    if (c.kind === 'text') total[c.key] = c === firstText ? '合计' : '';
    else {
      const m: Measures = {};
      for (const r of table.rows) addMeasures(m, { v: Number(r[c.key] ?? 0) });
      total[c.key] = m.v ?? 0;
    }
  }
  return { ...table, total };
}

function inPeriod(date: string, p: Period): boolean {
  return date >= p.start && date <= p.end;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function activeOrganizations(data: PackageData) {
  return data.organizations.filter((o) => o.status !== 'deregistered');
}

export function organizationsByClass(data: PackageData): StandardTable {
  const orgs = activeOrganizations(data);
  const rows: Row[] = [...MANAGEMENT_CLASSES, null].map((cls) => {
    const of = orgs.filter((o) => o.managementClass === cls);
    return {
      cls: cls === null ? NONE : MANAGEMENT_CLASS_LABELS[cls],
      urban: of.filter((o) => o.urbanRural === 'urban').length,
      rural: of.filter((o) => o.urbanRural === 'rural').length,
      unknown: of.filter((o) => o.urbanRural === null).length,
      total: of.length,
    };
  });
  return withTotal({
    key: 'org_by_class',
    title: '社会组织分类统计',
    columns: [
      { key: 'cls', header: '管理类别', kind: 'text' },
      { key: 'urban', header: URBAN_RURAL_LABELS.urban, kind: 'int' },
      { key: 'rural', header: URBAN_RURAL_LABELS.rural, kind: 'int' },
      { key: 'unknown', header: '未标注城乡', kind: 'int' },
      { key: 'total', header: '小计', kind: 'int' },
    ],
    rows: rows.filter((r) => r.cls !== NONE || Number(r.total) > 0),
  });
}

export function organizationsByField(data: PackageData): StandardTable {
  const orgs = activeOrganizations(data);
  const groups = new Map<string, typeof orgs>();
  for (const o of orgs) {
    const k = o.fieldLabel ?? NONE;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  const rows: Row[] = [...groups.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([label, of]) => ({
      field: label,
      registered: of.filter((o) => o.managementClass === 'registered').length,
      filed: of.filter((o) => o.managementClass === 'filed').length,
      guided: of.filter((o) => o.managementClass === 'guided').length,
      total: of.length,
    }));
  return withTotal({
    key: 'org_by_field',
    title: '社会组织按活动领域',
    columns: [
      { key: 'field', header: '活动领域', kind: 'text' },
      { key: 'registered', header: MANAGEMENT_CLASS_LABELS.registered, kind: 'int' },
      { key: 'filed', header: MANAGEMENT_CLASS_LABELS.filed, kind: 'int' },
      { key: 'guided', header: MANAGEMENT_CLASS_LABELS.guided, kind: 'int' },
      { key: 'total', header: '合计', kind: 'int' },
    ],
    rows,
  });
}

export function organizationsByArea(data: PackageData): StandardTable {
  const orgs = activeOrganizations(data);
  const groups = new Map<string, { code: string; name: string; of: typeof orgs }>();
  for (const o of orgs) {
    const code = o.regionCode ?? '';
    const g = groups.get(code) ?? { code, name: o.regionName ?? NONE, of: [] };
    g.of.push(o);
    groups.set(code, g);
  }
  const rows: Row[] = [...groups.values()]
    .sort((a, b) => cmp(a.code, b.code))
    .map((g) => ({
      code: g.code || NONE,
      name: g.name,
      urban: g.of.filter((o) => o.urbanRural === 'urban').length,
      rural: g.of.filter((o) => o.urbanRural === 'rural').length,
      total: g.of.length,
    }));
  return withTotal({
    key: 'org_by_area',
    title: '社会组织按地区',
    columns: [
      { key: 'code', header: '区划代码', kind: 'text' },
      { key: 'name', header: '地区', kind: 'text' },
      { key: 'urban', header: '城市', kind: 'int' },
      { key: 'rural', header: '农村', kind: 'int' },
      { key: 'total', header: '合计', kind: 'int' },
    ],
    rows,
  });
}

export function incubationPipeline(data: PackageData, period: Period): StandardTable {
  const orgs = activeOrganizations(data);
  const now = countBy(orgs.filter((o) => o.stage !== null), (o) => o.stage!);
  const moved = countBy(
    data.incubation_events.filter((e) => inPeriod(e.date, period)),
    (e) => e.toStage,
  );
  return withTotal({
    key: 'incubation',
    title: '孵化情况',
    columns: [
      { key: 'stage', header: '孵化阶段', kind: 'text' },
      { key: 'current', header: '期末数量', kind: 'int' },
      { key: 'entered', header: '本期进入', kind: 'int' },
    ],
    rows: PACKAGE_STAGES.map((s) => ({ stage: PACKAGE_STAGE_LABELS[s], current: now.get(s) ?? 0, entered: moved.get(s) ?? 0 })),
  });
}

export function venueUse(data: PackageData, period: Period): StandardTable {
  const rows: Row[] = [...data.venues]
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.gid, b.gid))
    .map((v) => {
      const bs = data.bookings.filter((b) => b.venueGid === v.gid && inPeriod(b.date, period) && (b.status === 'approved' || b.status === 'used'));
      const used = bs.filter((b) => b.status === 'used');
      return {
        venue: v.name,
        bookings: bs.length,
        minutesBooked: bs.reduce((s, b) => s + b.minutes, 0),
        minutesUsed: used.reduce((s, b) => s + b.minutes, 0),
        attendance: used.reduce((s, b) => s + (b.attendance ?? 0), 0),
      };
    });
  return withTotal({
    key: 'venue_use',
    title: '场地使用',
    columns: [
      { key: 'venue', header: '场地', kind: 'text' },
      { key: 'bookings', header: '预约场次', kind: 'int' },
      { key: 'minutesBooked', header: '预约时长(分钟)', kind: 'int' },
      { key: 'minutesUsed', header: '实际使用(分钟)', kind: 'int' },
      { key: 'attendance', header: '使用人次', kind: 'int' },
    ],
    rows,
  });
}

export function custodyBySource(data: PackageData, period: Period): StandardTable {
  const groups = new Map<string, { label: string; receipts: number; disbursements: number; balance: number }>();
  for (const e of data.custody_entries) {
    if (e.date > period.end) continue;
    const g = groups.get(e.sourceCode) ?? { label: e.sourceLabel, receipts: 0, disbursements: 0, balance: 0 };
    const signed = e.kind === 'receipt' ? e.amountFen : -e.amountFen;
    const m: Measures = { balance: g.balance };
    addMeasures(m, { balance: signed });
    g.balance = m.balance;
    if (inPeriod(e.date, period)) {
      if (e.kind === 'receipt') g.receipts += e.amountFen;
      else g.disbursements += e.amountFen;
    }
    groups.set(e.sourceCode, g);
  }
  return withTotal({
    key: 'custody_by_source',
    title: '代管资金按来源',
    columns: [
      { key: 'source', header: '资金来源', kind: 'text' },
      { key: 'receipts', header: '本期收入', kind: 'fen' },
      { key: 'disbursements', header: '本期支出', kind: 'fen' },
      { key: 'balance', header: '期末余额', kind: 'fen' },
    ],
    rows: [...groups.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([, g]) => ({ source: g.label, receipts: g.receipts, disbursements: g.disbursements, balance: g.balance })),
  });
}

export function trainingPersonTimes(data: PackageData, period: Period): StandardTable {
  const sessions = new Map(data.training_sessions.filter((s) => inPeriod(s.date, period)).map((s) => [s.gid, s]));
  const categories = new Map<string, string>();
  for (const s of sessions.values()) categories.set(s.categoryCode, s.categoryLabel);
  const catCodes = [...categories.keys()].sort(cmp);
  const byRole = new Map<string, { label: string; cells: Map<string, number> }>();
  for (const a of data.attendances) {
    if (a.status !== 'present' && a.status !== 'late') continue;
    const s = sessions.get(a.sessionGid);
    if (!s) continue;
    const r = byRole.get(a.roleCode) ?? { label: a.roleLabel, cells: new Map() };
    r.cells.set(s.categoryCode, (r.cells.get(s.categoryCode) ?? 0) + 1);
    byRole.set(a.roleCode, r);
  }
  const rows: Row[] = [...byRole.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([, r]) => {
      const row: Row = { role: r.label };
      let total = 0;
      for (const c of catCodes) {
        row[`c_${c}`] = r.cells.get(c) ?? 0;
        total += r.cells.get(c) ?? 0;
      }
      row.total = total;
      return row;
    });
  return withTotal({
    key: 'training',
    title: '培训人次',
    columns: [
      { key: 'role', header: '培训对象', kind: 'text' },
      ...catCodes.map((c) => ({ key: `c_${c}`, header: categories.get(c)!, kind: 'int' as const })),
      { key: 'total', header: '合计人次', kind: 'int' },
    ],
    rows,
  });
}

export function activitiesBySeries(data: PackageData, period: Period): StandardTable {
  const groups = new Map<string, { label: string; count: number; participants: number; volunteers: number }>();
  for (const a of data.activities) {
    if (a.status !== 'held' || !inPeriod(a.date, period)) continue;
    const code = a.seriesCode ?? '';
    const g = groups.get(code) ?? { label: a.seriesLabel ?? '未归入系列', count: 0, participants: 0, volunteers: 0 };
    g.count += 1;
    g.participants += a.participants ?? 0;
    g.volunteers += a.volunteers ?? 0;
    groups.set(code, g);
  }
  return withTotal({
    key: 'activities_by_series',
    title: '活动按品牌系列',
    columns: [
      { key: 'series', header: '活动系列', kind: 'text' },
      { key: 'count', header: '活动次数', kind: 'int' },
      { key: 'participants', header: '服务人次', kind: 'int' },
      { key: 'volunteers', header: '志愿者人次', kind: 'int' },
    ],
    rows: [...groups.entries()]
      .sort(([a], [b]) => cmp(a === '' ? '\uffff' : a, b === '' ? '\uffff' : b))
      .map(([, g]) => ({ series: g.label, count: g.count, participants: g.participants, volunteers: g.volunteers })),
  });
}

export type MajorReportState = 'filed' | 'late' | 'missing';
export const MAJOR_REPORT_STATE_LABELS: Record<MajorReportState, string> = { filed: '已按时报告', late: '逾期报告', missing: '未报告' };

export function majorReportState(a: { date: string; reportFiledOn: string | null }): MajorReportState {
  if (a.reportFiledOn === null) return 'missing';
  return a.reportFiledOn < a.date ? 'filed' : 'late';
}

export function majorActivities(data: PackageData, period: Period): StandardTable {
  const orgName = new Map(data.organizations.map((o) => [o.gid, o.name]));
  const rows: Row[] = data.activities
    .filter((a) => a.major && a.status !== 'cancelled' && inPeriod(a.date, period))
    .sort((a, b) => cmp(a.date, b.date) || cmp(a.gid, b.gid))
    .map((a) => ({
      date: a.date,
      org: (a.orgGid && orgName.get(a.orgGid)) || '',
      title: a.title,
      kind: a.kindLabel ?? '',
      participants: a.participants ?? 0,
      filedOn: a.reportFiledOn ?? '',
      state: MAJOR_REPORT_STATE_LABELS[majorReportState(a)],
    }));
  return {
    key: 'major_activities',
    title: '重大活动报告',
    columns: [
      { key: 'date', header: '活动日期', kind: 'text' },
      { key: 'org', header: '组织', kind: 'text' },
      { key: 'title', header: '活动名称', kind: 'text' },
      { key: 'kind', header: '活动类型', kind: 'text' },
      { key: 'participants', header: '预计人数', kind: 'int' },
      { key: 'filedOn', header: '报告日期', kind: 'text' },
      { key: 'state', header: '报告情况', kind: 'text' },
    ],
    rows,
  };
}

export function buildStandardTables(data: PackageData, period: Period): StandardTable[] {
  return [
    organizationsByClass(data),
    organizationsByField(data),
    organizationsByArea(data),
    incubationPipeline(data, period),
    venueUse(data, period),
    custodyBySource(data, period),
    trainingPersonTimes(data, period),
    activitiesBySeries(data, period),
    majorActivities(data, period),
  ];
}

/** Additive measures of one hub's data for the roll-up (see merge.rollUp). */
export const MEASURE_LABELS = {
  organizations: '社会组织',
  registered: '依法登记',
  filed: '街道备案',
  guided: '社区指导',
  incubating: '在孵组织',
  graduatedInPeriod: '本期出壳',
  venueBookings: '场地预约场次',
  venueMinutesUsed: '场地使用(分钟)',
  custodyReceiptsFen: '代管收入(分)',
  custodyDisbursementsFen: '代管支出(分)',
  custodyBalanceFen: '代管余额(分)',
  personTimes: '培训人次',
  activities: '活动次数',
  majorActivities: '重大活动',
  majorWithoutReport: '重大活动未报告',
} as const;
export type MeasureKey = keyof typeof MEASURE_LABELS;
export const MEASURE_KEYS = Object.keys(MEASURE_LABELS) as MeasureKey[];

export function hubMeasures(data: PackageData, period: Period): Record<MeasureKey, number> {
  const orgs = activeOrganizations(data);
  const venue = venueUse(data, period).total!;
  const custody = custodyBySource(data, period).total!;
  const training = trainingPersonTimes(data, period).total!;
  const acts = activitiesBySeries(data, period).total!;
  const majors = data.activities.filter((a) => a.major && a.status !== 'cancelled' && inPeriod(a.date, period));
  return {
    organizations: orgs.length,
    registered: orgs.filter((o) => o.managementClass === 'registered').length,
    filed: orgs.filter((o) => o.managementClass === 'filed').length,
    guided: orgs.filter((o) => o.managementClass === 'guided').length,
    incubating: orgs.filter((o) => o.stage === 'incubating' || o.stage === 'admitted').length,
    graduatedInPeriod: data.incubation_events.filter((e) => e.toStage === 'graduated' && inPeriod(e.date, period)).length,
    venueBookings: Number(venue.bookings),
    venueMinutesUsed: Number(venue.minutesUsed),
    custodyReceiptsFen: Number(custody.receipts),
    custodyDisbursementsFen: Number(custody.disbursements),
    custodyBalanceFen: Number(custody.balance),
    personTimes: Number(training.total),
    activities: Number(acts.count),
    majorActivities: majors.length,
    majorWithoutReport: majors.filter((a) => a.reportFiledOn === null).length,
  };
}
