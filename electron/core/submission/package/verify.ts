import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { AppError } from '@shared/errors';
import {
  MANIFEST_ENTRY,
  ROTATION_ENTRY,
  SIGNATURE_ENTRY,
  WORKBOOK_ENTRY,
  memberKeyEntry,
  memberOfEntry,
  tableOfEntry,
  unsafeEntryNameReason,
} from '@shared/submission/entryName';
import {
  SM2_DEFAULT_USER_ID,
  checkManifest,
  entryDigest,
  manifestAlgorithms,
  zAlgorithms,
  type Algorithms,
  type Manifest,
  type ManifestExpectations,
} from '@shared/submission/manifest';
import { isGid } from '@shared/submission/globalId';
import { sameFingerprint } from '@shared/submission/fingerprint';
import { zRotationCertificate, zRotationChain, type RotationCertificate } from '@shared/submission/rotation';
import { zHubKeyFile, type HubKeyFile } from '@shared/contract/submission';
import { SIGNATURE_ALGORITHM_OF, loadPublicKey, publicKeyFingerprint, verifyBytes, type HubPublicKey } from './keys';
import { createDigest, sm3Ready } from './digest';

/**
 * Verifies a `.incubase` package entirely in memory — nothing is extracted to disk — and refuses it with a
 * Chinese reason when it is unsafe, unsigned, signed by a key not registered for its hub, altered, or of a
 * wrong schema version or period. Order: zip structure and entry safety (before reading any content),
 * manifest and signature, manifest rules, the exact entry set, then every entry's bytes (counted while
 * inflating and aborted beyond the declared size), SHA-256 and record lines.
 */

export type RefusalKind =
  | 'not-zip'
  | 'unsafe'
  | 'too-many-entries'
  | 'too-large'
  | 'unsigned'
  | 'unknown-hub'
  | 'bad-signature'
  | 'manifest'
  | 'schema'
  | 'period'
  | 'tampered';

export class PackageRefusedError extends AppError {
  readonly kind: RefusalKind;
  readonly reason: string;
  constructor(kind: RefusalKind, reason: string) {
    super('VALIDATION', `上报包未通过校验：${reason}`, { details: { kind } });
    this.kind = kind;
    this.reason = reason;
  }
}

export const isPackageRefused = (e: unknown): e is PackageRefusedError => e instanceof PackageRefusedError;

export interface PackageLimits {
  /** Size of the package file itself. */
  maxPackageBytes: number;
  maxEntries: number;
  maxManifestBytes: number;
  maxSignatureBytes: number;
  /** Uncompressed size of any one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** One JSON line (one record). */
  maxLineBytes: number;
}

export const DEFAULT_LIMITS: PackageLimits = {
  maxPackageBytes: 2 * 1024 ** 3,
  /** A consolidated package carries two entries per member package. */
  maxEntries: 4096,
  maxManifestBytes: 8 * 1024 ** 2,
  maxSignatureBytes: 1024,
  maxEntryBytes: 3 * 1024 ** 3,
  maxTotalBytes: 4 * 1024 ** 3,
  maxLineBytes: 1024 ** 2,
};

export interface RegisteredKey {
  publicKeyPem: string;
}

export interface VerifyOptions extends ManifestExpectations {
  /** Registered public keys of a hub (several during a key change); none → the hub is unknown. */
  resolveKeys: (hubId: string) => readonly RegisteredKey[] | undefined;
  limits?: Partial<PackageLimits>;
  /** Keep the parsed records of these tables (all tables when `true`). */
  collect?: boolean | readonly string[];
  /** Keep the workbook bytes. */
  collectWorkbook?: boolean;
  /** Verify the members' original packages inside a consolidated package (default true). */
  verifyMembers?: boolean;
  /** Nesting depth of member packages (internal). */
  depth?: number;
}

/** A member's original package inside a consolidated one, as verified. */
export interface VerifiedMember {
  packageId: string;
  hubId: string;
  hubName: string;
  period: string;
  kind: Manifest['kind'];
  algorithms: Algorithms;
  fingerprint: string;
  origins: Manifest['origins'];
  members: VerifiedMember[];
}

export interface VerifiedPackage {
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestSha256: string;
  /** Fingerprint of the key that verified the signature (a registered one, or one a rotation certificate vouches for). */
  verifiedFingerprint: string;
  /** The verifying key. */
  verifiedKeyPem: string;
  algorithms: Algorithms;
  /** Set when the signature was made with a new key that rotation certificates in the package vouch for. */
  rotatedFrom: { fingerprint: string; certificates: RotationCertificate[] } | null;
  members: VerifiedMember[];
  records: Map<string, Record<string, unknown>[]>;
  workbook?: Buffer;
}

type Source = string | Buffer;

interface SafeEntry {
  name: string;
  entry: yauzl.Entry;
}

const refuse = (kind: RefusalKind, reason: string) => new PackageRefusedError(kind, reason);

/**
 * What a zip library's (English) error means for the person importing: the library's text is never shown.
 * yauzl and zlib say e.g. "end of central directory record signature not found", "invalid stored block lengths".
 */
export function zipProblemZh(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/end of central directory|not a zip|signature not found/i.test(m)) return '文件末尾没有 zip 目录：可能不是上报包，或下载/拷贝时不完整';
  if (/offset|truncated|unexpected end|EOF|out of range|bounds/i.test(m)) return '文件不完整(被截断)，请重新拷贝或重新下载';
  if (/crc|checksum/i.test(m)) return '数据校验不符，文件已损坏';
  if (/invalid|incorrect|unknown compression|header|block/i.test(m)) return '压缩数据已损坏';
  return '文件已损坏，无法解压';
}

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
  if (entry.generalPurposeBitFlag & 0x800) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw refuse('unsafe', '条目名称不是有效的 UTF-8 编码');
    }
  }
  // Without the UTF-8 flag only plain ASCII is accepted: other code pages are ambiguous.
  for (const b of raw) if (b > 0x7e) throw refuse('unsafe', `条目名称含非 ASCII 字符且未声明 UTF-8 编码`);
  return raw.toString('latin1');
}

function isSymlink(entry: yauzl.Entry): boolean {
  const hostSystem = entry.versionMadeBy >>> 8;
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  // Unix (3) and macOS (19) hosts keep the file mode in the high 16 bits.
  return (hostSystem === 3 || hostSystem === 19) && mode === 0o120000;
}

function isDirectory(entry: yauzl.Entry, name: string): boolean {
  const hostSystem = entry.versionMadeBy >>> 8;
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  return name.endsWith('/') || (entry.externalFileAttributes & 0x10) !== 0 || ((hostSystem === 3 || hostSystem === 19) && mode === 0o040000);
}

async function openZip(source: Source): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };
  try {
    return typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source, options);
  } catch (e) {
    throw refuse('not-zip', `文件不是有效的 zip 压缩包(上报包)：${zipProblemZh(e)}`);
  }
}

/**
 * Streams one entry through `onChunk`, counting inflated bytes and aborting as soon as they exceed `limit`
 * (the zip-bomb guard: the inflater is stopped, not allowed to finish).
 */
async function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  name: string,
  limit: number,
  onChunk: (chunk: Buffer) => void,
): Promise<number> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw refuse('unsafe', `条目“${name}”无法读取：${zipProblemZh(e)}`);
  }
  let count = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      count += chunk.length;
      if (count > limit) {
        stream.destroy();
        throw refuse('too-large', `条目“${name}”解压后超过声明的大小或上限(${limit} 字节)，疑似压缩炸弹，已中止`);
      }
      onChunk(chunk);
    }
  } catch (e) {
    if (e instanceof PackageRefusedError) throw e;
    const msg = (e as Error).message ?? String(e);
    if (/too many bytes/i.test(msg)) {
      throw refuse('too-large', `条目“${name}”解压后超过压缩包声明的大小，疑似压缩炸弹，已中止`);
    }
    throw refuse('tampered', `条目“${name}”数据损坏：${zipProblemZh(e)}`);
  }
  return count;
}

async function readSmall(zip: yauzl.ZipFile, e: SafeEntry, limit: number, what: string): Promise<Buffer> {
  if (e.entry.uncompressedSize > limit) throw refuse('too-large', `${what}过大(${e.entry.uncompressedSize} 字节，上限 ${limit})`);
  const parts: Buffer[] = [];
  await readEntry(zip, e.entry, e.name, limit, (c) => parts.push(c));
  return Buffer.concat(parts);
}

function decodeSignature(buf: Buffer): Buffer {
  const text = buf.toString('ascii').trim();
  // Ed25519: 64 raw bytes; SM2: DER SEQUENCE { r, s } of 8…72 bytes.
  if (!/^[A-Za-z0-9+/]{8,200}={0,2}$/.test(text)) throw refuse('bad-signature', '签名文件 manifest.sig 格式错误');
  const sig = Buffer.from(text, 'base64');
  if (sig.length < 8 || sig.length > 128) throw refuse('bad-signature', '签名文件 manifest.sig 格式错误');
  return sig;
}

/**
 * The keys a rotation chain adds for a hub: each certificate must be signed by a key already trusted (registered,
 * or added by an earlier certificate) and name this hub; its new key must match its fingerprint.
 */
function keysFromRotations(bytes: Buffer, hubId: string, trusted: HubPublicKey[]): { key: HubPublicKey; via: string; certificates: RotationCertificate[] }[] {
  let chain;
  try {
    chain = zRotationChain.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch {
    throw refuse('manifest', `密钥轮换证书 ${ROTATION_ENTRY} 格式错误`);
  }
  const added: { key: HubPublicKey; via: string; certificates: RotationCertificate[] }[] = [];
  const known = trusted.map((k) => ({ key: k, via: publicKeyFingerprint(k), certificates: [] as RotationCertificate[] }));
  for (const r of chain.rotations) {
    const parsed = zRotationCertificate.safeParse((() => {
      try {
        return JSON.parse(r.certificate);
      } catch {
        return null;
      }
    })());
    if (!parsed.success) throw refuse('manifest', `密钥轮换证书内容不合规`);
    const c = parsed.data;
    if (c.hubId !== hubId) throw refuse('manifest', `密钥轮换证书属于另一单位(编号 ${c.hubId})`);
    const signer = [...known, ...added].find((k) => sameFingerprint(publicKeyFingerprint(k.key), c.oldFingerprint));
    // A certificate from a key this federation never trusted proves nothing; the next one may still chain on.
    if (!signer) continue;
    if (!verifyBytes(Buffer.from(r.certificate, 'utf8'), Buffer.from(r.signature, 'base64'), signer.key)) {
      throw refuse('bad-signature', `密钥轮换证书的签名无效(声称由指纹 ${c.oldFingerprint} 的旧密钥签发)`);
    }
    let key: HubPublicKey;
    try {
      key = loadPublicKey(c.newPublicKeyPem);
    } catch (e) {
      throw refuse('manifest', `密钥轮换证书中的新公钥无法读取：${(e as Error).message}`);
    }
    if (!sameFingerprint(publicKeyFingerprint(key), c.newFingerprint)) throw refuse('manifest', '密钥轮换证书中的新公钥与其指纹不符');
    added.push({ key, via: signer.via, certificates: [...signer.certificates, c] });
  }
  return added;
}

export async function verifyPackage(source: Source, options: VerifyOptions): Promise<VerifiedPackage> {
  await sm3Ready();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let size: number;
  try {
    size = typeof source === 'string' ? (await stat(source)).size : source.length;
  } catch {
    throw refuse('not-zip', `无法读取文件：${source as string}`);
  }
  if (size > limits.maxPackageBytes) throw refuse('too-large', `上报包文件过大(${size} 字节，上限 ${limits.maxPackageBytes})`);
  const zip = await openZip(source);
  try {
    return await verifyOpen(zip, options, limits);
  } finally {
    zip.close();
  }
}

async function verifyOpen(zip: yauzl.ZipFile, options: VerifyOptions, limits: PackageLimits): Promise<VerifiedPackage> {
  if (zip.entryCount > limits.maxEntries) {
    throw refuse('too-many-entries', `压缩包内条目过多(${zip.entryCount} 个，上限 ${limits.maxEntries})`);
  }
  // 1. Entry safety from the central directory, before any content is read.
  const byName = new Map<string, SafeEntry>();
  const lowerNames = new Set<string>();
  let declaredTotal = 0;
  let count = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      count += 1;
      if (count > limits.maxEntries) throw refuse('too-many-entries', `压缩包内条目过多(上限 ${limits.maxEntries})`);
      const name = decodeName(entry);
      const unsafe = unsafeEntryNameReason(name);
      if (unsafe) throw refuse('unsafe', unsafe);
      if (isSymlink(entry)) throw refuse('unsafe', `条目“${name}”是符号链接`);
      if (isDirectory(entry, name)) throw refuse('unsafe', `条目“${name}”是文件夹，包内不应有文件夹条目`);
      if (byName.has(name) || lowerNames.has(name.toLowerCase())) throw refuse('unsafe', `条目“${name}”重复出现`);
      if (entry.isEncrypted()) throw refuse('unsafe', `条目“${name}”已加密，无法校验`);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw refuse('unsafe', `条目“${name}”使用了不支持的压缩方式(${entry.compressionMethod})`);
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw refuse('too-large', `条目“${name}”声明的解压大小 ${entry.uncompressedSize} 字节超过上限 ${limits.maxEntryBytes}`);
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) throw refuse('too-large', `压缩包解压后总大小超过上限 ${limits.maxTotalBytes} 字节`);
      // Other unzip tools use the local header's name: it must say the same as the central directory.
      const local = await zip.readLocalFileHeaderPromise(entry);
      if (!local.fileName.equals(entry.fileNameRaw)) throw refuse('unsafe', `条目“${name}”的本地文件头名称与目录不一致`);
      byName.set(name, { name, entry });
      lowerNames.add(name.toLowerCase());
    }
  } catch (e) {
    if (e instanceof PackageRefusedError) throw e;
    throw refuse('not-zip', `文件不是有效的 zip 压缩包(结构损坏)：${zipProblemZh(e)}`);
  }

  // 2. Manifest and signature.
  const sigEntry = byName.get(SIGNATURE_ENTRY);
  const manEntry = byName.get(MANIFEST_ENTRY);
  if (!manEntry) throw refuse('manifest', '缺少清单 manifest.json');
  if (!sigEntry) throw refuse('unsigned', '上报包未签名(缺少 manifest.sig)');
  const manifestBytes = await readSmall(zip, manEntry, limits.maxManifestBytes, '清单 manifest.json');
  const signature = decodeSignature(await readSmall(zip, sigEntry, limits.maxSignatureBytes, '签名文件 manifest.sig'));
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes));
  } catch {
    throw refuse('manifest', '清单 manifest.json 不是有效的 JSON');
  }
  const claimed = json as { hubId?: unknown; hubName?: unknown; signerFingerprint?: unknown };
  if (typeof json !== 'object' || json === null || typeof claimed.hubId !== 'string') {
    throw refuse('manifest', '清单缺少上报单位编号 hubId');
  }
  const hubLabel = typeof claimed.hubName === 'string' ? `“${claimed.hubName}”(编号 ${claimed.hubId})` : `编号 ${claimed.hubId}`;
  const registeredKeys = options.resolveKeys(claimed.hubId) ?? [];
  if (registeredKeys.length === 0) throw refuse('unknown-hub', `上报单位${hubLabel}未登记，请先登记该单位及其公钥`);
  const trusted: HubPublicKey[] = [];
  for (const k of registeredKeys) {
    try {
      trusted.push(loadPublicKey(k.publicKeyPem));
    } catch {
      // A registered key that cannot be read verifies nothing.
    }
  }
  // The algorithms the manifest claims (format 1: Ed25519 + SHA-256); the signature below covers the claim.
  const claimedAlgorithms = zAlgorithms.safeParse((json as { algorithms?: unknown }).algorithms ?? { digest: 'SHA-256', signature: 'Ed25519' });
  if (!claimedAlgorithms.success) throw refuse('manifest', '清单声明的算法(algorithms)不受支持');
  const signerId = claimedAlgorithms.data.signerId ?? SM2_DEFAULT_USER_ID;
  const rotEntry = byName.get(ROTATION_ENTRY);
  const rotated = rotEntry ? keysFromRotations(await readSmall(zip, rotEntry, 1024 ** 2, `密钥轮换证书 ${ROTATION_ENTRY}`), claimed.hubId, trusted) : [];
  const candidates = [...trusted.map((key) => ({ key, rotation: null as null | { via: string; certificates: RotationCertificate[] } })), ...rotated.map((r) => ({ key: r.key, rotation: { via: r.via, certificates: r.certificates } }))];
  const good = candidates.find((c) => verifyBytes(manifestBytes, signature, c.key, signerId));
  if (!good) {
    const registered = trusted.map((k) => publicKeyFingerprint(k)).join('；');
    const claimedFp = typeof claimed.signerFingerprint === 'string' ? claimed.signerFingerprint : '未知';
    throw refuse(
      'bad-signature',
      `签名无效：清单已被改动，或不是用${hubLabel}登记的密钥签名(包内声明的密钥指纹 ${claimedFp}，登记的指纹 ${registered})`,
    );
  }
  if (SIGNATURE_ALGORITHM_OF[good.key.algorithm] !== claimedAlgorithms.data.signature) {
    throw refuse('bad-signature', `清单声明的签名算法 ${claimedAlgorithms.data.signature} 与签名所用的密钥(${good.key.algorithm})不符`);
  }

  // 3. Manifest rules (versions, period, names, counts).
  const checked = checkManifest(json, options);
  if (!checked.ok) throw refuse(checked.problem, checked.reason);
  const manifest = checked.manifest;

  // 4. The exact entry set.
  for (const name of byName.keys()) {
    if (name === MANIFEST_ENTRY || name === SIGNATURE_ENTRY) continue;
    if (!manifest.entries[name]) throw refuse('tampered', `包内有清单未列出的条目“${name}”`);
  }
  for (const name of Object.keys(manifest.entries)) {
    if (!byName.has(name)) throw refuse('tampered', `缺少清单列出的条目“${name}”`);
  }

  // 5. Content of every entry, with the manifest's digest.
  const algorithms = manifestAlgorithms(manifest);
  const memberBytes = new Map<string, Buffer>();
  const wanted = (table: string) => options.collect === true || (Array.isArray(options.collect) && options.collect.includes(table));
  const records = new Map<string, Record<string, unknown>[]>();
  let workbook: Buffer | undefined;
  for (const [name, info] of Object.entries(manifest.entries)) {
    const { entry } = byName.get(name)!;
    if (entry.uncompressedSize !== info.size) {
      throw refuse('tampered', `条目“${name}”的大小(${entry.uncompressedSize} 字节)与清单(${info.size} 字节)不符`);
    }
    const limit = Math.min(info.size, limits.maxEntryBytes);
    const hash = createDigest(algorithms.digest);
    const expected = entryDigest(info);
    const table = tableOfEntry(name);
    if (table !== null) {
      const keep = wanted(table);
      const rows: Record<string, unknown>[] = [];
      const lines = new LineReader(name, limits.maxLineBytes, (line, lineNo) => {
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch {
          throw refuse('tampered', `条目“${name}”第 ${lineNo} 行不是有效的 JSON`);
        }
        if (typeof rec !== 'object' || rec === null || Array.isArray(rec) || !isGid((rec as { gid?: unknown }).gid)) {
          throw refuse('tampered', `条目“${name}”第 ${lineNo} 行缺少有效的全局编号 gid`);
        }
        if (keep) rows.push(rec as Record<string, unknown>);
      });
      await readEntry(zip, entry, name, limit, (chunk) => {
        hash.update(chunk);
        lines.push(chunk);
      });
      lines.end();
      if (hash.hex() !== expected) throw refuse('tampered', `条目“${name}”的校验值与清单不符，内容已被改动`);
      if (lines.count !== manifest.recordCounts[table]) {
        throw refuse('tampered', `表“${table}”有 ${lines.count} 条记录，清单为 ${manifest.recordCounts[table]} 条`);
      }
      if (keep) records.set(table, rows);
    } else {
      const parts: Buffer[] = [];
      const keep = (name === WORKBOOK_ENTRY && options.collectWorkbook) || memberOfEntry(name) !== null;
      await readEntry(zip, entry, name, limit, (chunk) => {
        hash.update(chunk);
        if (keep) parts.push(chunk);
      });
      if (hash.hex() !== expected) throw refuse('tampered', `条目“${name}”的校验值与清单不符，内容已被改动`);
      if (name === WORKBOOK_ENTRY && parts.length > 0) workbook = Buffer.concat(parts);
      if (memberOfEntry(name)) memberBytes.set(name, Buffer.concat(parts));
    }
  }
  const members = options.verifyMembers === false ? [] : await verifyMembers(manifest, memberBytes, options, limits);
  return {
    manifest,
    manifestBytes,
    manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
    verifiedFingerprint: publicKeyFingerprint(good.key),
    verifiedKeyPem: good.key.pem,
    algorithms,
    rotatedFrom: good.rotation ? { fingerprint: good.rotation.via, certificates: good.rotation.certificates } : null,
    members,
    records,
    workbook,
  };
}

const MAX_MEMBER_DEPTH = 6;

/**
 * Each member package inside a consolidated one is verified as a package of its own, with the key its federation
 * registered for it (`members/<id>.key.json`, covered by the federation's signature), and must be what the
 * manifest's origins say: every lower origin of a format-2 consolidated package is carried by one of them.
 */
async function verifyMembers(manifest: Manifest, memberBytes: Map<string, Buffer>, options: VerifyOptions, limits: PackageLimits): Promise<VerifiedMember[]> {
  const depth = options.depth ?? 0;
  const out: VerifiedMember[] = [];
  for (const [name, bytes] of memberBytes) {
    const member = memberOfEntry(name)!;
    if (member.kind !== 'package') continue;
    if (depth >= MAX_MEMBER_DEPTH) throw refuse('unsafe', '下级单位的包嵌套过深');
    let key: HubKeyFile;
    try {
      key = zHubKeyFile.parse(JSON.parse(memberBytes.get(memberKeyEntry(member.packageId))!.toString('utf8')));
    } catch {
      throw refuse('manifest', `下级单位包 ${member.packageId} 的公钥条目格式错误`);
    }
    let inner: VerifiedPackage;
    try {
      inner = await verifyPackage(bytes, {
        resolveKeys: (hubId) => (hubId === key.hubId ? [{ publicKeyPem: key.publicKeyPem }] : undefined),
        expectedPeriod: manifest.period,
        limits,
        collect: false,
        depth: depth + 1,
      });
    } catch (e) {
      if (e instanceof PackageRefusedError) throw refuse(e.kind, `其中下级单位的包 ${member.packageId} 未通过校验：${e.reason}`);
      throw e;
    }
    const m = inner.manifest;
    if (m.packageId !== member.packageId) throw refuse('tampered', `下级单位的包 ${member.packageId} 的编号与其清单(${m.packageId})不符`);
    out.push({
      packageId: m.packageId,
      hubId: m.hubId,
      hubName: m.hubName,
      period: m.period,
      kind: m.kind,
      algorithms: inner.algorithms,
      fingerprint: inner.verifiedFingerprint,
      origins: m.origins,
      members: inner.members,
    });
  }
  if (manifest.formatVersion >= 2 && manifest.kind === 'consolidated') {
    for (const o of manifest.origins) {
      if (o.hubId === manifest.hubId) continue;
      const carried = out.some((mem) => mem.origins.some((x) => x.hubId === o.hubId && x.packageId === o.packageId && x.createdAt === o.createdAt));
      if (!carried) throw refuse('tampered', `汇总包列出的来源单位“${o.hubName}”的数据没有附带其原始签名包，无法核验`);
    }
  }
  return out;
}

/** Splits a byte stream into `\n`-terminated lines without holding more than one line. */
class LineReader {
  count = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  constructor(
    private readonly entryName: string,
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string, lineNo: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      let line: Buffer = chunk.subarray(start, nl);
      if (this.pending.length > 0) {
        line = Buffer.concat([...this.pending, line]);
        this.pending = [];
        this.pendingBytes = 0;
      }
      this.emit(line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        throw refuse('too-large', `条目“${this.entryName}”第 ${this.count + 1} 行过长(超过 ${this.maxLineBytes} 字节)`);
      }
    }
  }

  end(): void {
    if (this.pendingBytes > 0) throw refuse('tampered', `条目“${this.entryName}”最后一行缺少换行符，文件可能被截断`);
  }

  private emit(line: Buffer): void {
    if (line.length > this.maxLineBytes) throw refuse('too-large', `条目“${this.entryName}”第 ${this.count + 1} 行过长`);
    this.count += 1;
    this.onLine(line.toString('utf8'), this.count);
  }
}
