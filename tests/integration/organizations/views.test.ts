import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, loginAs, openDemoCore, refusal } from '../../helpers/core';

describe('saved views of the organization list', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('zhangli');
  });
  afterAll(async () => t.cleanup());

  it('keeps search, quick filters, grid filters and sort per user; same name replaces; the view reproduces its rows', async () => {
    const state = {
      search: '协会',
      quick: { mgmtClass: ['filed' as const], street: '簇桥街道' },
      filterModel: { memberCount: { filterType: 'number' as const, type: 'greaterThan' as const, filter: 10 } },
      sortModel: [{ colId: 'name' as const, sort: 'asc' as const }],
    };
    const first = await t.call('organizations.views.save', { name: '簇桥备案协会', state });
    expect(first.replaced).toBe(false);
    const views = await t.call('organizations.views.list', {});
    expect(views.map((v) => v.name)).toEqual(['簇桥备案协会']);
    expect(views[0].state).toEqual(state);

    // the saved state is exactly what the list accepts: applying it gives the rows it describes
    const rows = await t.call('organizations.list', { startRow: 0, endRow: 500, ...views[0].state });
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) {
      expect(r.street).toBe('簇桥街道');
      expect(r.mgmtClass).toBe('filed');
      expect(r.memberCount!).toBeGreaterThan(10);
    }

    const again = await t.call('organizations.views.save', { name: '簇桥备案协会', state: { ...state, search: '' } });
    expect(again).toEqual({ id: first.id, replaced: true });
    expect((await t.call('organizations.views.list', {}))[0].state.search).toBe('');

    // another user does not see it and cannot delete it
    const other = caller(t.core, await loginAs(t.core, 'liming'));
    expect(await other('organizations.views.list', {})).toEqual([]);
    expect((await refusal(t.core, 'organizations.views.delete', { id: first.id }, await loginAs(t.core, 'liming'))).code).toBe('NOT_FOUND');

    // a viewer reads the list but keeps no views
    const viewer = await loginAs(t.core, 'zhaoqiang');
    expect((await refusal(t.core, 'organizations.views.save', { name: 'x', state }, viewer)).code).toBe('FORBIDDEN');

    const audit = await t.core.db.selectFrom('audit_log').select('summary').where('entity', '=', 'saved_view').execute();
    expect(audit.map((a) => a.summary)).toEqual(expect.arrayContaining(['保存组织台账视图「簇桥备案协会」', '更新组织台账视图「簇桥备案协会」']));

    await t.call('organizations.views.delete', { id: first.id });
    expect(await t.call('organizations.views.list', {})).toEqual([]);
  });

  it('refuses an empty name and filters on columns the list does not know, in Chinese', async () => {
    const empty = await refusal(t.core, 'organizations.views.save', { name: '  ', state: {} }, t.token);
    expect(empty.code).toBe('VALIDATION');
    expect(empty.message).toContain('请填写视图名称');
    const bad = await refusal(t.core, 'organizations.views.save', { name: '坏视图', state: { filterModel: { password: { filterType: 'text', type: 'equals', filter: 'x' } } } }, t.token);
    expect(bad.code).toBe('VALIDATION');
  });
});
