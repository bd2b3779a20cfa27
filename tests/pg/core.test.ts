import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoCore, refusal } from '../helpers/core';

// The core itself on PostgreSQL (openTestCore gives each core a fresh database under `npm run test:pg`).
describe('the core on PostgreSQL', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('admin');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('opens the demo hub on PostgreSQL and serves calls', async () => {
    expect(t.core.engine).toBe('postgres');
    const list = await t.call('organizations.list', { startRow: 0, endRow: 20, sort: [], filter: {} } as never);
    expect((list as { total: number }).total).toBeGreaterThan(0);
  });

  it('writes with its audit row in the same transaction', async () => {
    const { id } = await t.call('organizations.create', { input: { name: '测试邻里守望志愿服务队', mgmtClass: 'filed', street: '玉林街道' } });
    const audit = await t.core.db.selectFrom('audit_log').select(['summary']).where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.summary).join()).toMatch(/测试邻里守望志愿服务队/);
  });

  it('queues concurrent writers: parallel creates all land, each with its audit row', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `并发测试互助队${i + 1}`);
    const ids = await Promise.all(names.map((name) => t.call('organizations.create', { input: { name, mgmtClass: 'filed' } })));
    const audited = await t.core.db.selectFrom('audit_log').select('entity_id').where('entity_id', 'in', ids.map((r) => r.id)).execute();
    expect(new Set(audited.map((a) => a.entity_id)).size).toBe(names.length);
  });

  it('refuses through the database rules with their Chinese text', async () => {
    const err = await refusal(t.core, 'organizations.create', { name: '' }, t.token);
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
