import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chooseOrigins,
  decideIncoming,
  dedupeByGid,
  findRegion,
  hubsUnder,
  mergeOrganizations,
  recordOrigin,
  resolveSupersession,
  rollUp,
  type HubContribution,
  type PackageRef,
  type RegionNode,
  type SourcedRecord,
} from '@shared/submission/merge';
import type { Origin } from '@shared/submission/manifest';
import { LEVELS, LEVEL_PREFIX_LENGTH, type Level } from '@shared/submission/region';

const ref = (packageId: string, hubId: string, period: string, createdAt: string, sha = packageId): PackageRef => ({
  packageId,
  hubId,
  period,
  createdAt,
  manifestSha256: sha,
});

describe('supersession', () => {
  const a1 = ref('p1', 'hubA', '2026-Q3', '2026-10-02T08:00:00+08:00');
  const a2 = ref('p2', 'hubA', '2026-Q3', '2026-10-05T08:00:00+08:00');
  const b1 = ref('p3', 'hubB', '2026-Q3', '2026-10-01T08:00:00+08:00');

  it('treats the same package again as a duplicate and the same id with other bytes as a conflict', () => {
    expect(decideIncoming([a1], a1)).toEqual({ action: 'duplicate', packageId: 'p1' });
    const d = decideIncoming([a1], { ...a1, manifestSha256: 'other' });
    expect(d.action).toBe('conflict');
    if (d.action === 'conflict') expect(d.reason).toContain('内容不同');
  });
  it('a newer package of the same hub and period supersedes the older, an older one arrives superseded', () => {
    expect(decideIncoming([a1, b1], a2)).toEqual({ action: 'activate', supersedes: ['p1'] });
    expect(decideIncoming([a2, b1], a1)).toEqual({ action: 'superseded', supersededBy: 'p2' });
    expect(decideIncoming([a1], ref('p9', 'hubA', '2026-Q2', '2026-10-09T00:00:00Z'))).toEqual({ action: 'activate', supersedes: [] });
  });
  it('resolves a whole set the same whatever the order of arrival', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            hub: fc.constantFrom('hubA', 'hubB', 'hubC'),
            period: fc.constantFrom('2026-Q1', '2026-Q2'),
            t: fc.integer({ min: 0, max: 20 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer(),
        (rows, seed) => {
          const pkgs = rows.map((r, i) => ref(`p${String(i).padStart(2, '0')}`, r.hub, r.period, new Date(Date.UTC(2026, 9, 1 + r.t)).toISOString()));
          const state = resolveSupersession(pkgs);
          // Replaying arrivals one by one in any order yields the same active set.
          const shuffled = [...pkgs].sort((x, y) => ((hash(x.packageId, seed) - hash(y.packageId, seed)) | 0));
          const active = new Set<string>();
          const seen: PackageRef[] = [];
          for (const p of shuffled) {
            const d = decideIncoming(seen, p);
            if (d.action === 'activate') {
              d.supersedes.forEach((s) => active.delete(s));
              active.add(p.packageId);
            }
            seen.push(p);
          }
          const expected = new Set([...state].filter(([, s]) => s.active).map(([id]) => id));
          expect(active).toEqual(expected);
          // Exactly one active per hub and period.
          const slots = new Set(pkgs.map((p) => `${p.hubId}/${p.period}`));
          expect(expected.size).toBe(slots.size);
        },
      ),
    );
  });
});

function hash(s: string, seed: number): number {
  let h = seed;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 2654435761);
  return h;
}

const origin = (hubId: string, packageId: string, createdAt: string, level: Level = 'village', regionCode = '510104002003'): Origin => ({
  hubId,
  hubName: hubId,
  regionCode,
  level,
  period: '2026',
  packageId,
  createdAt,
});

describe('origins', () => {
  it('counts each origin once: the newest version, a direct package before a relay', () => {
    const vA1 = origin('A', 'pa1', '2026-12-01T00:00:00Z');
    const vA2 = origin('A', 'pa2', '2026-12-05T00:00:00Z');
    const direct = { packageId: 'pa1', hubId: 'A', origins: [vA1] };
    const relay = { packageId: 'pc1', hubId: 'C', origins: [origin('C', 'pc1', '2026-12-06T00:00:00Z', 'county', '510104000000'), vA2] };
    let choice = chooseOrigins([direct, relay]);
    expect(choice.get('A')?.carrierPackageId).toBe('pc1'); // relay holds the newer version of A
    expect(choice.get('C')?.carrierPackageId).toBe('pc1');
    const relaySame = { ...relay, origins: [relay.origins[0], vA1] };
    choice = chooseOrigins([relaySame, direct]);
    expect(choice.get('A')?.carrierPackageId).toBe('pa1'); // same version: the direct package
    expect(recordOrigin('A:org-1', relay)).toBe('A');
    expect(recordOrigin('Z:org-1', relay)).toBe('C'); // not an origin of the carrier: the carrier's own
  });
});

type Org = { gid: string; creditCode?: string | null; name?: string };
const sourced = <R extends { gid: string }>(record: R, origin: string, pkg: string, at: string): SourcedRecord<R> => ({
  record,
  originHubId: origin,
  carrierPackageId: pkg,
  carrierHubId: origin,
  versionCreatedAt: at,
  versionPackageId: pkg,
});

describe('organizations from many hubs', () => {
  it('one organization per credit code with all its sources, the newest fields win', () => {
    const merged = mergeOrganizations<Org>([
      sourced({ gid: 'A:1', creditCode: '53640000MJX173672F', name: '旧名' }, 'A', 'pa', '2026-10-01T00:00:00Z'),
      sourced({ gid: 'B:7', creditCode: ' 53640000mjx173672f ', name: '新名' }, 'B', 'pb', '2026-10-03T00:00:00Z'),
      sourced({ gid: 'A:2', creditCode: null, name: '舞蹈队' }, 'A', 'pa', '2026-10-01T00:00:00Z'),
      sourced({ gid: 'B:8', creditCode: '', name: '舞蹈队' }, 'B', 'pb', '2026-10-03T00:00:00Z'),
    ]);
    expect(merged).toHaveLength(3);
    const reg = merged.find((m) => m.key === 'cc:53640000MJX173672F')!;
    expect(reg.record.name).toBe('新名');
    expect(reg.originHubIds).toEqual(['A', 'B']);
    expect(reg.gids).toEqual(['A:1', 'B:7']);
    expect(reg.sources.map((s) => s.gid).sort()).toEqual(['A:1', 'B:7']);
    // Same name, no credit code, different gids: two groups, not one.
    expect(merged.filter((m) => m.record.name === '舞蹈队').map((m) => m.key)).toEqual(['gid:A:2', 'gid:B:8']);
  });
  it('the same record sent twice or relayed is one organization, and a gid links a later credit code', () => {
    const merged = mergeOrganizations<Org>([
      sourced({ gid: 'A:1', creditCode: null }, 'A', 'pa1', '2026-10-01T00:00:00Z'),
      sourced({ gid: 'A:1', creditCode: '52420000MJH233402K' }, 'A', 'pa2', '2026-10-09T00:00:00Z'),
      sourced({ gid: 'B:3', creditCode: '52420000MJH233402K' }, 'B', 'pb', '2026-10-02T00:00:00Z'),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0].creditCode).toBe('52420000MJH233402K');
    expect(merged[0].gids).toEqual(['A:1', 'B:3']);
  });
  it('property: merging never loses a copy and never joins copies that share neither gid nor code', () => {
    const arb = fc.array(
      fc.record({ g: fc.integer({ min: 1, max: 15 }), c: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }), hub: fc.constantFrom('A', 'B', 'C') }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const recs = rows.map((r, i) => sourced({ gid: `H:${r.g}`, creditCode: r.c === null ? null : `CODE${r.c}` }, r.hub, `p${i}`, '2026-10-01T00:00:00Z'));
        const merged = mergeOrganizations(recs);
        expect(merged.reduce((n, m) => n + m.sources.length, 0)).toBe(recs.length);
        const groupOf = new Map<string, string>();
        for (const m of merged) for (const g of m.gids) {
          expect(groupOf.has(g)).toBe(false); // a gid is in one group only
          groupOf.set(g, m.key);
        }
        const codeGroups = new Map<string, string>();
        for (const r of recs) if (r.record.creditCode) {
          const k = groupOf.get(r.record.gid)!;
          if (codeGroups.has(r.record.creditCode)) expect(codeGroups.get(r.record.creditCode)).toBe(k);
          codeGroups.set(r.record.creditCode, k);
        }
        // Every group is connected through shared gids or codes (no spurious joins).
        for (const m of merged) {
          const members = recs.filter((r) => m.gids.includes(r.record.gid));
          const reached = new Set([members[0].record.gid]);
          let grew = true;
          while (grew) {
            grew = false;
            for (const a of members) for (const b of members) {
              if (reached.has(a.record.gid) && !reached.has(b.record.gid) && a.record.creditCode && a.record.creditCode === b.record.creditCode) {
                reached.add(b.record.gid);
                grew = true;
              }
            }
          }
          expect([...reached].sort()).toEqual(m.gids);
        }
      }),
    );
  });
  it('dedupes other records by gid keeping the newest copy', () => {
    const out = dedupeByGid([
      sourced({ gid: 'A:e1', amount: 100 }, 'A', 'pa1', '2026-10-01T00:00:00Z'),
      sourced({ gid: 'A:e1', amount: 150 }, 'A', 'pa2', '2026-10-02T00:00:00Z'),
      sourced({ gid: 'A:e2', amount: 100 }, 'A', 'pa1', '2026-10-01T00:00:00Z'),
    ]);
    expect(out.map((o) => [o.record.gid, o.record.amount, o.sources.length])).toEqual([
      ['A:e1', 150, 2],
      ['A:e2', 100, 1],
    ]);
  });
});

// Random hubs placed anywhere in a small region tree.
const arbHub = fc
  .record({
    level: fc.constantFrom<Level>(...LEVELS),
    city: fc.integer({ min: 1, max: 2 }),
    county: fc.integer({ min: 1, max: 2 }),
    town: fc.integer({ min: 1, max: 2 }),
    village: fc.integer({ min: 1, max: 3 }),
    orgs: fc.integer({ min: 0, max: 500 }),
    fen: fc.integer({ min: 0, max: 10_000_000 }),
    keys: fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 8 }),
  })
  .map((h) => {
    const full = `51${pad(h.city, 2)}${pad(h.county, 2)}${pad(h.town, 3)}${pad(h.village, 3)}`;
    const regionCode = full.slice(0, LEVEL_PREFIX_LENGTH[h.level]).padEnd(12, '0');
    return { level: h.level, regionCode, measures: { organizations: h.orgs, receiptsFen: h.fen }, organizationKeys: h.keys.map((k) => `cc:${k}`) };
  });
function pad(n: number, w: number) {
  return String(n).padStart(w, '0');
}

function walk(n: RegionNode, f: (n: RegionNode) => void) {
  f(n);
  n.children.forEach((c) => walk(c, f));
}

describe('roll-up over 村 → 乡镇 → 县 → 市 → 省', () => {
  it('places hubs by region code prefix and drills down', () => {
    const hubs: HubContribution[] = [
      { hubId: 'v1', hubName: '村1', level: 'village', regionCode: '510104002003', measures: { n: 2 } },
      { hubId: 'v2', hubName: '村2', level: 'village', regionCode: '510104002004', measures: { n: 3 } },
      { hubId: 't1', hubName: '街道', level: 'township', regionCode: '510104002000', measures: { n: 5 } },
      { hubId: 'c9', hubName: '另一县', level: 'county', regionCode: '510105000000', measures: { n: 7 } },
    ];
    const roots = rollUp(hubs);
    expect(roots).toHaveLength(1);
    expect(roots[0].totals.n).toBe(17);
    const town = findRegion(roots, 'township', '510104002000')!;
    expect(town.totals.n).toBe(10);
    expect(town.hubs.map((h) => h.hubId)).toEqual(['t1']);
    expect(town.children.map((c) => c.code)).toEqual(['510104002003', '510104002004']);
    expect(hubsUnder(findRegion(roots, 'city', '510100000000')!).map((h) => h.hubId)).toEqual(['c9', 't1', 'v1', 'v2']);
    expect(findRegion(roots, 'county', '510199000000')).toBeNull();
  });
  it('property: every node equals the sum of its parts and the root equals the sum of all hubs', () => {
    fc.assert(
      fc.property(fc.array(arbHub, { minLength: 1, maxLength: 40 }), (raw) => {
        const hubs: HubContribution[] = raw.map((h, i) => ({ ...h, hubId: `h${i}`, hubName: `单位${i}` }));
        const roots = rollUp(hubs);
        const grand = roots.reduce((s, r) => s + r.totals.organizations, 0);
        expect(grand).toBe(hubs.reduce((s, h) => s + h.measures.organizations, 0));
        expect(roots.reduce((s, r) => s + r.totals.receiptsFen, 0)).toBe(hubs.reduce((s, h) => s + h.measures.receiptsFen, 0));
        let placed = 0;
        for (const root of roots) {
          walk(root, (n) => {
            placed += n.hubs.length;
            for (const key of ['organizations', 'receiptsFen']) {
              const parts = n.children.reduce((s, c) => s + c.totals[key], 0) + n.hubs.reduce((s, h) => s + h.measures[key], 0);
              expect(n.totals[key]).toBe(parts);
            }
            expect(n.hubCount).toBe(n.hubs.length + n.children.reduce((s, c) => s + c.hubCount, 0));
            // Distinct organizations: the union of the parts, never more than their sum.
            const union = new Set(hubsUnder(n).flatMap((h) => h.organizationKeys ?? []));
            expect(n.distinctOrganizations).toBe(union.size);
            const partsSum = n.children.reduce((s, c) => s + c.distinctOrganizations, 0) + n.hubs.reduce((s, h) => s + new Set(h.organizationKeys).size, 0);
            expect(n.distinctOrganizations).toBeLessThanOrEqual(partsSum);
            for (const h of n.hubs) expect(h.level).toBe(n.level);
            for (const c of n.children) expect(c.code.startsWith(n.code.slice(0, LEVEL_PREFIX_LENGTH[n.level]))).toBe(true);
          });
        }
        expect(placed).toBe(hubs.length);
      }),
    );
  });
  it('refuses totals that are not safe integers', () => {
    expect(() => rollUp([{ hubId: 'x', hubName: 'x', level: 'province', regionCode: '510000000000', measures: { n: 0.5 } }])).toThrow(/不是安全整数/);
  });
});
