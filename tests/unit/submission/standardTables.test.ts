import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { requirePeriod } from '@shared/submission/period';
import { checkRecord, emptyPackageData, type PackageData } from '@shared/submission/records';
import { buildStandardTables, hubMeasures, majorReportState, MEASURE_KEYS, type StandardTable } from '@shared/submission/standardTables';

const Q3 = requirePeriod('2026-Q3');

function sample(hub = 'h1'): PackageData {
  const d = emptyPackageData();
  const org = (id: string, over: Partial<PackageData['organizations'][number]> = {}) => ({
    gid: `${hub}:${id}`,
    name: `组织${id}`,
    creditCode: null,
    managementClass: 'guided' as const,
    fieldCode: 'F01',
    fieldLabel: '为民服务',
    regionCode: '510104002003',
    regionName: '幸福社区',
    urbanRural: 'urban' as const,
    stage: null,
    foundedOn: null,
    memberCount: 12,
    volunteerCount: 3,
    status: 'active' as const,
    ...over,
  });
  d.organizations = [
    org('o1', { managementClass: 'registered', stage: 'incubating' }),
    org('o2', { urbanRural: 'rural', fieldCode: 'F04', fieldLabel: '文体娱乐', stage: 'graduated' }),
    org('o3', { managementClass: 'filed', urbanRural: null }),
    org('o4', { status: 'deregistered' }),
  ];
  d.incubation_events = [
    { gid: `${hub}:e1`, orgGid: `${hub}:o2`, fromStage: 'incubating', toStage: 'graduated', date: '2026-08-01' },
    { gid: `${hub}:e2`, orgGid: `${hub}:o1`, fromStage: 'admitted', toStage: 'incubating', date: '2026-05-01' },
  ];
  d.venues = [{ gid: `${hub}:v1`, name: '多功能厅', hostTypeLabel: null, capacity: 80 }];
  d.bookings = [
    { gid: `${hub}:b1`, venueGid: `${hub}:v1`, orgGid: `${hub}:o1`, date: '2026-07-03', minutes: 120, status: 'used', attendance: 30 },
    { gid: `${hub}:b2`, venueGid: `${hub}:v1`, orgGid: `${hub}:o2`, date: '2026-07-04', minutes: 60, status: 'approved', attendance: null },
    { gid: `${hub}:b3`, venueGid: `${hub}:v1`, orgGid: `${hub}:o2`, date: '2026-07-05', minutes: 60, status: 'cancelled', attendance: null },
    { gid: `${hub}:b4`, venueGid: `${hub}:v1`, orgGid: `${hub}:o2`, date: '2026-10-05', minutes: 60, status: 'used', attendance: 9 },
  ];
  d.custody_entries = [
    { gid: `${hub}:j1`, orgGid: `${hub}:o1`, date: '2026-03-01', kind: 'receipt', sourceCode: 'Z01', sourceLabel: '政府购买服务', amountFen: 500000, voucherNo: '1' },
    { gid: `${hub}:j2`, orgGid: `${hub}:o1`, date: '2026-07-10', kind: 'disbursement', sourceCode: 'Z01', sourceLabel: '政府购买服务', amountFen: 123450, voucherNo: '2' },
    { gid: `${hub}:j3`, orgGid: `${hub}:o2`, date: '2026-09-30', kind: 'receipt', sourceCode: 'Z05', sourceLabel: '社会捐赠', amountFen: 1001, voucherNo: '3' },
    { gid: `${hub}:j4`, orgGid: `${hub}:o2`, date: '2026-10-01', kind: 'receipt', sourceCode: 'Z05', sourceLabel: '社会捐赠', amountFen: 99999, voucherNo: '4' },
  ];
  d.training_sessions = [
    { gid: `${hub}:s1`, title: '党建培训', categoryCode: 'C01', categoryLabel: '党的建设', formatLabel: null, date: '2026-07-20', minutes: 120 },
    { gid: `${hub}:s2`, title: '财务', categoryCode: 'C04', categoryLabel: '日常运作', formatLabel: null, date: '2026-09-20', minutes: 60 },
    { gid: `${hub}:s3`, title: '旧课', categoryCode: 'C04', categoryLabel: '日常运作', formatLabel: null, date: '2026-06-20', minutes: 60 },
  ];
  const att = (id: string, s: string, role: string, label: string, status: 'present' | 'late' | 'absent' | 'excused') => ({
    gid: `${hub}:a${id}`,
    sessionGid: `${hub}:${s}`,
    traineeGid: `${hub}:t${id}`,
    roleCode: role,
    roleLabel: label,
    status,
  });
  d.attendances = [
    att('1', 's1', 'R04', '社区社会组织负责人', 'present'),
    att('2', 's1', 'R04', '社区社会组织负责人', 'late'),
    att('3', 's1', 'R06', '社区志愿者', 'absent'),
    att('4', 's2', 'R06', '社区志愿者', 'present'),
    att('5', 's3', 'R06', '社区志愿者', 'present'),
  ];
  const act = (id: string, over: Partial<PackageData['activities'][number]>) => ({
    gid: `${hub}:x${id}`,
    orgGid: `${hub}:o1`,
    title: `活动${id}`,
    date: '2026-08-08',
    seriesCode: 'S01',
    seriesLabel: '邻里守望',
    kindLabel: '志愿服务',
    status: 'held' as const,
    participants: 20,
    volunteers: 5,
    major: false,
    reportFiledOn: null,
    ...over,
  });
  d.activities = [
    act('1', {}),
    act('2', { seriesCode: null, seriesLabel: null }),
    act('3', { major: true, kindLabel: '文化演出', participants: 300, reportFiledOn: '2026-08-01' }),
    act('4', { major: true, status: 'planned', date: '2026-09-28', participants: 150, reportFiledOn: null }),
    act('5', { status: 'cancelled', major: true }),
  ];
  return d;
}

const table = (ts: StandardTable[], key: string) => ts.find((t) => t.key === key)!;

describe('standard tables', () => {
  const ts = buildStandardTables(sample(), Q3);
  it('organizations by class and urban/rural, skipping deregistered ones', () => {
    const t = table(ts, 'org_by_class');
    expect(t.rows).toEqual([
      { cls: '依法登记', urban: 1, rural: 0, unknown: 0, total: 1 },
      { cls: '街道(乡镇)备案', urban: 0, rural: 0, unknown: 1, total: 1 },
      { cls: '社区(村)指导', urban: 0, rural: 1, unknown: 0, total: 1 },
    ]);
    expect(t.total).toEqual({ cls: '合计', urban: 1, rural: 1, unknown: 1, total: 3 });
    expect(table(ts, 'org_by_field').rows.map((r) => [r.field, r.total])).toEqual([
      ['为民服务', 2],
      ['文体娱乐', 1],
    ]);
    expect(table(ts, 'org_by_area').rows).toEqual([{ code: '510104002003', name: '幸福社区', urban: 1, rural: 1, total: 3 }]);
  });
  it('incubation pipeline: stage now and changes within the period', () => {
    const t = table(ts, 'incubation');
    expect(t.rows.find((r) => r.stage === '孵化中')).toEqual({ stage: '孵化中', current: 1, entered: 0 });
    expect(t.rows.find((r) => r.stage === '出壳')).toEqual({ stage: '出壳', current: 1, entered: 1 });
  });
  it('venue use counts approved and used bookings within the period', () => {
    expect(table(ts, 'venue_use').rows).toEqual([{ venue: '多功能厅', bookings: 2, minutesBooked: 180, minutesUsed: 120, attendance: 30 }]);
  });
  it('custody by source: movements in the period, balance at its end, in fen', () => {
    expect(table(ts, 'custody_by_source').rows).toEqual([
      { source: '政府购买服务', receipts: 0, disbursements: 123450, balance: 376550 },
      { source: '社会捐赠', receipts: 1001, disbursements: 0, balance: 1001 },
    ]);
    expect(table(ts, 'custody_by_source').total).toMatchObject({ receipts: 1001, disbursements: 123450, balance: 377551 });
  });
  it('training person-times by role and category (present or late only)', () => {
    const t = table(ts, 'training');
    expect(t.columns.map((c) => c.header)).toEqual(['培训对象', '党的建设', '日常运作', '合计人次']);
    expect(t.rows).toEqual([
      { role: '社区社会组织负责人', c_C01: 2, c_C04: 0, total: 2 },
      { role: '社区志愿者', c_C01: 0, c_C04: 1, total: 1 },
    ]);
  });
  it('activities by series and major activities with their report state', () => {
    expect(table(ts, 'activities_by_series').rows).toEqual([
      { series: '邻里守望', count: 2, participants: 320, volunteers: 10 },
      { series: '未归入系列', count: 1, participants: 20, volunteers: 5 },
    ]);
    expect(table(ts, 'major_activities').rows.map((r) => [r.title, r.state])).toEqual([
      ['活动3', '已按时报告'],
      ['活动4', '未报告'],
    ]);
    expect(majorReportState({ date: '2026-08-08', reportFiledOn: '2026-08-08' })).toBe('late');
  });
  it('hub measures agree with the tables', () => {
    const m = hubMeasures(sample(), Q3);
    expect(m).toMatchObject({ organizations: 3, registered: 1, incubating: 1, graduatedInPeriod: 1, venueBookings: 2, custodyBalanceFen: 377551, personTimes: 3, activities: 3, majorActivities: 2, majorWithoutReport: 1 });
    expect(Object.keys(m).sort()).toEqual([...MEASURE_KEYS].sort());
  });
  it('every sample record matches its package schema, and a bad one names the field', () => {
    const d = sample();
    for (const [t, rows] of Object.entries(d)) for (const r of rows) expect(checkRecord(t, r).ok).toBe(true);
    const bad = checkRecord('custody_entries', { ...d.custody_entries[0], amountFen: 12.5 });
    expect(bad).toEqual({ ok: false, message: expect.stringContaining('字段 amountFen') });
  });
  it('property: tables over the data of several hubs equal the sum of each hub’s tables', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 5 }), (n, amounts) => {
        const hubs = Array.from({ length: n }, (_, i) => {
          const d = sample(`hub${i}`);
          d.custody_entries.push(...amounts.map((a, k) => ({ ...d.custody_entries[0], gid: `hub${i}:extra${k}`, amountFen: a + i, date: '2026-08-0' + ((k % 9) + 1) })));
          return d;
        });
        const all = emptyPackageData();
        for (const h of hubs) for (const k of Object.keys(all) as (keyof PackageData)[]) (all[k] as unknown[]).push(...h[k]);
        const whole = hubMeasures(all, Q3);
        for (const key of MEASURE_KEYS) expect(whole[key]).toBe(hubs.reduce((s, h) => s + hubMeasures(h, Q3)[key], 0));
        const wholeTables = buildStandardTables(all, Q3);
        for (const t of wholeTables) {
          if (!t.total) continue;
          for (const c of t.columns.filter((c) => c.kind !== 'text')) {
            const parts = hubs.reduce((s, h) => s + Number(table(buildStandardTables(h, Q3), t.key).total?.[c.key] ?? 0), 0);
            expect(t.total[c.key]).toBe(parts);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
