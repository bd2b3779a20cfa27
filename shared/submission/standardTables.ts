/**
 * The standard tables of a submission (上报标准表), computed from package records. The same functions give
 * a hub's own tables (written into `tables.xlsx`) and a federation's consolidated tables (over the merged
 * records of all its members), so the two can never disagree about a definition:
 * - organizations are those not deregistered, counted by management class, urban/rural, field and place;
 * - the pipeline counts organizations at each stage on the period's end (the package carries the stage as of
 *   then, from the stage history), and stage changes dated within the period;
 * - venue use counts approved or used bookings dated within the period (minutes booked; used minutes and
 *   attendance of bookings marked used);
 * - organizations founded after the period's end are not counted;
 * - custody: 期初 (the balance before the period plus openings carried in within it), receipts and
 *   disbursements dated within the period (reversals netted in their original's column), and the balance at
 *   the period's end, per funding source, in fen: 期初 + 收入 − 支出 = 期末;
 * - training: person-times (attendance present or late) of sessions within the period, role × category;
 * - activities held within the period by series; major activities within the period with their report.
 */
import { type Period } from './period';
import {
  MANAGEMENT_CLASSES,
  MANAGEMENT_CLASS_LABELS,
  PACKAGE_STAGES,
  PACKAGE_STAGE_LABELS,
  PACKAGE_TABLE_NAMES,
  URBAN_RURAL_LABELS,
  type ManagementClass,
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

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

type OrgAgg = { registered: number; filed: number; guided: number; none: number; urban: number; rural: number; unknown: number; total: number };
const emptyAgg = (): OrgAgg => ({ registered: 0, filed: 0, guided: 0, none: 0, urban: 0, rural: 0, unknown: 0, total: 0 });
/** Counts one organization into a group (a plain function: it runs once per organization and group). */
function bump(agg: OrgAgg, o: PackageData['organizations'][number]): void {
  agg[o.managementClass ?? 'none'] += 1;
  agg[o.urbanRural ?? 'unknown'] += 1;
  agg.total += 1;
}

/**
 * Streaming accumulator of the standard tables: feed records table by table (organizations before
 * activities, training sessions before attendances — the order of PACKAGE_TABLES) and read the tables at the
 * end. Memory stays bounded by the number of groups, not of records, so a package of a million journal lines
 * is summarized while it is being written.
 */
export class StandardTablesBuilder {
  private readonly byClass = new Map<string, OrgAgg>();
  private readonly byField = new Map<string, OrgAgg>();
  private readonly byArea = new Map<string, OrgAgg & { name: string }>();
  private readonly stageNow = new Map<string, number>();
  private readonly stageEntered = new Map<string, number>();
  private readonly orgNames = new Map<string, string>();
  private readonly venues = new Map<string, string>();
  private readonly venueUse = new Map<string, { bookings: number; minutesBooked: number; minutesUsed: number; attendance: number }>();
  private readonly custody = new Map<string, { label: string; opening: number; receipts: number; disbursements: number; balance: number }>();
  private readonly sessions = new Map<string, string>();
  private readonly categories = new Map<string, string>();
  private readonly training = new Map<string, { label: string; cells: Map<string, number> }>();
  private readonly series = new Map<string, { label: string; count: number; participants: number; volunteers: number }>();
  private readonly majors: PackageData['activities'] = [];
  private readonly m: Record<MeasureKey, number> = Object.fromEntries(MEASURE_KEYS.map((k) => [k, 0])) as Record<MeasureKey, number>;

  constructor(private readonly period: Period) {}

  add<T extends keyof PackageData>(table: T, record: PackageData[T][number]): void {
    const p = this.period;
    switch (table) {
      case 'organizations': {
        const o = record as PackageData['organizations'][number];
        this.orgNames.set(o.gid, o.name);
        if (o.status === 'withdrawn') return;
        // Only what existed in the period: an organization founded after its end is not counted.
        if (o.foundedOn !== null && o.foundedOn > p.end) return;
        const cls = o.managementClass ?? NONE;
        if (!this.byClass.has(cls)) this.byClass.set(cls, emptyAgg());
        bump(this.byClass.get(cls)!, o);
        const field = o.fieldLabel ?? NONE;
        if (!this.byField.has(field)) this.byField.set(field, emptyAgg());
        bump(this.byField.get(field)!, o);
        const code = o.regionCode ?? '';
        if (!this.byArea.has(code)) this.byArea.set(code, { ...emptyAgg(), name: o.regionName ?? NONE });
        bump(this.byArea.get(code)!, o);
        if (o.stage !== null) this.stageNow.set(o.stage, (this.stageNow.get(o.stage) ?? 0) + 1);
        this.m.organizations += 1;
        if (o.managementClass) this.m[o.managementClass] += 1;
        if (o.stage === 'incubating' || o.stage === 'admitted') this.m.incubating += 1;
        return;
      }
      case 'incubation_events': {
        const e = record as PackageData['incubation_events'][number];
        if (!inPeriod(e.date, p)) return;
        this.stageEntered.set(e.toStage, (this.stageEntered.get(e.toStage) ?? 0) + 1);
        if (e.toStage === 'graduated') this.m.graduatedInPeriod += 1;
        return;
      }
      case 'venues': {
        const v = record as PackageData['venues'][number];
        this.venues.set(v.gid, v.name);
        if (!this.venueUse.has(v.gid)) this.venueUse.set(v.gid, { bookings: 0, minutesBooked: 0, minutesUsed: 0, attendance: 0 });
        return;
      }
      case 'bookings': {
        const b = record as PackageData['bookings'][number];
        if (!inPeriod(b.date, p) || (b.status !== 'approved' && b.status !== 'used')) return;
        const u = this.venueUse.get(b.venueGid) ?? { bookings: 0, minutesBooked: 0, minutesUsed: 0, attendance: 0 };
        u.bookings += 1;
        u.minutesBooked += b.minutes;
        if (b.status === 'used') {
          u.minutesUsed += b.minutes;
          u.attendance += b.attendance ?? 0;
          this.m.venueMinutesUsed += b.minutes;
        }
        this.venueUse.set(b.venueGid, u);
        this.m.venueBookings += 1;
        return;
      }
      case 'custody_entries': {
        const e = record as PackageData['custody_entries'][number];
        if (e.date > p.end) return;
        const g = this.custody.get(e.sourceCode) ?? { label: e.sourceLabel, opening: 0, receipts: 0, disbursements: 0, balance: 0 };
        const signed = e.kind === 'receipt' ? e.amountFen : -e.amountFen;
        const acc: Measures = { balance: g.balance, total: this.m.custodyBalanceFen };
        addMeasures(acc, { balance: signed, total: signed });
        g.balance = acc.balance;
        this.m.custodyBalanceFen = acc.total;
        // 期初: everything before the period, and openings carried in within it (never a receipt).
        if (e.date < p.start || e.opening) g.opening += signed;
        else if (inPeriod(e.date, p)) {
          if (e.kind === 'receipt') {
            g.receipts += e.amountFen;
            this.m.custodyReceiptsFen += e.amountFen;
          } else {
            g.disbursements += e.amountFen;
            this.m.custodyDisbursementsFen += e.amountFen;
          }
        }
        this.custody.set(e.sourceCode, g);
        return;
      }
      case 'training_sessions': {
        const s = record as PackageData['training_sessions'][number];
        if (!inPeriod(s.date, p)) return;
        this.sessions.set(s.gid, s.categoryCode);
        this.categories.set(s.categoryCode, s.categoryLabel);
        return;
      }
      case 'attendances': {
        const a = record as PackageData['attendances'][number];
        if (a.status !== 'present' && a.status !== 'late') return;
        const cat = this.sessions.get(a.sessionGid);
        if (cat === undefined) return;
        const r = this.training.get(a.roleCode) ?? { label: a.roleLabel, cells: new Map<string, number>() };
        r.cells.set(cat, (r.cells.get(cat) ?? 0) + 1);
        this.training.set(a.roleCode, r);
        this.m.personTimes += 1;
        return;
      }
      case 'activities': {
        const a = record as PackageData['activities'][number];
        if (!inPeriod(a.date, p)) return;
        if (a.status === 'held') {
          const code = a.seriesCode ?? '';
          const g = this.series.get(code) ?? { label: a.seriesLabel ?? '未归入系列', count: 0, participants: 0, volunteers: 0 };
          g.count += 1;
          g.participants += a.participants ?? 0;
          g.volunteers += a.volunteers ?? 0;
          this.series.set(code, g);
          this.m.activities += 1;
        }
        if (a.major && a.status !== 'cancelled') {
          this.majors.push(a);
          this.m.majorActivities += 1;
          if (a.reportFiledOn === null) this.m.majorWithoutReport += 1;
        }
        return;
      }
    }
  }

  measures(): Record<MeasureKey, number> {
    return { ...this.m };
  }

  tables(): StandardTable[] {
    const classRows: Row[] = [...MANAGEMENT_CLASSES, NONE]
      .filter((c) => c !== NONE || this.byClass.has(NONE))
      .map((c) => {
        const a = this.byClass.get(c) ?? emptyAgg();
        return { cls: c === NONE ? NONE : MANAGEMENT_CLASS_LABELS[c as ManagementClass], urban: a.urban, rural: a.rural, unknown: a.unknown, total: a.total };
      });
    const byClass = withTotal({
      key: 'org_by_class',
      title: '社会组织分类统计',
      columns: [
        { key: 'cls', header: '管理类别', kind: 'text' },
        { key: 'urban', header: URBAN_RURAL_LABELS.urban, kind: 'int' },
        { key: 'rural', header: URBAN_RURAL_LABELS.rural, kind: 'int' },
        { key: 'unknown', header: '未标注城乡', kind: 'int' },
        { key: 'total', header: '小计', kind: 'int' },
      ],
      rows: classRows,
    });
    const byField = withTotal({
      key: 'org_by_field',
      title: '社会组织按活动领域',
      columns: [
        { key: 'field', header: '活动领域', kind: 'text' },
        { key: 'registered', header: MANAGEMENT_CLASS_LABELS.registered, kind: 'int' },
        { key: 'filed', header: MANAGEMENT_CLASS_LABELS.filed, kind: 'int' },
        { key: 'guided', header: MANAGEMENT_CLASS_LABELS.guided, kind: 'int' },
        { key: 'total', header: '合计', kind: 'int' },
      ],
      rows: [...this.byField.entries()]
        .sort(([a], [b]) => cmp(a, b))
        .map(([field, a]) => ({ field, registered: a.registered, filed: a.filed, guided: a.guided, total: a.total })),
    });
    const byArea = withTotal({
      key: 'org_by_area',
      title: '社会组织按地区',
      columns: [
        { key: 'code', header: '区划代码', kind: 'text' },
        { key: 'name', header: '地区', kind: 'text' },
        { key: 'urban', header: '城市', kind: 'int' },
        { key: 'rural', header: '农村', kind: 'int' },
        { key: 'total', header: '合计', kind: 'int' },
      ],
      rows: [...this.byArea.entries()]
        .sort(([a], [b]) => cmp(a, b))
        .map(([code, a]) => ({ code: code || NONE, name: a.name, urban: a.urban, rural: a.rural, total: a.total })),
    });
    const incubation = withTotal({
      key: 'incubation',
      title: '孵化情况',
      columns: [
        { key: 'stage', header: '孵化阶段', kind: 'text' },
        { key: 'current', header: '期末数量', kind: 'int' },
        { key: 'entered', header: '本期进入', kind: 'int' },
      ],
      rows: PACKAGE_STAGES.map((s) => ({ stage: PACKAGE_STAGE_LABELS[s], current: this.stageNow.get(s) ?? 0, entered: this.stageEntered.get(s) ?? 0 })),
    });
    const venue = withTotal({
      key: 'venue_use',
      title: '场地使用',
      columns: [
        { key: 'venue', header: '场地', kind: 'text' },
        { key: 'bookings', header: '预约场次', kind: 'int' },
        { key: 'minutesBooked', header: '预约时长(分钟)', kind: 'int' },
        { key: 'minutesUsed', header: '实际使用(分钟)', kind: 'int' },
        { key: 'attendance', header: '使用人次', kind: 'int' },
      ],
      rows: [...this.venueUse.entries()]
        .map(([gid, u]) => ({ name: this.venues.get(gid) ?? '(未列出的场地)', gid, u }))
        .sort((a, b) => cmp(a.name, b.name) || cmp(a.gid, b.gid))
        .map(({ name, u }) => ({ venue: name, ...u })),
    });
    const custody = withTotal({
      key: 'custody_by_source',
      title: '代管资金按来源',
      columns: [
        { key: 'source', header: '资金来源', kind: 'text' },
        { key: 'opening', header: '期初余额', kind: 'fen' },
        { key: 'receipts', header: '本期收入', kind: 'fen' },
        { key: 'disbursements', header: '本期支出', kind: 'fen' },
        { key: 'balance', header: '期末余额', kind: 'fen' },
      ],
      rows: [...this.custody.entries()]
        .sort(([a], [b]) => cmp(a, b))
        .map(([, g]) => ({ source: g.label, opening: g.opening, receipts: g.receipts, disbursements: g.disbursements, balance: g.balance })),
    });
    const catCodes = [...this.categories.keys()].sort(cmp);
    const training = withTotal({
      key: 'training',
      title: '培训人次',
      columns: [
        { key: 'role', header: '培训对象', kind: 'text' },
        ...catCodes.map((c) => ({ key: `c_${c}`, header: this.categories.get(c)!, kind: 'int' as const })),
        { key: 'total', header: '合计人次', kind: 'int' },
      ],
      rows: [...this.training.entries()]
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
        }),
    });
    const series = withTotal({
      key: 'activities_by_series',
      title: '活动按品牌系列',
      columns: [
        { key: 'series', header: '活动系列', kind: 'text' },
        { key: 'count', header: '活动次数', kind: 'int' },
        { key: 'participants', header: '服务人次', kind: 'int' },
        { key: 'volunteers', header: '志愿者人次', kind: 'int' },
      ],
      rows: [...this.series.entries()]
        .sort(([a], [b]) => cmp(a === '' ? '\uffff' : a, b === '' ? '\uffff' : b))
        .map(([, g]) => ({ series: g.label, count: g.count, participants: g.participants, volunteers: g.volunteers })),
    });
    const majors: StandardTable = {
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
      rows: [...this.majors]
        .sort((a, b) => cmp(a.date, b.date) || cmp(a.gid, b.gid))
        .map((a) => ({
          date: a.date,
          org: (a.orgGid && this.orgNames.get(a.orgGid)) || '',
          title: a.title,
          kind: a.kindLabel ?? '',
          participants: a.participants ?? 0,
          filedOn: a.reportFiledOn ?? '',
          state: MAJOR_REPORT_STATE_LABELS[majorReportState(a)],
        })),
    };
    return [byClass, byField, byArea, incubation, venue, custody, training, series, majors];
  }
}

export type MajorReportState = 'filed' | 'late' | 'missing';
export const MAJOR_REPORT_STATE_LABELS: Record<MajorReportState, string> = { filed: '已按时报告', late: '逾期报告', missing: '未报告' };

export function majorReportState(a: { date: string; reportFiledOn: string | null }): MajorReportState {
  if (a.reportFiledOn === null) return 'missing';
  return a.reportFiledOn < a.date ? 'filed' : 'late';
}

function feed(data: PackageData, period: Period): StandardTablesBuilder {
  const b = new StandardTablesBuilder(period);
  for (const t of PACKAGE_TABLE_NAMES) for (const r of data[t]) b.add(t, r as never);
  return b;
}

export function buildStandardTables(data: PackageData, period: Period): StandardTable[] {
  return feed(data, period).tables();
}

export function hubMeasures(data: PackageData, period: Period): Record<MeasureKey, number> {
  return feed(data, period).measures();
}
