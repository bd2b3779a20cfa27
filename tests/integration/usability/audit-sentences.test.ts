import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { LIST_EXPORTS } from '@shared/exporting/lists';
import { caller, loginAs, openDemoCore } from '../../helpers/core';

/**
 * Issue 18: the audit log showed English codes (organizations.update, organization), UUIDs and raw JSON. It now
 * reads as sentences — who did what to which named record, with the changed fields by their Chinese labels —
 * with filters (who, area, action, date range, record) and an export.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('the audit log reads as sentences', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  let orgId: string;
  let orgName: string;
  beforeAll(async () => {
    t = await openDemoCore('admin');
    const staff = caller(t.core, await loginAs(t.core, 'zhangli'));
    const list = await t.call('organizations.list', { startRow: 0, endRow: 1 });
    orgId = list.rows[0].id;
    const d = await t.call('organizations.get', { id: orgId });
    orgName = d.input.name;
    await staff('organizations.update', { id: orgId, version: d.version, input: { ...d.input, leaderPhone: '13912345678', memberCount: (d.input.memberCount ?? 0) + 7 } });
  });
  afterAll(async () => t?.cleanup());

  it('names who, what, which record and each changed field with old and new value', async () => {
    const r = await t.call('audit.list', { startRow: 0, endRow: 5, filter: { entityId: orgId } });
    const row = r.rows[0];
    expect(row.actorName).toBe('张丽(孵化专员)');
    expect(row.actionLabel).toBe('修改组织');
    expect(row.areaLabel).toBe('组织台账');
    expect(row.recordName).toBe(orgName);
    expect(row.sentence).toMatch(new RegExp(`^张丽\\(孵化专员\\) 修改组织「${orgName.replace(/[()（）]/g, '.')}」：`));
    expect(row.sentence).toMatch(/负责人电话 由 .+ 改为 13912345678|联系电话 由 .+ 改为 13912345678/);
    expect(row.changes.map((c) => c.label)).toEqual(expect.arrayContaining(['成员人数']));
  });

  it('no sentence in the whole log carries an English code, a UUID or JSON', async () => {
    const r = await t.call('audit.list', { startRow: 0, endRow: 2000 });
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) {
      for (const text of [row.sentence, row.actorName, row.actionLabel, row.areaLabel, row.recordName, ...row.changes.flatMap((c) => [c.label, c.from, c.to])]) {
        expect(text, row.sentence).not.toMatch(UUID);
        expect(text, row.sentence).not.toMatch(/[{}[\]"]/);
        expect(text.replace(/CSV|GBK|UTF-8|PDF|Excel|xlsx|SM2|SM3|Ed25519|ID|cli/g, ''), row.sentence).not.toMatch(/[a-z]{3,}\.[a-z]|[a-z]{4,}/);
      }
    }
  });

  it('filters by who, area, action, date range and record', async () => {
    const byWho = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { username: 'zhangli' } });
    expect(byWho.rows.length).toBeGreaterThan(0);
    expect(byWho.rows.every((r) => r.username === 'zhangli')).toBe(true);
    const byArea = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { area: 'organizations', username: 'zhangli' } });
    expect(byArea.rows.length).toBeGreaterThan(0);
    expect(byArea.rows.every((r) => r.areaLabel === '组织台账')).toBe(true);
    const none = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { area: 'custody', username: 'zhangli' } });
    expect(none.rows.every((r) => r.areaLabel === '代管资金')).toBe(true);
    const byAction = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { action: 'organizations.update' } });
    expect(byAction.rows.every((r) => r.actionLabel === '修改组织')).toBe(true);
    const at = byAction.rows[0].at;
    const day = new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10);
    const inRange = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { from: day, to: day, entityId: orgId } });
    expect(inRange.rows.length).toBeGreaterThan(0);
    const before = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { to: '2000-01-01', entityId: orgId } });
    expect(before.rows).toEqual([]);
  });

  it('exports the filtered log with the sentences and date-time cells', async () => {
    const spec = LIST_EXPORTS.audit;
    const file = await t.call('exports.table', { call: spec.call, input: { filter: { entityId: orgId } }, columns: spec.columns, title: spec.title });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(3).getCell(1).value).toBeInstanceOf(Date);
    expect(String(ws.getRow(3).getCell(6).value)).toMatch(/^张丽\(孵化专员\) 修改组织「/);
  });
});
