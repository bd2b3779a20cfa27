import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoCore } from '../../helpers/core';
import { rawAll, rawRun } from '../../helpers/engine';

/**
 * Issue 18: each organization figure has one definition, so every screen that shows it agrees: 工作台 (dashboard),
 * the ledger's count and its 超期 filter, the group counts, the incubation board and the street summary. Checked on
 * the demo hub and on the same hub after its records were shuffled at random (stages, dates, classes, status).
 */
describe('organization figures agree on every screen', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('admin');
  });
  afterAll(async () => t?.cleanup());

  async function compare() {
    const dash = (await t.call('dashboard.summary', {})).organizations!;
    const ledger = await t.call('organizations.list', { startRow: 0, endRow: 1, withCount: true });
    const overdueList = await t.call('organizations.list', { startRow: 0, endRow: 1, withCount: true, quick: { overdue: true } });
    const byClass = await t.call('organizations.groupCounts', { by: 'mgmtClass' });
    const byStage = await t.call('organizations.groupCounts', { by: 'incubationStage' });
    const board = await t.call('organizations.board', { perStage: 1 });
    const streets = await t.call('organizations.streetSummary', {});

    expect(dash.total, '工作台 组织数 vs 台账 共 N 个').toBe(ledger.total);
    expect(streets.rows.reduce((s, r) => s + r.total, 0), '分街道汇总 合计').toBe(ledger.total);
    expect(dash.overdueIncubation, '工作台 超期 vs 台账 超期筛选').toBe(overdueList.total);
    expect(board.columns.reduce((s, c) => s + c.overdue, 0), '看板 超期').toBe(overdueList.total);
    expect(streets.rows.reduce((s, r) => s + r.overdue, 0), '分街道 超期').toBe(overdueList.total);
    for (const c of dash.byClass) expect(c.count, `管理类别 ${c.label}`).toBe(byClass.find((g) => g.key === c.key)?.count ?? 0);
    for (const s of dash.byStage) {
      const col = board.columns.find((c) => c.stage === s.key)?.count ?? 0;
      expect(s.count, `阶段 ${s.label}: 工作台 vs 看板`).toBe(col);
      expect(s.count, `阶段 ${s.label}: 工作台 vs 分组统计`).toBe(byStage.find((g) => g.key === s.key)?.count ?? 0);
    }
    return { total: ledger.total, overdue: overdueList.total };
  }

  it('on the demo hub', async () => {
    const r = await compare();
    expect(r.total).toBeGreaterThan(100);
    expect(r.overdue).toBeGreaterThan(0);
  });

  it('on random data (stages, admission and agreement dates, classes and status shuffled)', async () => {
    let seed = 20261203;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const day = () => `20${String(20 + Math.floor(rnd() * 7)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    for (let round = 0; round < 3; round++) {
      // behind the services' back, as a DBA's UPDATE would: the figures are read from whatever the rows hold
      const ids = (await rawAll<{ id: string }>(t.core, 'SELECT id FROM organizations ORDER BY id')).map((r) => r.id);
      for (const id of ids) {
        const stage = pick([null, 'applied', 'admitted', 'incubating', 'graduated', 'withdrawn'] as const);
        const admitted = stage && stage !== 'applied' && rnd() < 0.85 ? day() : null;
        const status = pick(['active', 'active', 'withdrawn']);
        await rawRun(
          t.core,
          `UPDATE organizations SET incubation_stage = ?, admitted_date = ?, incubation_date = ?, agreement_end = ?, status = ?,
             withdrawn_date = CASE WHEN ? = 'withdrawn' THEN coalesce(withdrawn_date, incubation_date, '2025-01-01') END,
             withdrawn_reason = CASE WHEN ? = 'withdrawn' THEN coalesce(withdrawn_reason, '随机退出') END, mgmt_class = ? WHERE id = ?`,
          stage, admitted, stage ? admitted ?? day() : null, rnd() < 0.3 ? day() : null, status, status, status, pick(['registered', 'filed', 'guided']), id,
        );
      }
      await compare();
    }
  });
});
