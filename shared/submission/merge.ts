/**
 * Pure merge rules of the federation side: which packages count (supersession), which copy of each hub's data
 * counts (origins), how organizations listed by several hubs become one, and roll-up totals over the chain
 * 村 → 乡镇 → 县 → 市 → 省 by region code prefix.
 */
import { LEVELS, LEVEL_PREFIX_LENGTH, levelRank, regionChain, type Level } from './region';
import { gidOrigin } from './globalId';
import type { Origin } from './manifest';
import { unionFind } from '../text/unionFind';

// ───────────────────────────── supersession ─────────────────────────────

export interface PackageRef {
  packageId: string;
  hubId: string;
  period: string;
  createdAt: string;
  /** SHA-256 of the manifest bytes: the identity of the package's content. */
  manifestSha256: string;
}

// The same few creation times are compared hundreds of thousands of times during a merge.
const parsedTimes = new Map<string, number>();
function timeOf(iso: string): number {
  let t = parsedTimes.get(iso);
  if (t === undefined) {
    if (parsedTimes.size > 10_000) parsedTimes.clear();
    t = Date.parse(iso);
    parsedTimes.set(iso, t);
  }
  return t;
}

/** Order of "newer": creation time, then package id so that the order is total and the same everywhere. */
export function comparePackages(a: Pick<PackageRef, 'createdAt' | 'packageId'>, b: Pick<PackageRef, 'createdAt' | 'packageId'>): number {
  const ta = timeOf(a.createdAt);
  const tb = timeOf(b.createdAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.packageId === b.packageId) return 0;
  return a.packageId < b.packageId ? -1 : 1;
}

export type IncomingDecision =
  /** The very same package is already imported: nothing changes. */
  | { action: 'duplicate'; packageId: string }
  /** Same package id but different content: refused. */
  | { action: 'conflict'; reason: string }
  /** Becomes the active package of its hub and period; the listed packages become superseded (and are kept). */
  | { action: 'activate'; supersedes: string[] }
  /** An older package arriving after a newer one: kept, but superseded from the start. */
  | { action: 'superseded'; supersededBy: string };

export function decideIncoming(existing: readonly PackageRef[], incoming: PackageRef): IncomingDecision {
  const same = existing.find((p) => p.packageId === incoming.packageId);
  if (same) {
    if (same.manifestSha256 === incoming.manifestSha256) return { action: 'duplicate', packageId: same.packageId };
    return { action: 'conflict', reason: `包编号 ${incoming.packageId} 已导入过，但内容不同：拒绝导入` };
  }
  const sameSlot = existing.filter((p) => p.hubId === incoming.hubId && p.period === incoming.period);
  const newer = sameSlot.filter((p) => comparePackages(p, incoming) > 0).sort(comparePackages);
  if (newer.length > 0) return { action: 'superseded', supersededBy: newer[newer.length - 1].packageId };
  return { action: 'activate', supersedes: sameSlot.map((p) => p.packageId).sort() };
}

export interface SupersessionState {
  active: boolean;
  supersededBy?: string;
}

/** For a whole set of packages: the newest of each hub and period is active, the others point at it. */
export function resolveSupersession(packages: readonly PackageRef[]): Map<string, SupersessionState> {
  const newest = new Map<string, PackageRef>();
  for (const p of packages) {
    const slot = `${p.hubId}\u0000${p.period}`;
    const cur = newest.get(slot);
    if (!cur || comparePackages(p, cur) > 0) newest.set(slot, p);
  }
  const out = new Map<string, SupersessionState>();
  for (const p of packages) {
    const winner = newest.get(`${p.hubId}\u0000${p.period}`)!;
    out.set(p.packageId, winner.packageId === p.packageId ? { active: true } : { active: false, supersededBy: winner.packageId });
  }
  return out;
}

// ───────────────────────────── origins ─────────────────────────────

export interface CarrierPackage {
  packageId: string;
  hubId: string;
  origins: readonly Origin[];
}

export interface OriginChoice {
  origin: Origin;
  /** The package whose copy of this origin's data counts. */
  carrierPackageId: string;
}

/**
 * A hub's data may arrive directly and inside consolidated packages of the levels in between. For each origin
 * hub, the copy that counts is the newest version of that hub's own data (by the origin entry's creation time,
 * then its package id); among carriers holding that same version, a direct package beats a consolidated one,
 * then the smaller carrier id. Each origin is therefore counted exactly once.
 */
export function chooseOrigins(activeCarriers: readonly CarrierPackage[]): Map<string, OriginChoice> {
  const out = new Map<string, OriginChoice>();
  const carrierOf = new Map(activeCarriers.map((c) => [c.packageId, c]));
  for (const c of activeCarriers) {
    for (const o of c.origins) {
      const cur = out.get(o.hubId);
      if (!cur) {
        out.set(o.hubId, { origin: o, carrierPackageId: c.packageId });
        continue;
      }
      const byVersion = comparePackages(o, cur.origin);
      if (byVersion > 0) {
        out.set(o.hubId, { origin: o, carrierPackageId: c.packageId });
      } else if (byVersion === 0) {
        const curCarrier = carrierOf.get(cur.carrierPackageId)!;
        const curDirect = curCarrier.hubId === o.hubId;
        const thisDirect = c.hubId === o.hubId;
        if ((thisDirect && !curDirect) || (thisDirect === curDirect && c.packageId < cur.carrierPackageId)) {
          out.set(o.hubId, { origin: o, carrierPackageId: c.packageId });
        }
      }
    }
  }
  return out;
}

/** The origin hub a record of a carrier package belongs to: its gid's hub when that hub is an origin of the carrier. */
export function recordOrigin(gid: string, carrier: CarrierPackage): string {
  const hub = gidOrigin(gid);
  if (hub !== null && carrier.origins.some((o) => o.hubId === hub)) return hub;
  return carrier.hubId;
}

// ───────────────────────────── records and organizations ─────────────────────────────

export interface SourcedRecord<R extends { gid: string }> {
  record: R;
  /** The hub whose data this record is (where it counts in roll-ups). */
  originHubId: string;
  carrierPackageId: string;
  carrierHubId: string;
  /** Creation time of the origin's data version the record belongs to. */
  versionCreatedAt: string;
  /** Package id of that version (tie-break). */
  versionPackageId: string;
}

export interface RecordSource {
  originHubId: string;
  carrierHubId: string;
  packageId: string;
  gid: string;
}

function compareSourced(a: SourcedRecord<{ gid: string }>, b: SourcedRecord<{ gid: string }>): number {
  const v = comparePackages(
    { createdAt: a.versionCreatedAt, packageId: a.versionPackageId },
    { createdAt: b.versionCreatedAt, packageId: b.versionPackageId },
  );
  if (v !== 0) return v;
  if (a.carrierPackageId === b.carrierPackageId) return 0;
  return a.carrierPackageId < b.carrierPackageId ? 1 : -1; // smaller carrier id wins ties
}

/** One record per gid: the newest copy wins, every copy is listed as a source. */
export function dedupeByGid<R extends { gid: string }>(
  records: readonly SourcedRecord<R>[],
): { record: R; originHubId: string; sources: RecordSource[] }[] {
  const byGid = new Map<string, { best: SourcedRecord<R>; sources: RecordSource[] }>();
  for (const r of records) {
    const src: RecordSource = {
      originHubId: r.originHubId,
      carrierHubId: r.carrierHubId,
      packageId: r.carrierPackageId,
      gid: r.record.gid,
    };
    const cur = byGid.get(r.record.gid);
    if (!cur) byGid.set(r.record.gid, { best: r, sources: [src] });
    else {
      cur.sources.push(src);
      if (compareSourced(r, cur.best) > 0) cur.best = r;
    }
  }
  return [...byGid.values()].map((v) => ({ record: v.best.record, originHubId: v.best.originHubId, sources: v.sources }));
}

export interface OrgLike {
  gid: string;
  creditCode?: string | null;
}

export interface MergedOrganization<R extends OrgLike> {
  /** Stable key of the merged organization: `cc:<credit code>` when any copy has one, else `gid:<smallest gid>`. */
  key: string;
  creditCode: string | null;
  /** Fields from the newest copy. */
  record: R;
  gids: string[];
  /** Origin hubs that list the organization, sorted. */
  originHubIds: string[];
  sources: RecordSource[];
}

export function normalizeCreditCode(code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const c = code.trim().toUpperCase();
  return c.length > 0 ? c : null;
}

/**
 * Organizations from many hubs without duplicates: copies are the same organization when they share a gid
 * (the same record sent twice or relayed by a federation) or a credit code (two hubs list the same registered
 * organization). Copies without a credit code and with different gids stay apart even if their names match —
 * two small groups may well share a name.
 */
export function mergeOrganizations<R extends OrgLike>(records: readonly SourcedRecord<R>[]): MergedOrganization<R>[] {
  const { find, union } = unionFind(records.length);
  const firstByGid = new Map<string, number>();
  const firstByCode = new Map<string, number>();
  records.forEach((r, i) => {
    const g = firstByGid.get(r.record.gid);
    if (g === undefined) firstByGid.set(r.record.gid, i);
    else union(g, i);
    const code = normalizeCreditCode(r.record.creditCode);
    if (code !== null) {
      const c = firstByCode.get(code);
      if (c === undefined) firstByCode.set(code, i);
      else union(c, i);
    }
  });
  const groups = new Map<number, number[]>();
  records.forEach((_, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(i);
    else groups.set(root, [i]);
  });
  const out: MergedOrganization<R>[] = [];
  for (const members of groups.values()) {
    let best = members[0];
    for (const i of members) if (compareSourced(records[i], records[best]) > 0) best = i;
    const gids = [...new Set(members.map((i) => records[i].record.gid))].sort();
    const codes = [...new Set(members.map((i) => normalizeCreditCode(records[i].record.creditCode)).filter((c): c is string => c !== null))].sort();
    const creditCode = normalizeCreditCode(records[best].record.creditCode) ?? codes[0] ?? null;
    out.push({
      key: creditCode !== null ? `cc:${codes[0]}` : `gid:${gids[0]}`,
      creditCode,
      record: records[best].record,
      gids,
      originHubIds: [...new Set(members.map((i) => records[i].originHubId))].sort(),
      sources: members.map((i) => ({
        originHubId: records[i].originHubId,
        carrierHubId: records[i].carrierHubId,
        packageId: records[i].carrierPackageId,
        gid: records[i].record.gid,
      })),
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ───────────────────────────── roll-up ─────────────────────────────

export type Measures = Record<string, number>;

export interface HubContribution {
  hubId: string;
  hubName: string;
  level: Level;
  regionCode: string;
  /** Additive integer measures (counts, person-times, fen). */
  measures: Measures;
  /** Keys of the merged organizations this hub lists, for distinct counts. */
  organizationKeys?: readonly string[];
}

export interface RegionNode {
  level: Level;
  code: string;
  /** Hubs located exactly at this region. */
  hubs: HubContribution[];
  children: RegionNode[];
  /** Sum over all hubs in this region and below. */
  totals: Measures;
  /** Organizations in this region and below, each counted once however many hubs list it. */
  distinctOrganizations: number;
  hubCount: number;
}

export function addMeasures(into: Measures, add: Measures): void {
  for (const [k, v] of Object.entries(add)) {
    if (!Number.isSafeInteger(v)) throw new Error(`汇总指标“${k}”的值 ${v} 不是安全整数`);
    const sum = (into[k] ?? 0) + v;
    if (!Number.isSafeInteger(sum)) throw new Error(`汇总指标“${k}”合计超出范围`);
    into[k] = sum;
  }
}

/**
 * Builds the region tree of the contributing hubs: every hub adds its measures to its own region and to each
 * region above it by code prefix, so a node's totals are the sum of its children's totals plus its own hubs'.
 * Returns the province nodes, children sorted by code.
 */
export function rollUp(contributions: readonly HubContribution[]): RegionNode[] {
  const nodes = new Map<string, RegionNode & { orgSet: Set<string> }>();
  const roots: RegionNode[] = [];
  for (const h of contributions) {
    let parent: (RegionNode & { orgSet: Set<string> }) | null = null;
    for (const step of regionChain(h.regionCode, h.level)) {
      const id = `${step.level}:${step.code}`;
      let node = nodes.get(id);
      if (!node) {
        node = { level: step.level, code: step.code, hubs: [], children: [], totals: {}, distinctOrganizations: 0, hubCount: 0, orgSet: new Set() };
        nodes.set(id, node);
        if (parent) parent.children.push(node);
        else roots.push(node);
      }
      addMeasures(node.totals, h.measures);
      node.hubCount += 1;
      for (const k of h.organizationKeys ?? []) node.orgSet.add(k);
      parent = node;
    }
    parent!.hubs.push(h);
  }
  const finish = (n: RegionNode & { orgSet?: Set<string> }) => {
    n.distinctOrganizations = n.orgSet?.size ?? 0;
    delete n.orgSet;
    n.children.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    n.hubs.sort((a, b) => (a.hubId < b.hubId ? -1 : a.hubId > b.hubId ? 1 : 0));
    n.children.forEach(finish);
  };
  roots.forEach(finish);
  return roots.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Drill-down: the node of a region in a rolled-up tree, or null. */
export function findRegion(roots: readonly RegionNode[], level: Level, code: string): RegionNode | null {
  const prefixOf = (l: Level) => code.slice(0, LEVEL_PREFIX_LENGTH[l]);
  let layer: readonly RegionNode[] = roots;
  for (const l of LEVELS) {
    const node = layer.find((n) => n.code.slice(0, LEVEL_PREFIX_LENGTH[l]) === prefixOf(l) && n.level === l);
    if (!node) return null;
    if (l === level) return node;
    layer = node.children;
  }
  return null;
}

/** All hubs in a subtree, highest level first. */
export function hubsUnder(node: RegionNode): HubContribution[] {
  const out: HubContribution[] = [...node.hubs];
  for (const c of node.children) out.push(...hubsUnder(c));
  return out.sort((a, b) => levelRank(a.level) - levelRank(b.level) || (a.hubId < b.hubId ? -1 : a.hubId > b.hubId ? 1 : 0));
}
