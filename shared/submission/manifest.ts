import { z } from 'zod';
import { LEVELS, LEVEL_LABELS, checkRegionCode, type Level } from './region';
import { parsePeriod, periodHasBegun, PERIOD_FORMAT_HINT } from './period';
import { HUB_ID_RE, PACKAGE_ID_RE } from './globalId';
import { isFingerprint } from './fingerprint';
import {
  MANIFEST_ENTRY,
  ROTATION_ENTRY,
  SIGNATURE_ENTRY,
  TABLE_NAME_RE,
  memberKeyEntry,
  memberOfEntry,
  memberPackageEntry,
  isAllowedPayloadEntry,
  tableEntryName,
  tableOfEntry,
  unsafeEntryNameReason,
} from './entryName';

/**
 * The manifest of a submission package (`manifest.json`). Its exact bytes are signed (`manifest.sig`), and it
 * names every other entry with its SHA-256 and byte size, so nothing in the package can change unnoticed.
 */

export const PACKAGE_FORMAT = 'incubase-submission';
/**
 * Layout of the zip and of this manifest. 1: Ed25519 + SHA-256, entries `{ sha256, size }`. 2: the manifest names
 * its algorithms (`algorithms`), entries carry the digest under the algorithm's name (`{ sm3, size }`), and a
 * consolidated package may carry its members' original packages (`members/…`) and key rotation certificates.
 */
export const FORMAT_VERSION = 2;
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2];

export const DIGEST_ALGORITHMS = ['SM3', 'SHA-256'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];
export const SIGNATURE_ALGORITHMS = ['SM2-with-SM3', 'Ed25519'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];
/** GB/T 35276 / GM/T 0009's default signer id for SM2 when none is agreed. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';
/** The entry key of a digest in `entries` (`sm3`, `sha256`). */
export const DIGEST_ENTRY_KEY = { SM3: 'sm3', 'SHA-256': 'sha256' } as const satisfies Record<DigestAlgorithm, string>;

export const zAlgorithms = z
  .object({
    digest: z.enum(DIGEST_ALGORITHMS),
    signature: z.enum(SIGNATURE_ALGORITHMS),
    /** SM2 signer id (ENTL || ID in Z_A); absent means the default 1234567812345678. */
    signerId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type Algorithms = z.infer<typeof zAlgorithms>;
export const LEGACY_ALGORITHMS: Algorithms = { digest: 'SHA-256', signature: 'Ed25519' };
/** Shape of the records in `data/*.jsonl`; raised whenever a table's record fields change incompatibly. */
export const SCHEMA_VERSION = 1;
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];
export const PACKAGE_EXTENSION = '.incubase';

export const PACKAGE_KINDS = ['hub', 'consolidated'] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];
export const PACKAGE_KIND_LABELS: Record<PackageKind, string> = { hub: '本级数据', consolidated: '汇总数据' };

const zSha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 应为 64 位小写十六进制');
const zHubId = z.string().regex(HUB_ID_RE, '上报单位编号格式错误');
const zLevel = z.enum(LEVELS);
const zPeriodText = z.string().refine((s) => parsePeriod(s) !== null, PERIOD_FORMAT_HINT);
const zIso = z.iso.datetime({ offset: true });
/** An id, never a path: lower-case UUID (see globalId.ts). */
const zPackageId = z.string().regex(PACKAGE_ID_RE, '上报包编号应为小写 UUID(如 1b4e28ba-2fa1-41d2-883f-0016d3cca427)');

/** A hub whose own data is inside the package (itself, and for a consolidated package the lower hubs). */
export const zOrigin = z
  .object({
    hubId: zHubId,
    hubName: z.string().min(1).max(200),
    regionCode: z.string().regex(/^\d{12}$/, '区划代码应为 12 位数字'),
    level: zLevel,
    period: zPeriodText,
    /** The package in which this hub itself sent its data, and when that was made. */
    packageId: zPackageId,
    createdAt: zIso,
  })
  .strict();
export type Origin = z.infer<typeof zOrigin>;

const zSize = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const zSm3 = z.string().regex(/^[0-9a-f]{64}$/, 'SM3 应为 64 位小写十六进制');
export const zEntryInfo = z.union([z.object({ sha256: zSha256, size: zSize }).strict(), z.object({ sm3: zSm3, size: zSize }).strict()]);
export type EntryInfo = z.infer<typeof zEntryInfo>;

/** The digest of an entry, whichever algorithm it was made with. */
export function entryDigest(info: EntryInfo): string {
  return 'sm3' in info ? info.sm3 : info.sha256;
}

export function makeEntryInfo(algorithm: DigestAlgorithm, digest: string, size: number): EntryInfo {
  return algorithm === 'SM3' ? { sm3: digest, size } : { sha256: digest, size };
}

export const zManifest = z
  .object({
    format: z.literal(PACKAGE_FORMAT),
    formatVersion: z.number().int().min(1),
    schemaVersion: z.number().int().min(1),
    /** From format 2 on; format 1 is always SHA-256 + Ed25519. */
    algorithms: zAlgorithms.optional(),
    packageId: zPackageId,
    kind: z.enum(PACKAGE_KINDS),
    hubId: zHubId,
    hubName: z.string().min(1).max(200),
    regionCode: z.string().regex(/^\d{12}$/, '区划代码应为 12 位数字'),
    level: zLevel,
    period: zPeriodText,
    createdAt: zIso,
    generator: z.string().max(100),
    /** Informative only: the key that is trusted is the one registered for `hubId`. */
    signerFingerprint: z.string().refine(isFingerprint, '公钥指纹格式错误'),
    origins: z.array(zOrigin).min(1).max(100_000),
    recordCounts: z.record(z.string().regex(TABLE_NAME_RE), z.number().int().min(0)),
    entries: z.record(z.string(), zEntryInfo),
  })
  .strict();
export type Manifest = z.infer<typeof zManifest>;

/** The algorithms a manifest was made with (format 1: SHA-256 and Ed25519). */
export function manifestAlgorithms(m: Pick<Manifest, 'algorithms'>): Algorithms {
  return m.algorithms ?? LEGACY_ALGORITHMS;
}

export function algorithmsLabel(a: Algorithms): string {
  return `${a.signature === 'SM2-with-SM3' ? 'SM2 签名' : 'Ed25519 签名'} + ${a.digest} 摘要`;
}

/** Canonical bytes of a manifest: stable key order is not required since the exact bytes are what is signed. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Why a manifest is refused: its shape or content, its schema/format version, or its period. */
export type ManifestProblem = 'manifest' | 'schema' | 'period';
export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; problem: ManifestProblem; reason: string };

export interface ManifestExpectations {
  supportedSchemaVersions?: readonly number[];
  /** When set, the package must be for exactly this period. */
  expectedPeriod?: string;
}

/**
 * Parses and checks a manifest beyond its shape: versions, region code for the level, period begun by the
 * creation date, entry names, one data entry per counted table, origins consistent with the kind.
 */
export function checkManifest(json: unknown, expect: ManifestExpectations = {}): ManifestCheck {
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>;
    if (o.format !== PACKAGE_FORMAT) return { ok: false, problem: 'manifest', reason: '不是孵化基地上报包(清单格式标识不符)' };
    if (typeof o.formatVersion === 'number' && o.formatVersion > FORMAT_VERSION) {
      return { ok: false, problem: 'schema', reason: `上报包格式版本 ${o.formatVersion} 高于本软件支持的版本 ${FORMAT_VERSION}，请升级软件` };
    }
    const supported = expect.supportedSchemaVersions ?? SUPPORTED_SCHEMA_VERSIONS;
    if (typeof o.schemaVersion === 'number' && !supported.includes(o.schemaVersion)) {
      return {
        ok: false,
        problem: 'schema',
        reason: `上报包数据结构版本 ${o.schemaVersion} 不受支持(本软件支持：${supported.join('、')})`,
      };
    }
  }
  const parsed = zManifest.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, problem: 'manifest', reason: `清单内容不合规：${first.path.join('.') || '(根)'} ${first.message}` };
  }
  const m = parsed.data;
  if (!SUPPORTED_FORMAT_VERSIONS.includes(m.formatVersion)) {
    return { ok: false, problem: 'schema', reason: `上报包格式版本 ${m.formatVersion} 不受支持` };
  }
  if (m.formatVersion === 1 && m.algorithms !== undefined) {
    return { ok: false, problem: 'manifest', reason: '格式版本 1 的清单不应声明算法(版本 1 固定为 Ed25519 + SHA-256)' };
  }
  if (m.formatVersion >= 2 && m.algorithms === undefined) return { ok: false, problem: 'manifest', reason: '清单未声明签名和摘要算法(algorithms)' };
  const algorithms = manifestAlgorithms(m);
  if (algorithms.signature === 'Ed25519' && algorithms.signerId !== undefined) return { ok: false, problem: 'manifest', reason: 'Ed25519 签名不使用签名者标识 signerId' };
  const digestKey = DIGEST_ENTRY_KEY[algorithms.digest];
  for (const [name, info] of Object.entries(m.entries)) {
    if (!(digestKey in info)) return { ok: false, problem: 'manifest', reason: `条目“${name}”的摘要不是清单声明的 ${algorithms.digest}` };
  }
  const region = checkRegionCode(m.regionCode, m.level);
  if (!region.ok) return { ok: false, problem: 'manifest', reason: region.message };
  const period = parsePeriod(m.period)!;
  if (expect.expectedPeriod !== undefined && m.period !== expect.expectedPeriod) {
    return { ok: false, problem: 'period', reason: `报送期不符：包内为 ${m.period}，应为 ${expect.expectedPeriod}` };
  }
  const createdDate = chinaDate(m.createdAt);
  if (!periodHasBegun(period, createdDate)) {
    return { ok: false, problem: 'period', reason: `报送期 ${m.period} 尚未开始(包的生成日期为 ${createdDate})` };
  }
  for (const name of Object.keys(m.entries)) {
    const unsafe = unsafeEntryNameReason(name);
    if (unsafe) return { ok: false, problem: 'manifest', reason: `清单列出的${unsafe}` };
    if (name === MANIFEST_ENTRY || name === SIGNATURE_ENTRY || !isAllowedPayloadEntry(name)) {
      return { ok: false, problem: 'manifest', reason: `清单列出了不允许的条目“${name}”` };
    }
    const member = memberOfEntry(name);
    if ((member || name === ROTATION_ENTRY) && m.formatVersion < 2) return { ok: false, problem: 'manifest', reason: `格式版本 1 的上报包不应有条目“${name}”` };
    if (member && m.kind !== 'consolidated') return { ok: false, problem: 'manifest', reason: `本级上报包不应带有下级单位的包(条目“${name}”)` };
    if (member && !m.entries[member.kind === 'package' ? memberKeyEntry(member.packageId) : memberPackageEntry(member.packageId)]) {
      return { ok: false, problem: 'manifest', reason: `下级单位的包与其公钥须成对列出(缺少与“${name}”配对的条目)` };
    }
  }
  for (const table of Object.keys(m.recordCounts)) {
    if (!m.entries[tableEntryName(table)]) return { ok: false, problem: 'manifest', reason: `清单中表“${table}”缺少数据条目` };
  }
  for (const name of Object.keys(m.entries)) {
    const table = tableOfEntry(name);
    if (table !== null && m.recordCounts[table] === undefined) {
      return { ok: false, problem: 'manifest', reason: `清单中数据条目“${name}”缺少记录数` };
    }
  }
  // The packaging hub is always an origin (a federation's own data may be empty), with this very package.
  const self = m.origins.find((o) => o.hubId === m.hubId);
  if (!self || self.packageId !== m.packageId || self.createdAt !== m.createdAt) {
    return { ok: false, problem: 'manifest', reason: '清单的来源单位中缺少本单位自己(或与本包不符)' };
  }
  if (m.kind === 'hub' && m.origins.length !== 1) {
    return { ok: false, problem: 'manifest', reason: '本级上报包的来源应只有本单位自己' };
  }
  const seen = new Set<string>();
  for (const o of m.origins) {
    if (seen.has(o.hubId)) return { ok: false, problem: 'manifest', reason: `来源单位“${o.hubName}”重复列出` };
    seen.add(o.hubId);
    if (o.period !== m.period) return { ok: false, problem: 'period', reason: `来源单位“${o.hubName}”的报送期 ${o.period} 与包的报送期 ${m.period} 不符` };
    const oc = checkRegionCode(o.regionCode, o.level);
    if (!oc.ok) return { ok: false, problem: 'manifest', reason: `来源单位“${o.hubName}”：${oc.message}` };
  }
  return { ok: true, manifest: m };
}

/** Business date in China time (UTC+8, no daylight saving) of an ISO datetime. */
export function chinaDate(iso: string): string {
  const t = Date.parse(iso);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

export function describeHub(m: Pick<Manifest, 'hubName' | 'level' | 'regionCode'>): string {
  return `${m.hubName}(${LEVEL_LABELS[m.level as Level]}级，区划 ${m.regionCode})`;
}
