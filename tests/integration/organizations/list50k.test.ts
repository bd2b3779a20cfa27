import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSearchText } from '../../../electron/core/organizations/records';
import { pinyinFull } from '../../../electron/core/text/pinyin';
import { ORG_LIST_MAX_BLOCK } from '@shared/organizations/list';
import { openDemoCore } from '../../helpers/core';
import { bulkInsert } from '../../helpers/engine';
import type { Core } from '../../../electron/core/core';

const N = 50_000;
const THEMES = ['邻里守望', '夕阳红', '书香', '平安巡逻', '绿色家园', '四点半课堂', '太极'];
const SUFFIXES = ['志愿服务队', '协会', '互助会', '合唱团', '读书会'];
const STREETS = ['玉林街道', '浆洗街街道', '望江路街道', '火车南站街道', '红牌楼街道', '簇桥街道', '机投桥街道', '晋阳街道', '金花桥街道', '簇锦街道'];
const CLASSES = ['registered', 'filed', 'guided'] as const;

interface Made {
  id: string;
  name: string;
  namePinyin: string;
  street: string;
  mgmtClass: string;
  memberCount: number;
  phone: string;
  updatedAt: string;
}

/**
 * 50,000 organizations written straight into the table (the list is what is under test, not the writes; one bulk
 * fill that works on either engine), with
 * known values so every expectation below is computed independently in JavaScript. updated_at repeats (1,000
 * distinct instants), as after an import, so the order's tie-break is exercised.
 */
async function fill(core: Core): Promise<Made[]> {
  const made: Made[] = [];
  const rows: Record<string, unknown>[] = [];
  const pinyinOf = new Map<string, string>();
  for (let i = 0; i < N; i++) {
    const base = THEMES[i % THEMES.length] + SUFFIXES[i % SUFFIXES.length];
    const name = `${base}${i}`;
    if (!pinyinOf.has(base)) pinyinOf.set(base, pinyinFull(base));
    const m: Made = {
      id: `big-${String(i).padStart(5, '0')}`,
      name,
      namePinyin: `${pinyinOf.get(base)}${i}`,
      street: STREETS[i % STREETS.length],
      mgmtClass: CLASSES[i % CLASSES.length],
      memberCount: i % 60,
      phone: `100${String(i).padStart(8, '0')}`, // no demo phone starts with 10
      updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 1000)).toISOString(),
    };
    const search = buildSearchText({ name, shortName: null, creditCode: null, leaderName: null, leaderPhone: m.phone, contactName: null, contactPhone: null });
    rows.push({
      id: m.id,
      name: m.name,
      name_pinyin: m.namePinyin,
      mgmt_class: m.mgmtClass,
      street: m.street,
      leader_phone: m.phone,
      member_count: m.memberCount,
      search_text: search,
      created_at: m.updatedAt,
      updated_at: m.updatedAt,
    });
    made.push(m);
  }
  await bulkInsert(core, 'organizations', rows);
  return made;
}

const byDefaultOrder = (a: Made, b: Made) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1);

describe('the organization list at 50,000 rows', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  let made: Made[];
  beforeAll(async () => {
    t = await openDemoCore('zhaoqiang'); // a viewer: the list is read-only work
    made = await fill(t.core);
  }, 180_000);
  afterAll(async () => t.cleanup());

  // the demo hub's organizations stay; this filter keeps to ours
  const only = { filterModel: { leaderPhone: { filterType: 'text' as const, type: 'startsWith' as const, filter: '100' } } };

  it('serves blocks in a total order: paging through every row returns each organization exactly once', async () => {
    const first = await t.call('organizations.list', { startRow: 0, endRow: 100, withCount: true, ...only });
    expect(first.total).toBe(N);
    expect(first.rows).toHaveLength(100);
    const expected = [...made].sort(byDefaultOrder);
    expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 100).map((m) => m.id));

    const seen: string[] = [];
    for (let start = 0; start < N; start += ORG_LIST_MAX_BLOCK) {
      const r = await t.call('organizations.list', { startRow: start, endRow: start + ORG_LIST_MAX_BLOCK, withCount: false, ...only });
      expect(r.total).toBeNull();
      seen.push(...r.rows.map((x) => x.id));
    }
    expect(seen).toHaveLength(N);
    expect(seen).toEqual(expected.map((m) => m.id));

    // a block larger than the maximum is cut to the maximum
    const big = await t.call('organizations.list', { startRow: 0, endRow: 5_000, withCount: false, ...only });
    expect(big.rows).toHaveLength(ORG_LIST_MAX_BLOCK);
  }, 180_000);

  it('filters on two columns and sorts in SQL, agreeing with the same filter done in JavaScript', async () => {
    const r = await t.call('organizations.list', {
      startRow: 0,
      endRow: 500,
      withCount: true,
      filterModel: { street: { filterType: 'text', type: 'equals', filter: '簇桥街道' }, mgmtClass: { filterType: 'enum', values: ['filed'] }, ...only.filterModel },
      sortModel: [{ colId: 'memberCount', sort: 'desc' }],
    });
    const want = made
      .filter((m) => m.street === '簇桥街道' && m.mgmtClass === 'filed')
      .sort((a, b) => (a.memberCount === b.memberCount ? (a.id < b.id ? 1 : -1) : b.memberCount - a.memberCount));
    expect(r.total).toBe(want.length);
    expect(r.rows.map((x) => x.id)).toEqual(want.slice(0, 500).map((m) => m.id));

    const range = await t.call('organizations.list', {
      startRow: 0,
      endRow: 10,
      withCount: true,
      filterModel: { memberCount: { filterType: 'number', type: 'inRange', filter: 10, filterTo: 12 }, ...only.filterModel },
    });
    expect(range.total).toBe(made.filter((m) => m.memberCount >= 10 && m.memberCount <= 12).length);
  });

  it('sorts by name in pinyin order', async () => {
    const r = await t.call('organizations.list', { startRow: 200, endRow: 300, withCount: false, sortModel: [{ colId: 'name', sort: 'asc' }], ...only });
    const want = [...made].sort((a, b) => (a.namePinyin === b.namePinyin ? (a.id < b.id ? -1 : 1) : a.namePinyin < b.namePinyin ? -1 : 1));
    expect(r.rows.map((x) => x.id)).toEqual(want.slice(200, 300).map((m) => m.id));
  });

  it('searches by pinyin initials (dense matches) and by a phone tail (sparse matches) with the same rows either way', async () => {
    // dense: one in seven is 邻里守望…; pages deep into the matches too
    const llsw = made.filter((m) => m.name.startsWith('邻里守望')).sort(byDefaultOrder);
    for (const startRow of [0, 3_000]) {
      const r = await t.call('organizations.list', { startRow, endRow: startRow + 100, withCount: true, search: 'llsw', ...only });
      expect(r.total).toBe(llsw.length);
      expect(r.rows.map((x) => x.id)).toEqual(llsw.slice(startRow, startRow + 100).map((m) => m.id));
    }
    // sparse: the digits of a phone tail (also found inside names that carry the same digits)
    const tail = '4321';
    const hits = made.filter((m) => m.phone.endsWith(tail) || m.name.includes(tail) || m.phone.includes(tail)).sort(byDefaultOrder);
    const r = await t.call('organizations.list', { startRow: 0, endRow: 100, withCount: true, search: tail, ...only });
    expect(r.total).toBe(hits.length);
    expect(r.rows.map((x) => x.id)).toEqual(hits.slice(0, 100).map((m) => m.id));
    // the same search without asking for the count (the grid's later blocks) gives the same rows
    const again = await t.call('organizations.list', { startRow: 0, endRow: 100, withCount: false, search: tail, ...only });
    expect(again.rows.map((x) => x.id)).toEqual(r.rows.map((x) => x.id));
  });

  it('counts groups by street and class over all rows', async () => {
    const streets = await t.call('organizations.groupCounts', { by: 'street', ...only });
    expect(streets.reduce((s, g) => s + g.count, 0)).toBe(N);
    expect(streets.find((g) => g.key === '玉林街道')?.count).toBe(N / STREETS.length);
    const classes = await t.call('organizations.groupCounts', { by: 'mgmtClass', ...only });
    expect(Object.fromEntries(classes.map((g) => [g.key, g.count]))).toEqual({
      registered: made.filter((m) => m.mgmtClass === 'registered').length,
      filed: made.filter((m) => m.mgmtClass === 'filed').length,
      guided: made.filter((m) => m.mgmtClass === 'guided').length,
    });
  });
});
