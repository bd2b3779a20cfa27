import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '@shared/errors';
import type { BuildRow, HubKeyFile, PrebuildCheck } from '@shared/contract/submission';
import { ROTATION_ENTRY, memberKeyEntry, memberPackageEntry } from '@shared/submission/entryName';
import { PACKAGE_EXTENSION, chinaDate, type Origin, type PackageKind } from '@shared/submission/manifest';
import { requirePeriod, periodLabel, type Period } from '@shared/submission/period';
import type { Level } from '@shared/submission/region';
import type { CallContext } from '../api/context';
import { requireHub } from '../admin/hubService';
import type { Db } from '../db/connection';
import { buildSubmissionPackage, type RecordSources } from './package/build';
import { ensureHubKey } from './hubKey';
import { normalizeRegionCode, openCoreSnapshot } from './extract';
import { prebuildChecks } from './checks';
import { consolidatedSources } from './consolidate';
import { pathInside } from '../safePath';
import { keptPackagePath } from './importService';

export const PACKAGE_MIME = 'application/vnd.incubase.submission+zip';

export function submissionsDir(dataDir: string): string {
  return join(dataDir, 'submissions');
}

function safeFilePart(text: string): string {
  return text.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60);
}

function toRow(r: {
  id: string;
  package_id: string;
  kind: string;
  period: string;
  created_at: string;
  file_name: string;
  file_size: number;
  manifest_sha256: string;
  record_counts_json: string;
  measures_json: string;
  confirmed_warnings_json: string;
  built_by: string | null;
}): BuildRow {
  return {
    id: r.id,
    packageId: r.package_id,
    kind: r.kind as PackageKind,
    period: r.period,
    createdAt: r.created_at,
    fileName: r.file_name,
    fileSize: r.file_size,
    manifestSha256: r.manifest_sha256,
    recordCounts: JSON.parse(r.record_counts_json),
    measures: JSON.parse(r.measures_json),
    confirmedWarnings: JSON.parse(r.confirmed_warnings_json),
    builtBy: r.built_by,
  };
}

export async function listBuilds(db: Db): Promise<BuildRow[]> {
  const rows = await db.selectFrom('sub_builds').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map(toRow);
}

export async function buildFile(ctx: CallContext, id: string) {
  const row = await ctx.db.selectFrom('sub_builds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw fail.notFound('上报包');
  const path = pathInside(submissionsDir(ctx.core.dataDir), row.file_name);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw fail.rule(`上报包文件“${row.file_name}”已不在数据目录中(可能被移走)`);
  }
  return { fileName: row.file_name, mimeType: PACKAGE_MIME, base64: bytes.toString('base64') };
}

/**
 * The members' original signed packages (the kept files), each with the key that verified it at import, so the
 * level above can verify every member's own data and signature, not only this federation's.
 */
async function memberEntries(ctx: CallContext, packageIds: string[]): Promise<{ name: string; bytes: Buffer }[]> {
  if (packageIds.length === 0) return [];
  const rows = await ctx.db.selectFrom('sub_packages').select(['package_id', 'hub_id', 'hub_name', 'region_code', 'level', 'signer_key_pem', 'signer_fingerprint']).where('package_id', 'in', packageIds).execute();
  const registered = await ctx.db.selectFrom('sub_member_hubs').select(['hub_id', 'public_key_pem']).execute();
  const regKey = new Map(registered.map((r) => [r.hub_id, r.public_key_pem]));
  const out: { name: string; bytes: Buffer }[] = [];
  for (const r of rows.sort((a, b) => (a.package_id < b.package_id ? -1 : 1))) {
    const path = keptPackagePath(ctx.core.dataDir, r.package_id);
    if (!existsSync(path)) {
      throw fail.rule(`“${r.hub_name}”的原始上报包文件已不在数据目录中(imports/${r.package_id}.incubase)，请重新导入该单位的上报包(会补回文件)后再生成汇总包`);
    }
    const publicKeyPem = r.signer_key_pem ?? regKey.get(r.hub_id);
    if (!publicKeyPem) throw fail.rule(`“${r.hub_name}”的公钥未登记，无法附带其原始上报包`);
    const keyFile: HubKeyFile = {
      format: 'incubase-hub-key',
      hubId: r.hub_id,
      hubName: r.hub_name,
      regionCode: r.region_code,
      level: r.level as Level,
      publicKeyPem,
      fingerprint: r.signer_fingerprint,
    };
    out.push({ name: memberPackageEntry(r.package_id), bytes: readFileSync(path) });
    out.push({ name: memberKeyEntry(r.package_id), bytes: Buffer.from(`${JSON.stringify(keyFile, null, 2)}\n`, 'utf8') });
  }
  return out;
}

function requireConfirmed(checks: PrebuildCheck[], confirm: readonly string[]): string[] {
  const open = checks.filter((c) => !confirm.includes(c.code));
  if (open.length > 0) {
    throw fail.rule(`生成上报包前请先处理或确认：${open.map((c) => `${c.title}(${c.count} 项)`).join('；')}`, { checks: open.map((c) => c.code) });
  }
  return checks.map((c) => c.code);
}

function requireBegun(period: Period, now: Date): void {
  if (chinaDate(now.toISOString()) < period.start) throw fail.rule(`${periodLabel(period.text)}尚未开始，不能生成该期的上报包`);
}

/**
 * Builds the package of this hub (kind `hub`) or of its consolidated data (kind `consolidated`: this hub's
 * own data plus the counted copy of every lower hub's data), saves it under `<dataDir>/submissions/`,
 * and records it with the checks the director confirmed — all audited.
 */
export async function buildAndRecord(
  ctx: CallContext,
  input: { period: string; confirm: readonly string[]; kind: PackageKind },
): Promise<{ build: BuildRow; file: { fileName: string; mimeType: string; base64: string } }> {
  const period = requirePeriod(input.period);
  const now = ctx.now();
  requireBegun(period, now);
  const hub = await requireHub(ctx.db);
  const regionCode = normalizeRegionCode(hub.regionCode);
  if (!regionCode) throw fail.rule(`本单位的行政区划代码“${hub.regionCode}”不完整，请在系统管理中更正`);
  const key = ensureHubKey(ctx.core.dataDir, { hubId: hub.hubId, hubName: hub.name });
  const confirmed = requireConfirmed(await prebuildChecks(ctx.db, period, now), input.confirm);

  const dir = submissionsDir(ctx.core.dataDir);
  mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  // The kind in the name (issue 18): a 本级 file is not mistaken for the 汇总 one.
  const fileName = `${safeFilePart(hub.name)}-${input.kind === 'consolidated' ? '汇总' : '本级'}-${period.text}-${stamp}${PACKAGE_EXTENSION}`;
  const outPath = pathInside(dir, fileName);

  const snapshot = await openCoreSnapshot(ctx.core, hub.hubId, period);
  let sources: RecordSources = snapshot.sources;
  let lowerOrigins: Origin[] = [];
  const extraEntries: { name: string; bytes: Buffer }[] = [];
  if (key.rotations) extraEntries.push({ name: ROTATION_ENTRY, bytes: Buffer.from(`${JSON.stringify(key.rotations)}\n`, 'utf8') });
  try {
    if (input.kind === 'consolidated') {
      const c = await consolidatedSources(ctx.db, period, hub.hubId, snapshot.sources);
      if (c.lowerOrigins.length === 0) throw fail.rule(`${periodLabel(period.text)}尚未导入任何下级单位的上报包，无需生成汇总包`);
      sources = c.sources;
      lowerOrigins = c.lowerOrigins;
      if (key.algorithm === 'SM2') extraEntries.push(...(await memberEntries(ctx, c.carrierPackageIds)));
    }
    const packageId = randomUUID();
    const result = await buildSubmissionPackage({
      outPath,
      hub: { hubId: hub.hubId, hubName: hub.name, regionCode, level: hub.level as Level },
      period: period.text,
      kind: input.kind,
      lowerOrigins,
      sources,
      privateKeyPem: key.privateKeyPem,
      now,
      packageId,
      validate: true,
      extraEntries,
    });
    const size = statSync(outPath).size;
    const row = {
      id: randomUUID(),
      package_id: packageId,
      kind: input.kind,
      period: period.text,
      created_at: result.manifest.createdAt,
      file_name: fileName,
      file_size: size,
      manifest_sha256: result.manifestSha256,
      record_counts_json: JSON.stringify(result.manifest.recordCounts),
      measures_json: JSON.stringify(result.measures),
      confirmed_warnings_json: JSON.stringify(confirmed),
      built_by: ctx.user?.username ?? null,
    };
    try {
      await ctx.write(async (trx) => {
        await trx.insertInto('sub_builds').values(row).execute();
        await ctx.audit(trx, {
          entity: 'submission_build',
          entityId: packageId,
          summary: `生成${input.kind === 'consolidated' ? '汇总' : '本级'}上报包「${fileName}」(${periodLabel(period.text)}${confirmed.length ? `，确认了 ${confirmed.length} 项检查提示` : ''})`,
          after: { ...row, recordCounts: result.manifest.recordCounts },
        });
      });
    } catch (e) {
      rmSync(outPath, { force: true });
      throw e;
    }
    return { build: toRow(row), file: { fileName, mimeType: PACKAGE_MIME, base64: readFileSync(outPath).toString('base64') } };
  } catch (e) {
    if (e instanceof Error && !('code' in e) && /不合规|无法生成/.test(e.message)) throw fail.rule(e.message);
    throw e;
  } finally {
    await snapshot.close();
  }
}
