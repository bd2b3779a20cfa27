import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, fail } from '@shared/errors';
import type { ImportResult, PackageRow } from '@shared/contract/submission';
import { decideIncoming, type PackageRef } from '@shared/submission/merge';
import { LEVEL_LABELS, levelRank, regionContains, type Level } from '@shared/submission/region';
import { periodLabel } from '@shared/submission/period';
import { checkRecord, isPackageTable, PACKAGE_TABLES } from '@shared/submission/records';
import { recordOrigin } from '@shared/submission/merge';
import type { Manifest } from '@shared/submission/manifest';
import type { CallContext, Trx } from '../api/context';
import { requireHub } from '../admin/hubService';
import type { Db } from '../db/connection';
import { isPackageRefused, verifyPackage, type VerifiedPackage } from './package/verify';
import { registeredKeys } from './members';
import { TEMP_NAME_RE, commitTemp, pathInside, tempWriterGone, writeTempSynced } from '../safePath';
import { faultPoint } from '../faults';

/**
 * Import of packages at a federation: each file is verified in memory (verify.ts), its records checked
 * against their table schema, then written in one transaction — or not at all. Re-importing the same package
 * changes nothing; a newer package of the same hub and period supersedes the older one, which is kept.
 */

export function importsDir(dataDir: string): string {
  return join(dataDir, 'imports');
}

/** The kept copy of an imported package: `<dataDir>/imports/<packageId>.incubase`, always inside that folder. */
export function keptPackagePath(dataDir: string, packageId: string): string {
  return pathInside(importsDir(dataDir), `${packageId}.incubase`);
}

export type VerifyOutcome = { ok: true; verified: VerifiedPackage } | { ok: false; message: string };

/** Verification plus the federation's own rules: registered hub data matches, origins lie inside the sender's region. */
export async function verifyForImport(db: Db, bytes: Buffer, expectedPeriod?: string): Promise<VerifyOutcome> {
  const keys = await registeredKeys(db);
  let verified: VerifiedPackage;
  try {
    verified = await verifyPackage(bytes, {
      resolveKeys: (hubId) => {
        const k = keys.get(hubId);
        return k ? [{ publicKeyPem: k.publicKeyPem }] : undefined;
      },
      expectedPeriod,
      collect: true,
    });
  } catch (e) {
    if (isPackageRefused(e)) return { ok: false, message: e.reason };
    throw e;
  }
  const m = verified.manifest;
  const reg = keys.get(m.hubId)!;
  if (reg.regionCode !== m.regionCode || reg.level !== m.level) {
    return {
      ok: false,
      message: `包内单位信息(${LEVEL_LABELS[m.level]}级，区划 ${m.regionCode})与登记的“${reg.name}”(${LEVEL_LABELS[reg.level as Level]}级，区划 ${reg.regionCode})不符`,
    };
  }
  for (const o of m.origins) {
    if (o.hubId === m.hubId) continue;
    if (levelRank(o.level) <= levelRank(m.level) || !regionContains(m.regionCode, m.level, o.regionCode, o.level)) {
      return { ok: false, message: `汇总包中的来源单位“${o.hubName}”(区划 ${o.regionCode})不在“${m.hubName}”的辖区之下` };
    }
  }
  for (const [table, rows] of verified.records) {
    if (!isPackageTable(table)) {
      return { ok: false, message: `上报包含本软件不认识的数据表“${table}”(${rows.length} 行)，可接受的数据表：${Object.keys(PACKAGE_TABLES).join('、')}` };
    }
    const firstRow = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) {
      const c = checkRecord(table, rows[i]);
      if (!c.ok) return { ok: false, message: `数据表“${table}”(${PACKAGE_TABLES[table].label})第 ${i + 1} 行不合规：${c.message}` };
      // Stored as checked (defaults filled in), never as it came.
      rows[i] = c.record;
      // A record travels once per package: the same global id twice would be counted twice.
      const gid = rows[i].gid as string;
      const first = firstRow.get(gid);
      if (first !== undefined) return { ok: false, message: `数据表“${table}”第 ${i + 1} 行的全局编号 ${gid} 与第 ${first} 行重复` };
      firstRow.set(gid, i + 1);
    }
  }
  const own = await requireHub(db);
  if (m.hubId === own.hubId) return { ok: false, message: '这是本单位自己生成的上报包，不能导入到本单位' };
  return { ok: true, verified };
}

const BATCH = 500;

export type StoreOutcome =
  | { action: 'duplicate' }
  | { action: 'conflict'; reason: string }
  | { action: 'activate'; supersedes: string[] }
  | { action: 'superseded'; supersededBy: string };

/** Writes a verified package inside the caller's transaction, applying the supersession rule. */
export async function storeVerifiedPackage(
  trx: Trx,
  v: VerifiedPackage,
  meta: { fileName: string; size: number; importedBy: string | null; now: string },
): Promise<StoreOutcome> {
  const m: Manifest = v.manifest;
  const existing = await trx
    .selectFrom('sub_packages')
    .select(['package_id', 'hub_id', 'period', 'created_at', 'manifest_sha256'])
    .where((eb) => eb.or([eb('package_id', '=', m.packageId), eb.and([eb('hub_id', '=', m.hubId), eb('period', '=', m.period)])]))
    .execute();
  const refs: PackageRef[] = existing.map((e) => ({ packageId: e.package_id, hubId: e.hub_id, period: e.period, createdAt: e.created_at, manifestSha256: e.manifest_sha256 }));
  const decision = decideIncoming(refs, { packageId: m.packageId, hubId: m.hubId, period: m.period, createdAt: m.createdAt, manifestSha256: v.manifestSha256 });
  if (decision.action === 'duplicate') return { action: 'duplicate' };
  if (decision.action === 'conflict') return decision;
  const status = decision.action === 'activate' ? 'active' : 'superseded';
  await trx
    .insertInto('sub_packages')
    .values({
      package_id: m.packageId,
      hub_id: m.hubId,
      hub_name: m.hubName,
      region_code: m.regionCode,
      level: m.level,
      period: m.period,
      kind: m.kind,
      created_at: m.createdAt,
      manifest_sha256: v.manifestSha256,
      manifest_json: v.manifestBytes.toString('utf8'),
      signer_fingerprint: v.verifiedFingerprint,
      signer_key_pem: v.verifiedKeyPem,
      file_name: meta.fileName,
      file_size: meta.size,
      record_counts_json: JSON.stringify(m.recordCounts),
      status,
      superseded_by: decision.action === 'superseded' ? decision.supersededBy : null,
      imported_at: meta.now,
      imported_by: meta.importedBy,
    })
    .execute();
  if (decision.action === 'activate' && decision.supersedes.length > 0) {
    await trx.updateTable('sub_packages').set({ status: 'superseded', superseded_by: m.packageId }).where('package_id', 'in', decision.supersedes).execute();
  }
  for (const o of m.origins) {
    await trx
      .insertInto('sub_package_origins')
      .values({
        package_id: m.packageId,
        origin_hub_id: o.hubId,
        hub_name: o.hubName,
        region_code: o.regionCode,
        level: o.level,
        period: o.period,
        origin_package_id: o.packageId,
        origin_created_at: o.createdAt,
      })
      .execute();
  }
  const carrier = { packageId: m.packageId, hubId: m.hubId, origins: m.origins };
  for (const [table, rows] of v.records) {
    const seen = new Set<string>();
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = [];
      for (const r of rows.slice(i, i + BATCH)) {
        const gid = r.gid as string;
        if (seen.has(gid)) throw fail.validation(`上报包“${meta.fileName}”的数据表“${table}”中全局编号 ${gid} 重复出现`);
        seen.add(gid);
        values.push({ package_id: m.packageId, table_name: table, gid, origin_hub_id: recordOrigin(gid, carrier), data_json: JSON.stringify(r) });
      }
      if (values.length > 0) await trx.insertInto('sub_records').values(values).execute();
    }
  }
  return decision;
}

/**
 * The package was signed with a new key that rotation certificates signed by the registered key vouch for: the
 * registration moves to the new key (audited), so the hub's next packages verify without the chain.
 */
async function acceptRotatedKey(ctx: CallContext, trx: Trx, m: Manifest, v: VerifiedPackage): Promise<void> {
  const before = await trx.selectFrom('sub_member_hubs').selectAll().where('hub_id', '=', m.hubId).executeTakeFirstOrThrow();
  await trx
    .updateTable('sub_member_hubs')
    .set({ public_key_pem: v.verifiedKeyPem, fingerprint: v.verifiedFingerprint, updated_at: ctx.now().toISOString() })
    .where('id', '=', before.id)
    .execute();
  await ctx.audit(trx, {
    entity: 'member_hub',
    entityId: before.id,
    summary: `按“${m.hubName}”的密钥轮换证书更换其登记公钥：${before.fingerprint} → ${v.verifiedFingerprint}(证书由原登记密钥签发)`,
    before: { fingerprint: before.fingerprint },
    after: { fingerprint: v.verifiedFingerprint, certificates: v.rotatedFrom?.certificates.length ?? 0 },
  });
}

/**
 * Issue 18: a county (or higher) hub easily sends its 本级 package where its 汇总 was meant. Such a hub has lower
 * levels of its own, so a 本级 package from it is imported (it is valid) with a warning saying what it lacks.
 */
export function kindWarning(m: Pick<Manifest, 'kind' | 'level' | 'hubName'>): string | null {
  if (m.kind !== 'hub' || !['province', 'city', 'county'].includes(m.level)) return null;
  return `“${m.hubName}”是${LEVEL_LABELS[m.level as Level]}级单位，本次收到的是它的本级上报包：只含该单位自己的数据，不含其下级单位。若应报送汇总数据，请对方在「汇总上报」中生成汇总上报包后再报。`;
}

async function writePackage(ctx: CallContext, fileName: string, size: number, v: VerifiedPackage): Promise<ImportResult> {
  const m: Manifest = v.manifest;
  const base = { fileName, packageId: m.packageId, hubName: m.hubName, period: m.period };
  return ctx.write(async (trx) => {
    const decision = await storeVerifiedPackage(trx, v, { fileName, size, importedBy: ctx.user?.username ?? null, now: ctx.now().toISOString() });
    if (decision.action === 'duplicate') return { ...base, status: 'duplicate' as const, message: '该上报包已导入过，未做任何改动' };
    if (decision.action === 'conflict') return { ...base, status: 'refused' as const, message: decision.reason };
    if (v.rotatedFrom) await acceptRotatedKey(ctx, trx, m, v);
    const status = decision.action === 'activate' ? 'active' : 'superseded';
    const what = `${m.hubName} ${periodLabel(m.period)}${m.kind === 'consolidated' ? '汇总' : '本级'}上报包`;
    const message =
      decision.action === 'activate'
        ? decision.supersedes.length > 0
          ? `已导入${what}，取代了此前导入的 ${decision.supersedes.length} 个同期包(旧包保留)`
          : `已导入${what}`
        : `已导入${what}，但同期已有更新的包，本包保留为“已被取代”`;
    await ctx.audit(trx, {
      entity: 'submission_package',
      entityId: m.packageId,
      summary: message,
      after: { packageId: m.packageId, hubId: m.hubId, period: m.period, status, recordCounts: m.recordCounts, supersedes: decision.action === 'activate' ? decision.supersedes : [] },
    });
    faultPoint('submission.import.beforeCommit');
    return { ...base, status: decision.action === 'activate' ? ('imported' as const) : ('superseded' as const), message, warning: kindWarning(m) };
  });
}

export async function importPackages(ctx: CallContext, files: { name: string; base64: string }[], expectedPeriod?: string): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const f of files) {
    const bytes = Buffer.from(f.base64, 'base64');
    try {
      results.push(await importOne(ctx, f.name, bytes, expectedPeriod));
    } catch (e) {
      // One file refused by a rule of the database (its transaction rolled back) does not stop the others.
      if (!(e instanceof AppError) || e.code === 'INTERNAL') throw e;
      results.push({ fileName: f.name, status: 'refused', message: e.message, packageId: null, hubName: null, period: null });
    }
  }
  return results;
}

/** Temporary kept files of imports still under way in this process (never cleaned up under their feet). */
const liveTemps = new Set<string>();
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes temporary kept files left by an import that died: written by a process that is gone, or by this one
 * and no longer in use, or older than a few minutes (a writer on another machine sharing the folder).
 */
export function cleanStaleTemps(dataDir: string, olderThanMs = STALE_TEMP_MS, now = Date.now()): string[] {
  const dir = importsDir(dataDir);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.tmp')) continue;
    const path = join(dir, name);
    if (liveTemps.has(path)) continue;
    try {
      const mine = TEMP_NAME_RE.exec(name)?.[1] === String(process.pid);
      if (!mine && !tempWriterGone(name) && now - statSync(path).mtimeMs < olderThanMs) continue;
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}

/** Whether the kept file already holds this package (the same bytes, or another copy with the same signed manifest). */
async function keptFileHolds(db: Db, path: string, bytes: Buffer, manifestSha256: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const kept = readFileSync(path);
  if (kept.equals(bytes)) return true;
  const again = await verifyForImport(db, kept).catch(() => null);
  return again?.ok === true && again.verified.manifestSha256 === manifestSha256;
}

/**
 * One package: verified, its bytes written to a synced temporary file, the rows committed, then the temporary
 * file renamed to `imports/<packageId>.incubase`. A crash anywhere leaves either nothing, or the rows without the
 * kept file — which importing the same file again restores (it is a duplicate, and its kept file is put back).
 */
export async function importOne(ctx: CallContext, fileName: string, bytes: Buffer, expectedPeriod?: string): Promise<ImportResult> {
  cleanStaleTemps(ctx.core.dataDir);
  const outcome = await verifyForImport(ctx.db, bytes, expectedPeriod);
  if (!outcome.ok) {
    // Nothing is written for a refused package (not even to disk); the caller shows the reason.
    return { fileName, status: 'refused', message: outcome.message, packageId: null, hubName: null, period: null };
  }
  const v = outcome.verified;
  const keptPath = keptPackagePath(ctx.core.dataDir, v.manifest.packageId);
  faultPoint('submission.import.verified');
  const tmp = writeTempSynced(keptPath, bytes);
  liveTemps.add(tmp);
  try {
    faultPoint('submission.import.tempWritten');
    const result = await writePackage(ctx, fileName, bytes.length, v);
    faultPoint('submission.import.committed');
    if (result.status === 'imported' || result.status === 'superseded') {
      // Keep the signed file as received, so it can be verified again or handed on.
      commitTemp(tmp, keptPath);
      faultPoint('submission.import.kept');
    } else if (result.status === 'duplicate' && !(await keptFileHolds(ctx.db, keptPath, bytes, v.manifestSha256))) {
      commitTemp(tmp, keptPath);
      return { ...result, message: `${result.message}；本单位保存的该包原文件缺失或已损坏，已用本次文件补回` };
    }
    return result;
  } finally {
    liveTemps.delete(tmp);
    rmSync(tmp, { force: true });
  }
}

/** SHA-256 of a kept file (tests and the integrity check compare it with what was imported). */
export function keptFileSha256(dataDir: string, packageId: string): string | null {
  const path = keptPackagePath(dataDir, packageId);
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

export async function listPackages(db: Db, period?: string): Promise<PackageRow[]> {
  let q = db.selectFrom('sub_packages').selectAll();
  if (period) q = q.where('period', '=', period);
  const rows = await q.orderBy('period', 'desc').orderBy('region_code').orderBy('created_at', 'desc').execute();
  const counts = await db.selectFrom('sub_package_origins').select(['package_id']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('package_id').execute();
  const originCount = new Map(counts.map((c) => [c.package_id, Number(c.n)]));
  return rows.map((r) => ({
    packageId: r.package_id,
    hubId: r.hub_id,
    hubName: r.hub_name,
    regionCode: r.region_code,
    level: r.level as Level,
    period: r.period,
    kind: r.kind as PackageRow['kind'],
    createdAt: r.created_at,
    fileName: r.file_name,
    fileSize: r.file_size,
    signerFingerprint: r.signer_fingerprint,
    recordCounts: JSON.parse(r.record_counts_json),
    status: r.status as PackageRow['status'],
    supersededBy: r.superseded_by,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    origins: originCount.get(r.package_id) ?? 0,
  }));
}
