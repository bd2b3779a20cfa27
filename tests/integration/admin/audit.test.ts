import { afterEach, describe, expect, it } from 'vitest';
import { openDemoCore, refusal } from '../../helpers/core';
import { rawGet, rawRun } from '../../helpers/engine';

describe('audit log', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('records who, when, what, before and after for a write, in the same transaction', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    await t.call('settings.update', { hubName: '武侯区孵化基地(改名)', settings: { majorActivityThreshold: 150 } });
    const { rows } = await t.call('audit.list', { startRow: 0, endRow: 5, filter: { action: 'settings.update' } });
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r.username).toBe('admin');
    expect(r.entity).toBe('hub');
    expect(JSON.parse(r.before!).settings.majorActivityThreshold).toBe(100);
    expect(JSON.parse(r.after!).settings.majorActivityThreshold).toBe(150);
    expect(JSON.parse(r.after!).hub.name).toBe('武侯区孵化基地(改名)');
    expect(Date.now() - new Date(r.at).getTime()).toBeLessThan(60_000);
  });

  it('writes nothing, neither the change nor its audit row, when the write is refused half-way', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const before = (await rawGet<{ n: number }>(t.core, 'SELECT count(*) AS n FROM audit_log'))!;
    const err = await refusal(t.core, 'settings.update', { hubName: '新名称', regionCode: '12' }, t.token);
    expect(err.code).toBe('VALIDATION');
    const after = (await rawGet<{ n: number }>(t.core, 'SELECT count(*) AS n FROM audit_log'))!;
    expect(after.n).toBe(before.n);
    expect((await t.call('settings.get', {})).hub.name).not.toBe('新名称');
  });

  it('is append-only even for raw SQL', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    await expect(rawRun(t.core, "UPDATE audit_log SET summary = 'x'")).rejects.toThrow(/审计日志不可修改/);
    await expect(rawRun(t.core, 'DELETE FROM audit_log')).rejects.toThrow(/审计日志不可删除/);
  });

  it('pages, filters and sorts in SQL', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    for (let i = 0; i < 12; i++) await t.call('dict.save', { kind: 'org_field', label: `测试领域${i}`, sortOrder: 100 + i, active: true });
    const page1 = await t.call('audit.list', { startRow: 0, endRow: 5, filter: { action: 'dict.save' } });
    const page2 = await t.call('audit.list', { startRow: 5, endRow: 10, filter: { action: 'dict.save' } });
    expect(page1.total).toBe(12);
    expect(page1.rows).toHaveLength(5);
    expect(new Set([...page1.rows, ...page2.rows].map((r) => r.id)).size).toBe(10);
    const asc = await t.call('audit.list', { startRow: 0, endRow: 1, sort: [{ colId: 'id', sort: 'asc' }], filter: { text: '测试领域' } });
    expect(asc.rows[0].summary).toContain('测试领域0');
    const none = await t.call('audit.list', { startRow: 0, endRow: 10, filter: { from: '2000-01-01', to: '2000-01-02' } });
    expect(none.total).toBe(0);
  });

  it('keeps dictionary codes stable when a label changes', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const added = await t.call('dict.save', { kind: 'org_field', label: '生活服务类', sortOrder: 60, active: true });
    expect(added.code).toBe('F06');
    const renamed = await t.call('dict.save', { kind: 'org_field', code: 'F06', label: '生活服务', sortOrder: 60, active: true });
    expect(renamed.code).toBe('F06');
    const dup = await refusal(t.core, 'dict.save', { kind: 'org_field', label: '公益慈善', sortOrder: 1, active: true }, t.token);
    expect(dup.code).toBe('CONFLICT');
    const list = await t.call('dict.list', { kind: 'org_field' });
    expect(list.find((e) => e.code === 'F06')?.label).toBe('生活服务');
  });
});
