import { sql } from 'kysely';
import type { submissionContract } from '@shared/contract/submission';
import { fail } from '@shared/errors';
import { chinaDateOf } from '@shared/dates/parse';
import { periodOfDate, requirePeriod, type Period } from '@shared/submission/period';
import { findRegion } from '@shared/submission/merge';
import type { Origin } from '@shared/submission/manifest';
import type { Level } from '@shared/submission/region';
import type { HandlersFor } from '../api/handler';
import type { CallContext } from '../api/context';
import { requireHub } from '../admin/hubService';
import { ensureHubKey, rotateHubKey } from './hubKey';
import type { VerifiedMember } from './package/verify';
import { algorithmsLabel } from '@shared/submission/manifest';
import { prebuildChecks } from './checks';
import { buildAndRecord, buildFile, listBuilds } from './buildService';
import { listMemberHubs, listMemberOrgs, ownKeyFile, recordDues, registerMemberHub, saveMemberOrg, updateMemberHub } from './members';
import { importPackages, listPackages, verifyForImport } from './importService';
import { collectSources, consolidatedView, defaultNode, describeNode, loadConsolidated, mergedOrgRows, type Consolidated } from './consolidate';
import { normalizeRegionCode, openCoreSnapshot } from './extract';
import { dashboardSummary } from './dashboard';
import { databaseStamp } from './sqlDialect';
import { writeStandardWorkbook } from './package/workbook';

function period(text: string): Period {
  try {
    return requirePeriod(text);
  } catch (e) {
    throw fail.validation((e as Error).message);
  }
}

type OwnData = { origin: Origin; data: Awaited<ReturnType<typeof collectSources>> };
/** This hub's own records per period, read once and kept until the database changes (per connection). */
const ownCache = new WeakMap<object, Map<string, { stamp: string; own: OwnData }>>();

/** The connection the cache belongs to: SQLite's (a restore opens a new one), or the core on PostgreSQL. */
const cacheOwner = (ctx: CallContext): object => (ctx.core.engine === 'postgres' ? ctx.core : ctx.core.sqlite);

/** The consolidated data of a period, with this hub's own data as one origin when asked. */
async function consolidated(ctx: CallContext, p: Period, includeOwn: boolean): Promise<{ c: Consolidated; own: { level: Level; regionCode: string } }> {
  const hub = await requireHub(ctx.db);
  const regionCode = normalizeRegionCode(hub.regionCode) ?? hub.regionCode;
  let own: OwnData | null = null;
  if (includeOwn) {
    // Reading a large hub's own records takes seconds; the roster's pages and the drill-down reuse them.
    let perConnection = ownCache.get(cacheOwner(ctx));
    if (!perConnection) ownCache.set(cacheOwner(ctx), (perConnection = new Map()));
    const stamp = await databaseStamp(ctx.core, ctx.db);
    const hit = perConnection.get(p.text);
    if (hit && hit.stamp === stamp) own = hit.own;
    else {
      const snap = await openCoreSnapshot(ctx.core, hub.hubId, p);
      try {
        own = {
          origin: { hubId: hub.hubId, hubName: hub.name, regionCode, level: hub.level as Level, period: p.text, packageId: 'local', createdAt: ctx.now().toISOString() },
          data: await collectSources(snap.sources),
        };
      } finally {
        await snap.close();
      }
      perConnection.set(p.text, { stamp, own });
    }
  }
  const c = await loadConsolidated(ctx.db, ctx.core, p, own);
  return { c, own: { level: hub.level as Level, regionCode } };
}

function pickNode(c: Consolidated, own: { level: Level; regionCode: string }, level?: Level, code?: string) {
  if (level && code) {
    const n = findRegion(c.roots, level, code);
    if (!n) throw fail.notFound('该地区的汇总数据');
    return n;
  }
  return defaultNode(c, own);
}

/** Handlers of the submission area, one per entry of `submissionContract`. */
export const submissionHandlers: HandlersFor<typeof submissionContract> = {
  // The same figures for every user of a day: computed once per committed state (several desks open 工作台).
  'dashboard.summary': (ctx) => ctx.core.cachedRead(`dashboard.summary ${chinaDateOf(ctx.now())}`, () => dashboardSummary(ctx)),

  'submission.status': async (ctx) => {
    const hub = await requireHub(ctx.db);
    const key = ensureHubKey(ctx.core.dataDir, { hubId: hub.hubId, hubName: hub.name });
    const counts = (
      await sql<{ hubs: number; pkgs: number; builds: number }>`SELECT
        (SELECT count(*) FROM sub_member_hubs WHERE active = 1) AS hubs,
        (SELECT count(*) FROM sub_packages) AS pkgs,
        (SELECT count(*) FROM sub_builds) AS builds`.execute(ctx.db)
    ).rows[0];
    const periods = (
      await sql<{ p: string }>`SELECT period AS p FROM sub_packages UNION SELECT period FROM sub_builds ORDER BY p DESC`.execute(ctx.db)
    ).rows.map((r) => r.p);
    // Suggest the last finished quarter: packages are usually built just after a quarter ends.
    const today = chinaDateOf(ctx.now());
    const current = requirePeriod(periodOfDate(today, 'quarter'));
    const suggested = current.quarter === 1 ? `${current.year - 1}-Q4` : `${current.year}-Q${current.quarter! - 1}`;
    return {
      hubId: hub.hubId,
      hubName: hub.name,
      regionCode: normalizeRegionCode(hub.regionCode) ?? hub.regionCode,
      level: hub.level as Level,
      fingerprint: key.fingerprint,
      publicKeyPem: key.publicKeyPem,
      memberHubs: counts.hubs,
      packages: counts.pkgs,
      builds: counts.builds,
      periods,
      suggestedPeriod: suggested,
    };
  },
  'submission.exportKey': async (ctx) => {
    const f = await ownKeyFile(ctx);
    return {
      fileName: `${f.hubName}-公钥登记文件.json`,
      mimeType: 'application/json',
      base64: Buffer.from(`${JSON.stringify(f, null, 2)}\n`, 'utf8').toString('base64'),
      fingerprint: f.fingerprint,
    };
  },
  'submission.checks': async (ctx, input) => ({ items: await prebuildChecks(ctx.db, period(input.period), ctx.now()) }),
  'submission.build': (ctx, input) => buildAndRecord(ctx, { period: input.period, confirm: input.confirm, kind: 'hub' }),
  'submission.builds': (ctx) => listBuilds(ctx.db),
  'submission.buildFile': (ctx, input) => buildFile(ctx, input.id),

  'submission.hubs.list': (ctx) => listMemberHubs(ctx.db),
  'submission.hubs.register': (ctx, input) => registerMemberHub(ctx, input),
  'submission.hubs.update': (ctx, input) => updateMemberHub(ctx, input),

  'submission.memberOrgs.list': (ctx, input) => listMemberOrgs(ctx.db, input.year ?? Number(chinaDateOf(ctx.now()).slice(0, 4))),
  'submission.memberOrgs.save': (ctx, input) => saveMemberOrg(ctx, input),
  'submission.dues.record': (ctx, input) => recordDues(ctx, input),

  'submission.packages.verify': async (ctx, input) => {
    const outcome = await verifyForImport(ctx.db, Buffer.from(input.file.base64, 'base64'), input.period);
    if (!outcome.ok) return { ok: false, message: outcome.message, hubName: null, period: null, recordCounts: null };
    const v = outcome.verified;
    const m = v.manifest;
    const members: { hubName: string; period: string; packageId: string; algorithms: string; fingerprint: string; depth: number }[] = [];
    const walk = (list: VerifiedMember[], depth: number) => {
      for (const x of list) {
        members.push({ hubName: x.hubName, period: x.period, packageId: x.packageId, algorithms: algorithmsLabel(x.algorithms), fingerprint: x.fingerprint, depth });
        walk(x.members, depth + 1);
      }
    };
    walk(v.members, 1);
    const extra = [v.rotatedFrom ? `新密钥由登记密钥 ${v.rotatedFrom.fingerprint} 签发的轮换证书担保` : '', members.length ? `附带 ${members.length} 个下级单位原始包，均已核验` : ''].filter(Boolean);
    return {
      ok: true,
      message: `校验通过：${m.hubName}，签名有效，${Object.keys(m.entries).length} 个数据条目完整${extra.length ? `；${extra.join('；')}` : ''}`,
      hubName: m.hubName,
      period: m.period,
      recordCounts: m.recordCounts,
      hubId: m.hubId,
      algorithms: algorithmsLabel(v.algorithms),
      fingerprint: v.verifiedFingerprint,
      rotated: v.rotatedFrom !== null,
      members,
    };
  },
  'submission.rotateKey': async (ctx) => {
    const hub = await requireHub(ctx.db);
    return ctx.write(async (trx) => {
      const r = rotateHubKey(ctx.core.dataDir, { hubId: hub.hubId, hubName: hub.name }, ctx.now());
      await ctx.audit(trx, {
        entity: 'hub_key',
        entityId: hub.hubId,
        summary: `更换本单位签名密钥(SM2)：${r.from} → ${r.to}；此后的上报包附带由旧密钥签发的轮换证书，上级无需重新登记`,
        before: { fingerprint: r.from },
        after: { fingerprint: r.to },
      });
      return { from: r.from, to: r.to, algorithm: 'SM2' };
    });
  },
  'submission.packages.import': (ctx, input) => importPackages(ctx, input.files, input.period),
  'submission.packages.list': (ctx, input) => listPackages(ctx.db, input.period),

  'submission.consolidated': async (ctx, input) => {
    const { c, own } = await consolidated(ctx, period(input.period), input.includeOwn);
    return consolidatedView(c, pickNode(c, own, input.level, input.code));
  },
  'submission.consolidated.orgs': async (ctx, input) => {
    const { c, own } = await consolidated(ctx, period(input.period), input.includeOwn);
    const rows = mergedOrgRows(c, input.search, input.sharedOnly, pickNode(c, own, input.level, input.code));
    return { rows: rows.slice(input.startRow, input.endRow), total: rows.length };
  },
  'submission.consolidated.export': async (ctx, input) => {
    const p = period(input.period);
    const { c, own } = await consolidated(ctx, p, input.includeOwn);
    const node = pickNode(c, own, input.level, input.code);
    const view = consolidatedView(c, node);
    const hub = await requireHub(ctx.db);
    const bytes = await writeStandardWorkbook(
      {
        hubName: describeNode(node, c),
        regionCode: node?.code ?? own.regionCode,
        level: node?.level ?? (hub.level as Level),
        period: p.text,
        createdAt: ctx.now().toISOString(),
        kind: 'consolidated',
        members: view.hubs.map((h) => h.name),
      },
      view.tables,
    );
    return {
      fileName: `汇总报表-${(node?.code ?? 'all').replace(/0+$/, '')}-${p.text}.xlsx`,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: bytes.toString('base64'),
    };
  },
  'submission.consolidated.build': (ctx, input) => buildAndRecord(ctx, { period: input.period, confirm: input.confirm, kind: 'consolidated' }),
};
