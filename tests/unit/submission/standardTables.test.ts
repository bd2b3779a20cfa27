import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { requirePeriod } from '@shared/submission/period';
import { checkRecord, emptyPackageData, type PackageData } from '@shared/submission/records';
import { sample } from './fixtures';
import { buildStandardTables, hubMeasures, majorReportState, MEASURE_KEYS, type StandardTable } from '@shared/submission/standardTables';

const Q3 = requirePeriod('2026-Q3');

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
      { source: '政府购买服务', opening: 500000, receipts: 0, disbursements: 123450, balance: 376550 },
      { source: '社会捐赠', opening: 0, receipts: 1001, disbursements: 0, balance: 1001 },
    ]);
    expect(table(ts, 'custody_by_source').total).toMatchObject({ opening: 500000, receipts: 1001, disbursements: 123450, balance: 377551 });
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
    expect(bad).toEqual({ ok: false, message: expect.stringContaining('字段「金额(分)」') });
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
