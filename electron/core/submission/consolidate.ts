import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ConsolidatedView, MergedOrgRow, RegionSummary } from '@shared/contract/submission';
import type { Origin } from '@shared/submission/manifest';
import {
  chooseOrigins,
  dedupeByGid,
  findRegion,
  hubsUnder,
  mergeOrganizations,
  rollUp,
  type CarrierPackage,
  type HubContribution,
  type MergedOrganization,
  type RegionNode,
  type SourcedRecord,
} from '@shared/submission/merge';
import { periodLabel, type Period } from '@shared/submission/period';
import { LEVELS, LEVEL_LABELS, type Level } from '@shared/submission/region';
import {
  PACKAGE_TABLE_NAMES,
  emptyPackageData,
  type OrganizationRecord,
  type PackageData,
  type PackageTableName,
} from '@shared/submission/records';
import { buildStandardTables, hubMeasures, type StandardTable } from '@shared/submission/standardTables';
import type { Db } from '../db/connection';
import type { RecordSources } from './package/build';

/**
 * The federation's consolidated picture for a period, from the active imported packages (and, optionally,
 * this hub's own data): the counted copy of each origin hub's data (merge.chooseOrigins), organizations
 * merged across hubs (merge.mergeOrganizations), other records once per gid, per-hub measures rolled up
 * over the region chain. Lower hubs' parsed records are cached per period until a package is imported.
 */

export interface OriginData {
  origin: Origin;
  carrierPackageId: string;
  carrierHubName: string;
  own: boolean;
  data: PackageData;
}

export interface Consolidated {
  period: Period;
  origins: OriginData[];
  merged: PackageData;
  mergedOrgs: MergedOrganization<OrganizationRecord>[];
  /** gid of an organization record → key of its merged organization. */
  orgKeyOfGid: Map<string, string>;
  roots: RegionNode[];
}

export async function activeCarriers(db: Db, period: string): Promise<(CarrierPackage & { hubName: string })[]> {
  const pkgs = await db.selectFrom('sub_packages').select(['package_id', 'hub_id', 'hub_name']).where('period', '=', period).where('status', '=', 'active').execute();
  if (pkgs.length === 0) return [];
  const origins = await db
    .selectFrom('sub_package_origins')
    .selectAll()
    .where(
      'package_id',
      'in',
      pkgs.map((p) => p.package_id),
    )
    .execute();
  return pkgs.map((p) => ({
    packageId: p.package_id,
    hubId: p.hub_id,
    hubName: p.hub_name,
    origins: origins
      .filter((o) => o.package_id === p.package_id)
      .map((o) => ({
        hubId: o.origin_hub_id,
        hubName: o.hub_name,
        regionCode: o.region_code,
        level: o.level as Level,
        period: o.period,
        packageId: o.origin_package_id,
        createdAt: o.origin_created_at,
      })),
  }));
}

interface LowerCacheEntry {
  key: string;
  origins: OriginData[];
}
const lowerCache = new WeakMap<object, Map<string, LowerCacheEntry>>();

async function lowerOrigins(db: Db, cacheOwner: object, period: Period, ownHubId: string): Promise<OriginData[]> {
  const stamp = await sql<{ n: number; last: string | null }>`SELECT count(*) AS n, max(imported_at) AS last FROM sub_packages WHERE period = ${period.text}`.execute(db);
  const key = `${stamp.rows[0]?.n ?? 0}|${stamp.rows[0]?.last ?? ''}`;
  let perOwner = lowerCache.get(cacheOwner);
  if (!perOwner) lowerCache.set(cacheOwner, (perOwner = new Map()));
  const hit = perOwner.get(period.text);
  if (hit && hit.key === key) return hit.origins;

  const carriers = await activeCarriers(db, period.text);
  const chosen = chooseOrigins(carriers);
  const carrierById = new Map(carriers.map((c) => [c.packageId, c]));
  const out: OriginData[] = [];
  for (const [hubId, choice] of chosen) {
    if (hubId === ownHubId) continue; // our own data comes from our tables, never from a package
    const data = emptyPackageData();
    const rows = await db
      .selectFrom('sub_records')
      .select(['table_name', 'data_json'])
      .where('package_id', '=', choice.carrierPackageId)
      .where('origin_hub_id', '=', hubId)
      .execute();
    for (const r of rows) {
      if ((PACKAGE_TABLE_NAMES as string[]).includes(r.table_name)) (data[r.table_name as PackageTableName] as unknown[]).push(JSON.parse(r.data_json));
    }
    out.push({ origin: choice.origin, carrierPackageId: choice.carrierPackageId, carrierHubName: carrierById.get(choice.carrierPackageId)!.hubName, own: false, data });
  }
  out.sort((a, b) => (a.origin.regionCode < b.origin.regionCode ? -1 : a.origin.regionCode > b.origin.regionCode ? 1 : a.origin.hubId < b.origin.hubId ? -1 : 1));
  perOwner.set(period.text, { key, origins: out });
  return out;
}

/** Collects a snapshot's record sources into arrays (this hub's own data: one hub, small). */
export async function collectSources(sources: RecordSources): Promise<PackageData> {
  const data = emptyPackageData();
  for (const t of PACKAGE_TABLE_NAMES) {
    const src = sources[t];
    if (!src) continue;
    for await (const r of src as AsyncIterable<unknown>) (data[t] as unknown[]).push(r);
  }
  return data;
}

export function consolidateOrigins(period: Period, origins: OriginData[]): Consolidated {
  const sourced = <R extends { gid: string }>(o: OriginData, record: R): SourcedRecord<R> => ({
    record,
    originHubId: o.origin.hubId,
    carrierPackageId: o.carrierPackageId,
    carrierHubId: o.origin.hubId,
    versionCreatedAt: o.origin.createdAt,
    versionPackageId: o.origin.packageId,
  });
  const mergedOrgs = mergeOrganizations(origins.flatMap((o) => o.data.organizations.map((r) => sourced(o, r))));
  const orgKeyOfGid = new Map<string, string>();
  for (const m of mergedOrgs) for (const g of m.gids) orgKeyOfGid.set(g, m.key);
  const merged = emptyPackageData();
  merged.organizations = mergedOrgs.map((m) => m.record);
  for (const t of PACKAGE_TABLE_NAMES) {
    if (t === 'organizations') continue;
    const all = origins.flatMap((o) => (o.data[t] as { gid: string }[]).map((r) => sourced(o, r)));
    (merged[t] as unknown[]) = dedupeByGid(all).map((d) => d.record);
  }
  const contributions: HubContribution[] = origins.map((o) => ({
    hubId: o.origin.hubId,
    hubName: o.origin.hubName,
    level: o.origin.level,
    regionCode: o.origin.regionCode,
    measures: hubMeasures(o.data, period),
    organizationKeys: o.data.organizations.filter((r) => r.status !== 'withdrawn').map((r) => orgKeyOfGid.get(r.gid)!),
  }));
  return { period, origins, merged, mergedOrgs, orgKeyOfGid, roots: rollUp(contributions) };
}

const mergedCache = new WeakMap<object, Map<string, { lower: OriginData[]; ownData: PackageData | null; ownDigest: string; c: Consolidated }>>();

/**
 * Merging hundreds of thousands of records takes seconds, so the result is kept per period until a package
 * is imported (the lower data changes) or this hub's own records change (their digest differs).
 */
export async function loadConsolidated(
  db: Db,
  cacheOwner: object,
  period: Period,
  own: { origin: Origin; data: PackageData } | null,
): Promise<Consolidated> {
  const lower = await lowerOrigins(db, cacheOwner, period, own?.origin.hubId ?? '');
  let perOwner = mergedCache.get(cacheOwner);
  if (!perOwner) mergedCache.set(cacheOwner, (perOwner = new Map()));
  const hit = perOwner.get(period.text);
  const ownData = own?.data ?? null;
  // The same own records (kept by the caller while the database is unchanged): no need to digest them again.
  if (hit && hit.lower === lower && hit.ownData === ownData) return hit.c;
  const ownDigest = own ? createHash('sha1').update(JSON.stringify(own.data)).digest('hex') : '-';
  if (hit && hit.lower === lower && hit.ownDigest === ownDigest) {
    hit.ownData = ownData;
    return hit.c;
  }
  const origins = own ? [{ origin: own.origin, carrierPackageId: 'local', carrierHubName: own.origin.hubName, own: true, data: own.data }, ...lower] : lower;
  const c = consolidateOrigins(period, origins);
  perOwner.set(period.text, { lower, ownData, ownDigest, c });
  return c;
}

/** Record sources of a consolidated package: this hub's own records, then each counted lower hub's records. */
export async function consolidatedSources(
  db: Db,
  period: Period,
  ownHubId: string,
  own: RecordSources,
): Promise<{ sources: RecordSources; lowerOrigins: Origin[]; carrierPackageIds: string[] }> {
  const lower = await lowerOrigins(db, {}, period, ownHubId);
  const sources: RecordSources = {};
  for (const t of PACKAGE_TABLE_NAMES) {
    const mine = own[t];
    const theirs = lower.filter((o) => o.data[t].length > 0);
    if (!mine && theirs.length === 0) continue;
    (sources as Record<string, unknown>)[t] = (async function* () {
      const seen = new Set<string>();
      if (mine) {
        for await (const r of mine as AsyncIterable<{ gid: string }>) {
          seen.add(r.gid);
          yield r;
        }
      }
      for (const o of theirs) {
        for (const r of o.data[t] as { gid: string }[]) {
          if (seen.has(r.gid)) continue;
          seen.add(r.gid);
          yield r;
        }
      }
    })();
  }
  return { sources, lowerOrigins: lower.map((o) => o.origin), carrierPackageIds: [...new Set(lower.map((o) => o.carrierPackageId))].sort() };
}

// ───────────── views ─────────────

function nodeName(node: { level: Level; code: string }, origins: OriginData[]): string {
  const at = origins.filter((o) => o.origin.level === node.level && o.origin.regionCode === node.code);
  if (at.length > 0) return at.map((o) => o.origin.hubName).join('、');
  return `${LEVEL_LABELS[node.level]}级区划 ${node.code}`;
}

function summary(n: RegionNode, origins: OriginData[]): RegionSummary {
  return { level: n.level, code: n.code, name: nodeName(n, origins), totals: n.totals, distinctOrganizations: n.distinctOrganizations, hubCount: n.hubCount };
}

/** The origins inside a node (all when no node). */
function originsUnder(c: Consolidated, node: RegionNode | null): OriginData[] {
  if (!node) return c.origins;
  const ids = new Set(hubsUnder(node).map((h) => h.hubId));
  return c.origins.filter((o) => ids.has(o.origin.hubId));
}

export function defaultNode(c: Consolidated, own: { level: Level; regionCode: string } | null): RegionNode | null {
  if (own) {
    const n = findRegion(c.roots, own.level, own.regionCode);
    if (n && n.hubCount === c.origins.length) return n;
  }
  return c.roots.length === 1 ? c.roots[0] : null;
}

export function consolidatedView(c: Consolidated, node: RegionNode | null): ConsolidatedView {
  const under = originsUnder(c, node);
  // Re-merge only when the node leaves some hubs out (merging 400k records is the costly part).
  const sub = node && under.length < c.origins.length ? consolidateOrigins(c.period, under) : c;
  const breadcrumbs: RegionSummary[] = [];
  if (node) {
    for (const l of LEVELS) {
      const n = findRegion(c.roots, l, node.code);
      if (n) breadcrumbs.push(summary(n, c.origins));
      if (l === node.level) break;
    }
  }
  const children = node ? node.children : c.roots;
  const measuresOf = new Map(sub.origins.map((o) => [o.origin.hubId, hubMeasures(o.data, c.period)]));
  return {
    period: c.period.text,
    node: node ? summary(node, c.origins) : null,
    breadcrumbs,
    children: children.map((n) => summary(n, c.origins)),
    hubs: under.map((o) => ({
      hubId: o.origin.hubId,
      name: o.origin.hubName,
      level: o.origin.level,
      regionCode: o.origin.regionCode,
      carrierPackageId: o.carrierPackageId,
      carrierHubName: o.carrierHubName,
      dataCreatedAt: o.origin.createdAt,
      own: o.own,
      measures: measuresOf.get(o.origin.hubId) ?? {},
    })),
    tables: buildStandardTables(sub.merged, c.period) as StandardTable[],
    sharedOrganizations: listedByMoreThanOneHub(sub),
  };
}

/**
 * The one definition of a federation's organizations, used by the headline (合计, 去重, 跨单位重复) and by the
 * merged roster alike: merged organization → the hubs that list it as current (a record withdrawn at a hub is not
 * listed there; an organization withdrawn everywhere is in neither the totals nor the roster).
 */
function currentListings(c: Consolidated, hubIds: Set<string> | null = null): Map<string, Set<string>> {
  const hubsOf = new Map<string, Set<string>>();
  for (const o of c.origins) {
    if (hubIds && !hubIds.has(o.origin.hubId)) continue;
    for (const r of o.data.organizations) {
      if (r.status === 'withdrawn') continue;
      const key = c.orgKeyOfGid.get(r.gid)!;
      let hubs = hubsOf.get(key);
      if (!hubs) hubsOf.set(key, (hubs = new Set()));
      hubs.add(o.origin.hubId);
    }
  }
  return hubsOf;
}

/** Merged organizations that more than one hub lists as current: 去重 = 合计 − the extra listings of these. */
function listedByMoreThanOneHub(c: Consolidated): number {
  let n = 0;
  for (const hubs of currentListings(c).values()) if (hubs.size > 1) n += 1;
  return n;
}

/** The merged organizations, narrowed to those reported by some hub under `node` (all when no node). */
export function mergedOrgRows(c: Consolidated, search: string, sharedOnly: boolean, node: RegionNode | null = null): MergedOrgRow[] {
  const hubName = new Map(c.origins.map((o) => [o.origin.hubId, o.origin.hubName]));
  const q = search.toLowerCase();
  const under = node && node.hubCount < c.origins.length ? new Set(hubsUnder(node).map((h) => h.hubId)) : null;
  const listed = currentListings(c, under);
  return c.mergedOrgs
    .filter((m) => listed.has(m.key))
    .filter((m) => (!sharedOnly || listed.get(m.key)!.size > 1) && (q === '' || m.record.name.toLowerCase().includes(q) || (m.creditCode ?? '').toLowerCase().includes(q)))
    .map((m) => ({
      key: m.key,
      name: m.record.name,
      creditCode: m.creditCode,
      managementClass: m.record.managementClass,
      regionName: m.record.regionName,
      stage: m.record.stage,
      sources: m.sources.map((s) => ({ hubId: s.originHubId, hubName: hubName.get(s.originHubId) ?? s.originHubId, gid: s.gid })),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function describeNode(node: RegionNode | null, c: Consolidated): string {
  return node ? `${nodeName(node, c.origins)}(${periodLabel(c.period.text)})` : `全部(${periodLabel(c.period.text)})`;
}

