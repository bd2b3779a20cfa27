import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { formatFenPlain } from '@shared/money';
import { requirePeriod } from '@shared/submission/period';
import type { ConsolidatedView } from '@shared/contract/submission';
import { openDemoCore } from '../../helpers/core';
import { onPostgres } from '../../helpers/engine';
import { verifyPackage } from '../../../electron/core/submission/package/verify';
import { fileOf, openHub } from './helpers';

/**
 * The package round trip with every area's real data: the demo county hub (organizations, venues, custody,
 * training, activities) checks, builds and signs its package; a city federation registers it and imports it;
 * the city's drill-down to the county shows exactly the tables the hub put in its own workbook, and the
 * figures agree with the areas' own tables at the hub.
 */

type Table = ConsolidatedView['tables'][number];

/** A table as the workbook writes it: header row, data rows, 合计 row; money as yuan text. */
function asSheetRows(t: Table): string[][] {
  const cell = (kind: string, v: string | number | undefined) => (v === undefined ? '' : kind === 'fen' ? formatFenPlain(Number(v)) : String(v));
  const rows = [t.columns.map((c) => (c.kind === 'fen' ? `${c.header}(元)` : c.header))];
  for (const r of t.rows) rows.push(t.columns.map((c) => cell(c.kind, r[c.key])));
  if (t.rows.length === 0) rows.push(['(本期无数据)']);
  if (t.total) rows.push(t.columns.map((c) => cell(c.kind, t.total![c.key])));
  return rows;
}

/** Every sheet after the cover, without its title row, cells as text (empty cells as ''). */
async function workbookSheets(bytes: Buffer): Promise<Map<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out = new Map<string, string[][]>();
  for (const ws of wb.worksheets.slice(1)) {
    const rows: string[][] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const values = row.values as unknown[];
      rows.push(Array.from({ length: Math.max(1, values.length - 1) }, (_, i) => (values[i + 1] === null || values[i + 1] === undefined ? '' : String(values[i + 1]))));
    });
    out.set(ws.name, rows);
  }
  return out;
}

describe('round trip of a demo hub with every area: build → verify → import gives the same tables', () => {
  let hub: Awaited<ReturnType<typeof openDemoCore>>;
  let city: Awaited<ReturnType<typeof openHub>>;
  let period = '';

  beforeAll(async () => {
    hub = await openDemoCore('liming'); // approver: may sign the package
    city = await openHub('成都市社区社会组织联合会', '510100', 'city');
    period = (await hub.call('submission.status', {})).suggestedPeriod;
  });
  afterAll(async () => {
    await Promise.all([hub?.cleanup(), city?.cleanup()]);
  });

  it('imports the county package at the city and shows the tables of the hub’s own workbook', async () => {
    const { items } = await hub.call('submission.checks', { period });
    const built = await hub.call('submission.build', { period, confirm: items.map((i) => i.code) });
    // Every area is in the package.
    for (const t of ['organizations', 'incubation_events', 'venues', 'bookings', 'custody_entries', 'training_sessions', 'attendances', 'activities']) {
      expect(built.build.recordCounts[t], t).toBeGreaterThan(0);
    }
    const key = await hub.call('submission.exportKey', {});
    await city.call('submission.hubs.register', { keyFile: Buffer.from(key.base64, 'base64').toString('utf8'), contact: '', note: '' });
    const [imported] = await city.call('submission.packages.import', { files: [fileOf(built.file)], period });
    expect(imported.status).toBe('imported');

    const drill = await city.call('submission.consolidated', { period, level: 'county', code: '510107000000', includeOwn: false });
    expect(drill.hubs).toHaveLength(1);
    expect(drill.hubs[0].measures).toEqual(built.build.measures);
    // The package holds only the county's own data: the street packages it collected are not resent.
    expect(drill.children).toHaveLength(0);

    const v = await verifyPackage(Buffer.from(built.file.base64, 'base64'), {
      resolveKeys: () => [{ publicKeyPem: (JSON.parse(Buffer.from(key.base64, 'base64').toString('utf8')) as { publicKeyPem: string }).publicKeyPem }],
      collectWorkbook: true,
    });
    const sheets = await workbookSheets(v.workbook!);
    expect([...sheets.keys()]).toEqual(drill.tables.map((t) => t.title));
    for (const t of drill.tables) expect(sheets.get(t.title), t.title).toEqual(asSheetRows(t));

    // The city's totals of the county node are the county's own measures (one part, so the sum of the parts).
    expect(drill.node!.totals).toEqual(built.build.measures);
  });

  it('the figures agree with the areas’ own tables at the hub', async () => {
    const p = requirePeriod(period);
    const view = await city.call('submission.consolidated', { period, level: 'county', code: '510107000000', includeOwn: false });
    const db = hub.core.db;
    const one = async (q: ReturnType<typeof sql<{ n: number }>>) => Number((await q.execute(db)).rows[0]?.n ?? 0);

    const orgs = await one(sql<{ n: number }>`SELECT count(*) AS n FROM organizations WHERE status = 'active'`);
    expect(view.tables.find((t) => t.key === 'org_by_class')!.total!.total).toBe(orgs);

    const personTimes = await one(
      sql<{ n: number }>`SELECT count(*) AS n FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
        WHERE a.attended = 1 AND s.status <> 'cancelled' AND s.date BETWEEN ${p.start} AND ${p.end}`,
    );
    expect(view.tables.find((t) => t.key === 'training')!.total!.total).toBe(personTimes);
    expect(view.node!.totals.personTimes).toBe(personTimes);

    // Whole minutes of each booking, in each engine's own date arithmetic.
    const minutes = onPostgres
      ? sql`CAST(extract(epoch FROM CAST(end_at AS timestamp) - CAST(start_at AS timestamp)) / 60 AS bigint)`
      : sql`CAST(round((julianday(end_at) - julianday(start_at)) * 1440) AS INTEGER)`;
    const used = await one(
      sql<{ n: number }>`SELECT coalesce(sum(${minutes}), 0) AS n FROM venue_bookings
        WHERE state = 'used' AND substr(start_at, 1, 10) BETWEEN ${p.start} AND ${p.end}`,
    );
    expect(view.tables.find((t) => t.key === 'venue_use')!.total!.minutesUsed).toBe(used);

    // Custody balance at the period's end, from the ledger itself (liability lines, credit positive).
    const balance = await one(
      sql<{ n: number }>`SELECT coalesce(-sum(amount_fen), 0) AS n FROM custody_journal WHERE substr(account_code, 1, 4) IN ('2601', '2209') AND date <= ${p.end}`,
    );
    expect(view.tables.find((t) => t.key === 'custody_by_source')!.total!.balance).toBe(balance);
    expect(view.node!.totals.custodyBalanceFen).toBe(balance);

    const held = await one(sql<{ n: number }>`SELECT count(*) AS n FROM org_activities WHERE status = 'held' AND date BETWEEN ${p.start} AND ${p.end}`);
    expect(view.tables.find((t) => t.key === 'activities_by_series')!.total!.count).toBe(held);
    // The demo quarter has data in every area, so none of these agreements is 0 = 0.
    expect(Math.min(orgs, personTimes, used, balance, held)).toBeGreaterThan(0);
  });
});
