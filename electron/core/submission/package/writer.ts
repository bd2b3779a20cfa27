import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import {
  FORMAT_VERSION,
  PACKAGE_FORMAT,
  SM2_DEFAULT_USER_ID,
  makeEntryInfo,
  type Algorithms,
  SCHEMA_VERSION,
  checkManifest,
  serializeManifest,
  type EntryInfo,
  type Manifest,
  type Origin,
  type PackageKind,
} from '@shared/submission/manifest';
import { MANIFEST_ENTRY, SIGNATURE_ENTRY, TABLE_NAME_RE, WORKBOOK_ENTRY, isAllowedPayloadEntry, tableEntryName, tableOfEntry } from '@shared/submission/entryName';
import { isGid } from '@shared/submission/globalId';
import type { Level } from '@shared/submission/region';
import { SIGNATURE_ALGORITHM_OF, loadPrivateKey, publicKeyFingerprint, signBytes } from './keys';
import { createDigest, digestHex } from './digest';

/**
 * Writes a `.incubase` package: data tables as JSON lines (streamed, hashed while written), the workbook, other
 * entries (members' packages, key rotations), then the manifest naming every entry's digest and size, then the
 * signature of the manifest bytes. An SM2 key makes a format-2 package (SM3 digests, SM2 signature, algorithms
 * named in the manifest); an Ed25519 key makes a format-1 package exactly as before (SHA-256, Ed25519).
 * The file appears under its final name only when complete (written to `<name>.part`, then renamed).
 */

export interface PackageTableSource {
  name: string;
  /** Records in a stable order; each must carry a valid global id `gid`. */
  records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;
}

export interface PackageHub {
  hubId: string;
  hubName: string;
  regionCode: string;
  level: Level;
}

export interface BuildPackageInput {
  outPath: string;
  hub: PackageHub;
  period: string;
  kind?: PackageKind;
  /** Lower hubs whose data a consolidated package carries (the packaging hub itself is added). */
  lowerOrigins?: Origin[];
  tables: PackageTableSource[];
  /**
   * The standard tables workbook (xlsx bytes), if any. A function is called after all tables are written,
   * so a summary computed while the records stream past can go into it.
   */
  workbook?: Buffer | null | (() => Promise<Buffer | null>);
  privateKeyPem: string;
  now?: Date;
  packageId?: string;
  generator?: string;
  /** zlib level for the data entries (1 fast … 9 small). */
  compressionLevel?: number;
  /** Further entries (format 2 only): `members/<id>.incubase` + `.key.json`, `key-rotations.json`. */
  extraEntries?: { name: string; bytes: Buffer }[];
  /** SM2 signer id (default 1234567812345678). */
  signerId?: string;
}

export interface BuildPackageResult {
  outPath: string;
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestSha256: string;
  signature: Buffer;
}

const CHUNK_BYTES = 256 * 1024;

/** Signature text stored in `manifest.sig`: base64 of the signature bytes (Ed25519: 64; SM2: DER) and a newline. */
export function encodeSignature(sig: Uint8Array): Buffer {
  return Buffer.from(`${Buffer.from(sig).toString('base64')}\n`, 'ascii');
}

export async function buildPackage(input: BuildPackageInput): Promise<BuildPackageResult> {
  const now = input.now ?? new Date();
  const createdAt = now.toISOString();
  const packageId = input.packageId ?? randomUUID();
  const privateKey = loadPrivateKey(input.privateKeyPem);
  const signerFingerprint = publicKeyFingerprint(privateKey.publicKey);
  const legacy = privateKey.algorithm === 'Ed25519';
  const signerId = input.signerId ?? SM2_DEFAULT_USER_ID;
  const algorithms: Algorithms = legacy
    ? { digest: 'SHA-256', signature: 'Ed25519' }
    : { digest: 'SM3', signature: SIGNATURE_ALGORITHM_OF.SM2, ...(signerId !== SM2_DEFAULT_USER_ID ? { signerId } : {}) };
  const extra = input.extraEntries ?? [];
  if (legacy && extra.length > 0) throw new Error('Ed25519 密钥只能生成旧格式(版本 1)的上报包，不能带下级单位的包或密钥轮换证书');
  for (const e of extra) if (!isAllowedPayloadEntry(e.name) || tableOfEntry(e.name) !== null || e.name === WORKBOOK_ENTRY) throw new Error(`条目“${e.name}”不能作为附加条目`);
  const seenTables = new Set<string>();
  for (const t of input.tables) {
    if (!TABLE_NAME_RE.test(t.name)) throw new Error(`表名“${t.name}”不合规`);
    if (seenTables.has(t.name)) throw new Error(`表“${t.name}”重复`);
    seenTables.add(t.name);
  }

  const partPath = `${input.outPath}.part`;
  const zip = new ZipFile();
  const out = createWriteStream(partPath, { mode: 0o600 });
  const written = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.on('error', reject);
  });
  written.catch(() => undefined); // awaited below; avoid an unhandled rejection before that
  zip.outputStream.pipe(out);
  const entryOpts = { mtime: now, mode: 0o100644, compressionLevel: input.compressionLevel ?? 6 };

  const entries: Record<string, EntryInfo> = {};
  const recordCounts: Record<string, number> = {};
  try {
    for (const table of input.tables) {
      const entryName = tableEntryName(table.name);
      let finish!: (v: { sha256: string; size: number; count: number }) => void;
      let fail!: (e: unknown) => void;
      const done = new Promise<{ sha256: string; size: number; count: number }>((res, rej) => {
        finish = res;
        fail = rej;
      });
      const chunks = async function* () {
        const hash = createDigest(algorithms.digest);
        let size = 0;
        let count = 0;
        let parts: string[] = [];
        let pending = 0;
        const add = (rec: Record<string, unknown>): Buffer | null => {
          if (!isGid(rec.gid)) throw new Error(`表“${table.name}”第 ${count + 1} 条记录缺少有效的全局编号 gid`);
          const line = `${JSON.stringify(rec)}\n`;
          parts.push(line);
          pending += line.length;
          count += 1;
          if (pending < CHUNK_BYTES) return null;
          const buf = Buffer.from(parts.join(''), 'utf8');
          parts = [];
          pending = 0;
          hash.update(buf);
          size += buf.length;
          return buf;
        };
        try {
          const records = table.records;
          if (Symbol.iterator in records) {
            // A synchronous source is read synchronously between chunks: no promise per record.
            for (const rec of records) {
              const buf = add(rec);
              if (buf) yield buf;
            }
          } else {
            for await (const rec of records) {
              const buf = add(rec);
              if (buf) yield buf;
            }
          }
          if (parts.length > 0) {
            const buf = Buffer.from(parts.join(''), 'utf8');
            hash.update(buf);
            size += buf.length;
            yield buf;
          }
          finish({ sha256: hash.hex(), size, count });
        } catch (e) {
          fail(e);
          throw e;
        }
      };
      zip.addReadStreamLazy(entryName, entryOpts, (cb) => {
        const stream = Readable.from(chunks(), { objectMode: false });
        stream.on('error', () => undefined); // reported through `done`
        cb(null, stream);
      });
      // yazl reads entries one after the other: wait for this table before queueing the next, so a failing
      // generator stops the build at once.
      const r = await Promise.race([done, written.then(() => Promise.reject(new Error('写入上报包时输出提前结束')))]);
      entries[entryName] = makeEntryInfo(algorithms.digest, r.sha256, r.size);
      recordCounts[table.name] = r.count;
    }
    const workbook = typeof input.workbook === 'function' ? await input.workbook() : input.workbook;
    if (workbook) {
      entries[WORKBOOK_ENTRY] = makeEntryInfo(algorithms.digest, digestHex(algorithms.digest, workbook), workbook.length);
      zip.addBuffer(workbook, WORKBOOK_ENTRY, { ...entryOpts, compressionLevel: 0 }); // xlsx is already a zip
    }
    for (const e of extra) {
      if (entries[e.name]) throw new Error(`条目“${e.name}”重复`);
      entries[e.name] = makeEntryInfo(algorithms.digest, digestHex(algorithms.digest, e.bytes), e.bytes.length);
      // A member's package is already a zip: stored as is.
      zip.addBuffer(e.bytes, e.name, { ...entryOpts, compressionLevel: e.name.endsWith('.incubase') ? 0 : entryOpts.compressionLevel });
    }

    const self: Origin = {
      hubId: input.hub.hubId,
      hubName: input.hub.hubName,
      regionCode: input.hub.regionCode,
      level: input.hub.level,
      period: input.period,
      packageId,
      createdAt,
    };
    const manifest: Manifest = {
      format: PACKAGE_FORMAT,
      formatVersion: legacy ? 1 : FORMAT_VERSION,
      schemaVersion: SCHEMA_VERSION,
      ...(legacy ? {} : { algorithms }),
      packageId,
      kind: input.kind ?? 'hub',
      hubId: input.hub.hubId,
      hubName: input.hub.hubName,
      regionCode: input.hub.regionCode,
      level: input.hub.level,
      period: input.period,
      createdAt,
      generator: input.generator ?? 'Incubase',
      signerFingerprint,
      origins: [self, ...(input.lowerOrigins ?? []).filter((o) => o.hubId !== self.hubId)],
      recordCounts,
      entries,
    };
    const check = checkManifest(JSON.parse(JSON.stringify(manifest)));
    if (!check.ok) throw new Error(`无法生成上报包：${check.reason}`);
    const manifestBytes = Buffer.from(serializeManifest(manifest), 'utf8');
    const signature = signBytes(manifestBytes, privateKey, signerId);
    zip.addBuffer(manifestBytes, MANIFEST_ENTRY, entryOpts);
    zip.addBuffer(encodeSignature(signature), SIGNATURE_ENTRY, { ...entryOpts, compressionLevel: 0 });
    zip.end();
    await written;
    await rename(partPath, input.outPath);
    return {
      outPath: input.outPath,
      manifest,
      manifestBytes,
      manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
      signature,
    };
  } catch (e) {
    zip.outputStream.unpipe(out);
    out.destroy();
    await rm(partPath, { force: true });
    throw e;
  }
}
