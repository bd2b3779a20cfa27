import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { refusal } from '../../helpers/core';
import { addOrganizations, fileOf, openHub } from './helpers';
import { craftZip, readEntries } from './zipcraft';

type Hub = Awaited<ReturnType<typeof openHub>>;

const C1 = '53640000MJX173672F'; // a valid civil-affairs code listed by two hubs

async function rowCounts(h: Hub) {
  const r = await sql<{ p: number; r: number; o: number }>`SELECT (SELECT count(*) FROM sub_packages) AS p, (SELECT count(*) FROM sub_records) AS r,
    (SELECT count(*) FROM sub_package_origins) AS o`.execute(h.core.db);
  return r.rows[0];
}

describe('hub → federation: build, verify, import, merge', () => {
  let a: Hub;
  let b: Hub;
  let f: Hub;
  let pkgA1: { name: string; base64: string };
  let pkgB: { name: string; base64: string };

  beforeAll(async () => {
    a = await openHub('玉林街道孵化基地', '510107001', 'township');
    b = await openHub('簇桥街道孵化基地', '510107002', 'township');
    f = await openHub('武侯区社会组织联合会', '510107', 'county');
    await addOrganizations(a.core, [
      { id: 'a1', name: '阳光志愿服务社', creditCode: C1, mgmtClass: 'registered', stage: 'incubating' },
      { id: 'a2', name: '幸福社区舞蹈队', areaType: 'rural' },
      { id: 'a3', name: '邻里互助会', mgmtClass: 'filed', areaType: null },
    ]);
    await addOrganizations(b.core, [
      { id: 'b1', name: '阳光志愿服务社(簇桥)', creditCode: C1, mgmtClass: 'registered' },
      { id: 'b2', name: '幸福社区舞蹈队' },
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.cleanup(), b?.cleanup(), f?.cleanup()]);
  });

  it('lists what would make the package wrong and refuses to build until it is fixed or confirmed', async () => {
    const { items } = await a.call('submission.checks', { period: '2026-Q3' });
    expect(items.map((i) => i.code)).toContain('org_no_area');
    expect(items.find((i) => i.code === 'org_no_area')!.examples).toEqual(['邻里互助会']);
    const err = await refusal(a.core, 'submission.build', { period: '2026-Q3', confirm: [] }, a.token);
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('组织未标注城市/农村(1 项)');
    const future = await refusal(a.core, 'submission.build', { period: '2027', confirm: ['org_no_area'] }, a.token);
    expect(future.message).toContain('2027年尚未开始');
  });

  it('builds signed packages at two hubs and registers both at the federation', async () => {
    const built = await a.call('submission.build', { period: '2026-Q3', confirm: ['org_no_area'] });
    expect(built.build.recordCounts.organizations).toBe(3);
    expect(built.build.confirmedWarnings).toEqual(['org_no_area']);
    pkgA1 = fileOf(built.file);
    pkgB = fileOf((await b.call('submission.build', { period: '2026-Q3', confirm: [] })).file);
    // The private key stays in the data folder, owner-only, and not in the database.
    const { statSync } = await import('node:fs');
    const { hubKeyPath } = await import('../../../electron/core/submission/hubKey');
    expect(statSync(hubKeyPath(a.dataDir)).mode & 0o077).toBe(0);
    const dump = await sql<{ n: number }>`SELECT count(*) AS n FROM sub_builds WHERE record_counts_json LIKE '%PRIVATE%'`.execute(a.core.db);
    expect(dump.rows[0].n).toBe(0);

    for (const h of [a, b]) {
      const key = await h.call('submission.exportKey', {});
      const reg = await f.call('submission.hubs.register', { keyFile: Buffer.from(key.base64, 'base64').toString('utf8'), contact: '', note: '' });
      expect(reg.fingerprint).toBe(key.fingerprint);
    }
    const hubs = await f.call('submission.hubs.list', {});
    expect(hubs.map((h) => h.name)).toEqual(['玉林街道孵化基地', '簇桥街道孵化基地']);
  });

  it('refuses tampered, unknown and wrong-period packages and writes nothing', async () => {
    const before = await rowCounts(f);
    const entries = await readEntries(Buffer.from(pkgA1.base64, 'base64'));
    const tampered = craftZip(
      entries.map((e) => ({ name: e.name, data: e.name === 'data/organizations.jsonl' ? Buffer.from(e.data.toString().replace('幸福', '不幸')) : e.data })),
    );
    const stranger = await openHub('火车南站街道', '510107003', 'township');
    await addOrganizations(stranger.core, [{ id: 's1', name: '陌生组织' }]);
    const unknown = fileOf((await stranger.call('submission.build', { period: '2026-Q3', confirm: [] })).file);
    await stranger.cleanup();
    const res = await f.call('submission.packages.import', {
      files: [{ name: 'tampered.incubase', base64: tampered.toString('base64') }, unknown, { name: 'junk.incubase', base64: Buffer.from('PK junk').toString('base64') }],
    });
    expect(res.map((r) => r.status)).toEqual(['refused', 'refused', 'refused']);
    expect(res[0].message).toMatch(/organizations\.jsonl”的校验值与清单不符/);
    expect(res[1].message).toMatch(/“火车南站街道”\(编号 .+\)未登记/);
    expect(res[2].message).toMatch(/不是有效的 zip/);
    const wrongPeriod = await f.call('submission.packages.import', { files: [pkgA1], period: '2026-Q2' });
    expect(wrongPeriod[0]).toMatchObject({ status: 'refused', message: '报送期不符：包内为 2026-Q3，应为 2026-Q2' });
    expect(await rowCounts(f)).toEqual(before);
    const verify = await f.call('submission.packages.verify', { file: pkgA1 });
    expect(verify).toMatchObject({ ok: true, hubName: '玉林街道孵化基地', period: '2026-Q3' });
  });

  it('imports, ignores a re-import, and lets a newer package supersede the older one (kept)', async () => {
    const first = await f.call('submission.packages.import', { files: [pkgA1, pkgB] });
    expect(first.map((r) => r.status)).toEqual(['imported', 'imported']);
    const counts = await rowCounts(f);
    const again = await f.call('submission.packages.import', { files: [pkgA1] });
    expect(again[0]).toMatchObject({ status: 'duplicate', message: '该上报包已导入过，未做任何改动' });
    expect(await rowCounts(f)).toEqual(counts);

    await addOrganizations(a.core, [{ id: 'a4', name: '新成立的读书会' }]);
    const pkgA2 = fileOf((await a.call('submission.build', { period: '2026-Q3', confirm: ['org_no_area'] })).file);
    const second = await f.call('submission.packages.import', { files: [pkgA2] });
    expect(second[0].status).toBe('imported');
    expect(second[0].message).toContain('取代了此前导入的 1 个同期包(旧包保留)');
    const list = await f.call('submission.packages.list', { period: '2026-Q3' });
    const mine = list.filter((p) => p.hubName === '玉林街道孵化基地');
    expect(mine.map((p) => p.status).sort()).toEqual(['active', 'superseded']);
    expect(mine.find((p) => p.status === 'superseded')!.supersededBy).toBe(second[0].packageId);
    // The older package arriving again changes nothing.
    expect((await f.call('submission.packages.import', { files: [pkgA1] }))[0].status).toBe('duplicate');
  });

  it('merges overlapping hubs: one organization per credit code, sums by region, drill-down per hub', async () => {
    const view = await f.call('submission.consolidated', { period: '2026-Q3', includeOwn: true });
    expect(view.node).toMatchObject({ level: 'county', code: '510107000000', hubCount: 3 });
    // 4 (A, newest package) + 2 (B) listed, one organization listed by both.
    expect(view.node!.totals.organizations).toBe(6);
    expect(view.node!.distinctOrganizations).toBe(5);
    expect(view.sharedOrganizations).toBe(1);
    expect(view.children.map((c) => [c.name, c.totals.organizations])).toEqual([
      ['玉林街道孵化基地', 4],
      ['簇桥街道孵化基地', 2],
    ]);
    // Consolidated totals equal the sum of the parts.
    const byClass = view.tables.find((t) => t.key === 'org_by_class')!;
    expect(byClass.total!.total).toBe(5);
    const parts = view.children.reduce((s, c) => s + c.totals.organizations, 0);
    expect(parts).toBe(view.node!.totals.organizations);

    const orgs = await f.call('submission.consolidated.orgs', { period: '2026-Q3', sharedOnly: true });
    expect(orgs.total).toBe(1);
    expect(orgs.rows[0]).toMatchObject({ creditCode: C1 });
    expect(orgs.rows[0].sources.map((s) => s.hubName).sort()).toEqual(['玉林街道孵化基地', '簇桥街道孵化基地']);

    const drill = await f.call('submission.consolidated', { period: '2026-Q3', level: 'township', code: '510107001000', includeOwn: true });
    expect(drill.breadcrumbs.map((b) => b.level)).toEqual(['province', 'city', 'county', 'township']);
    expect(drill.hubs.map((h) => h.name)).toEqual(['玉林街道孵化基地']);
    // Round trip: the federation's tables for hub A equal hub A's own tables.
    const own = await a.call('submission.consolidated', { period: '2026-Q3', includeOwn: true });
    expect(drill.tables).toEqual(own.tables);
    // The roster follows the drill-down: B's organizations only, the shared one included.
    const all = await f.call('submission.consolidated.orgs', { period: '2026-Q3' });
    expect(all.total).toBe(5);
    const underB = await f.call('submission.consolidated.orgs', { period: '2026-Q3', level: 'township', code: '510107002000' });
    expect(underB.total).toBe(2);
    expect(underB.rows.map((r) => r.creditCode ?? r.name).sort()).toEqual([C1, '幸福社区舞蹈队'].sort());
    const missing = await refusal(f.core, 'submission.consolidated.orgs', { period: '2026-Q3', level: 'township', code: '510107009000' }, f.token);
    expect(missing.code).toBe('NOT_FOUND');

    const xlsx = await f.call('submission.consolidated.export', { period: '2026-Q3', includeOwn: true });
    expect(xlsx.fileName).toMatch(/\.xlsx$/);
  });

  it('the federation builds a consolidated package for the level above, which counts every hub once', async () => {
    const city = await openHub('成都市社会组织联合会', '510100', 'city');
    try {
      const built = await f.call('submission.consolidated.build', { period: '2026-Q3', confirm: [] });
      expect(built.build.kind).toBe('consolidated');
      const key = await f.call('submission.exportKey', {});
      await city.call('submission.hubs.register', { keyFile: Buffer.from(key.base64, 'base64').toString('utf8'), contact: '', note: '' });
      // Hub B also sends its package straight to the city: its data must still count once.
      const keyB = await b.call('submission.exportKey', {});
      await city.call('submission.hubs.register', { keyFile: Buffer.from(keyB.base64, 'base64').toString('utf8'), contact: '', note: '' });
      const res = await city.call('submission.packages.import', { files: [fileOf(built.file), pkgB] });
      expect(res.map((r) => r.status)).toEqual(['imported', 'imported']);
      const view = await city.call('submission.consolidated', { period: '2026-Q3', includeOwn: false });
      expect(view.node).toMatchObject({ level: 'city', code: '510100000000', hubCount: 3 });
      expect(view.node!.totals.organizations).toBe(6);
      expect(view.node!.distinctOrganizations).toBe(5);
    } finally {
      await city.cleanup();
    }
  });
});
