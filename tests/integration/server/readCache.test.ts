import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoCore } from '../../helpers/core';
import { startDesk } from '../../helpers/desk';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
}, 120_000);
afterAll(async () => t?.cleanup());

const org = (name: string) => ({ input: { name, mgmtClass: 'filed' as const, street: '玉林街道', community: '玉林北路社区', leaderName: '王小明', leaderPhone: '13800138000', memberCount: 6 } });

describe('the 工作台 figures computed once per committed state', () => {
  it('follow a change made here and one made by another process on the file (the CLI, a second server)', async () => {
    const before = await t.call('dashboard.summary', {});
    expect(await t.call('dashboard.summary', {})).toEqual(before);
    await t.call('organizations.create', org('缓存测试一队'));
    const afterHere = await t.call('dashboard.summary', {});
    expect(afterHere.organizations!.total).toBe(before.organizations!.total + 1);

    const desk = startDesk(t, 'zhangli');
    try {
      await desk.ready();
      desk.send('organizations.create', org('缓存测试二队'));
      const r = await desk.reply();
      expect(r.ok, JSON.stringify(r)).toBe(true);
    } finally {
      desk.stop();
    }
    const afterThere = await t.call('dashboard.summary', {});
    expect(afterThere.organizations!.total).toBe(before.organizations!.total + 2);
  }, 60_000);
});
