import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import {
  FORMAT_VERSION,
  PACKAGE_FORMAT,
  SCHEMA_VERSION,
  checkManifest,
  serializeManifest,
  type EntryInfo,
  type Manifest,
  type Origin,
  type PackageKind,
} from '@shared/submission/manifest';
import { MANIFEST_ENTRY, SIGNATURE_ENTRY, TABLE_NAME_RE, WORKBOOK_ENTRY, tableEntryName } from '@shared/submission/entryName';
import { isGid } from '@shared/submission/globalId';
import type { Level } from '@shared/submission/region';
import { loadPrivateKey, publicKeyFingerprint, signBytes } from './keys';

/**
 * Writes a `.incubase` package: data tables as JSON lines (streamed, hashed while written), the workbook,
 * then the manifest naming every entry's SHA-256 and size, then the Ed25519 signature of the manifest bytes.
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
}

export interface BuildPackageResult {
  outPath: string;
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestSha256: string;
  signature: Buffer;
}

const CHUNK_BYTES = 256 * 1024;

/** Signature text stored in `manifest.sig`: base64 of the 64 signature bytes and a newline. */
export function encodeSignature(sig: Uint8Array): Buffer {
  return Buffer.from(`${Buffer.from(sig).toString('base64')}\n`, 'ascii');
}

export async function buildPackage(input: BuildPackageInput): Promise<BuildPackageResult> {
  const now = input.now ?? new Date();
  const createdAt = now.toISOString();
  const packageId = input.packageId ?? randomUUID();
  const privateKey = loadPrivateKey(input.privateKeyPem);
  const signerFingerprint = publicKeyFingerprint(createPublicKey(privateKey));
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
        const hash = createHash('sha256');
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
          finish({ sha256: hash.digest('hex'), size, count });
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
      entries[entryName] = { sha256: r.sha256, size: r.size };
      recordCounts[table.name] = r.count;
    }
    const workbook = typeof input.workbook === 'function' ? await input.workbook() : input.workbook;
    if (workbook) {
      entries[WORKBOOK_ENTRY] = { sha256: createHash('sha256').update(workbook).digest('hex'), size: workbook.length };
      zip.addBuffer(workbook, WORKBOOK_ENTRY, { ...entryOpts, compressionLevel: 0 }); // xlsx is already a zip
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
      formatVersion: FORMAT_VERSION,
      schemaVersion: SCHEMA_VERSION,
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
    const signature = signBytes(manifestBytes, privateKey);
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
