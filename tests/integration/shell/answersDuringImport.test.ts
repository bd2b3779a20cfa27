import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoCore } from '../../helpers/core';
import { bigCsv } from '../../helpers/orgCsv';

type T = Awaited<ReturnType<typeof openDemoCore>>;

describe('other calls keep answering while a long import runs', () => {
  let t: T;
  beforeAll(async () => {
    t = await openDemoCore('zhangli');
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('a read call made during a 30k-row import is answered before the import ends, and sees the state before it', async () => {
    const file = { name: '台账.csv', base64: Buffer.from(bigCsv(), 'utf8').toString('base64') };
    const base = (await t.call('organizations.list', { startRow: 0, endRow: 1 })).total ?? 0;
    const order: string[] = [];
    const importing = t.call('organizations.import.commit', { file, mode: 'all' }).then((r) => {
      order.push('import');
      return r;
    });
    // Let the import start (parse, then take the write lock), then ask something else, several times.
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const page = await t.call('organizations.list', { startRow: 0, endRow: 1 });
      order.push('list');
      answers.push(page.total ?? 0);
    }
    const done = await importing;
    expect(done.counts.create).toBe(30_000);
    expect(order[0]).toBe('list');
    expect(order.indexOf('import')).toBeGreaterThan(0);
    // answered from the committed state: the import is all-or-nothing
    for (const n of answers.slice(0, order.indexOf('import'))) expect([base, base + 30_000]).toContain(n);
    const after = await t.call('organizations.list', { startRow: 0, endRow: 1 });
    expect(after.total).toBe(base + 30_000);
  }, 300_000);
});
