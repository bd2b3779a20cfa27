/**
 * Test helpers that write zip bytes by hand, so tests can build the malicious archives that yazl refuses to
 * write (`../evil`, absolute paths, symlinks, lying sizes, duplicate names) and re-pack real packages with
 * one thing changed.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import * as yauzl from 'yauzl';
import { FORMAT_VERSION, PACKAGE_FORMAT, SCHEMA_VERSION, makeEntryInfo, serializeManifest, type Manifest } from '@shared/submission/manifest';
import { loadPrivateKey, publicKeyFingerprint, signBytes } from '../../../electron/core/submission/package/keys';
import { sm3Hex } from '../../../electron/core/submission/package/digest';
import { encodeSignature } from '../../../electron/core/submission/package/writer';

export interface RawEntry {
  name: string | Buffer;
  data: Buffer;
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8;
  /** Uncompressed size written into both headers (defaults to the real size). */
  declaredSize?: number;
  /** Name in the local header when it should differ from the central directory. */
  localName?: string;
  externalAttributes?: number;
  versionMadeBy?: number;
  utf8?: boolean;
  flags?: number;
}

export function craftZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const localName = e.localName !== undefined ? Buffer.from(e.localName, 'utf8') : name;
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data) >>> 0;
    const flags = (e.utf8 === false ? 0 : 0x800) | (e.flags ?? 0);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt16LE(0, 10);
    lh.writeUInt16LE(0x21, 12);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(size >>> 0, 22);
    lh.writeUInt16LE(localName.length, 26);
    lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(e.versionMadeBy ?? (3 << 8) | 20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt16LE(0, 12);
    ch.writeUInt16LE(0x21, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(size >>> 0, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(0, 30);
    ch.writeUInt16LE(0, 32);
    ch.writeUInt16LE(0, 34);
    ch.writeUInt16LE(0, 36);
    ch.writeUInt32LE((e.externalAttributes ?? (0o100644 << 16)) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    const local = Buffer.concat([lh, localName, body]);
    locals.push(local);
    centrals.push(Buffer.concat([ch, name]));
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** All entries of a (trusted, test-made) zip, in order. */
export async function readEntries(zipBytes: Buffer): Promise<{ name: string; data: Buffer }[]> {
  const zip = await yauzl.fromBufferPromise(zipBytes, { lazyEntries: true, autoClose: false });
  const out: { name: string; data: Buffer }[] = [];
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    out.push({ name: entry.fileName, data: Buffer.concat(parts) });
  }
  zip.close();
  return out;
}

/** A fixed, well-formed package id for crafted packages; `testPackageId(n)` gives others. */
export const CRAFTED_PACKAGE_ID = '00000000-0000-4000-8000-000000000000';
export function testPackageId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface SignedPackageSpec {
  hubId?: string;
  hubName?: string;
  packageId?: string;
  period?: string;
  createdAt?: string;
  /** Payload entries (besides manifest and signature) and how they are listed. */
  payload: { name: string; data: Buffer; listedSize?: number; listedSha?: string; raw?: Partial<RawEntry> }[];
  recordCounts?: Record<string, number>;
  manifestPatch?: Partial<Manifest> & Record<string, unknown>;
  privateKeyPem: string;
  extraRaw?: RawEntry[];
  omitSignature?: boolean;
}

/** A package whose manifest is properly signed but whose content is whatever the test wants. */
export function signedPackage(spec: SignedPackageSpec): { zip: Buffer; manifest: Manifest } {
  const createdAt = spec.createdAt ?? '2026-10-08T02:00:00.000Z';
  const hubId = spec.hubId ?? 'hub-a';
  const packageId = spec.packageId ?? CRAFTED_PACKAGE_ID;
  const entries: Manifest['entries'] = {};
  const counts: Record<string, number> = {};
  // An SM2 key makes a format-2 package (SM3, algorithms named); an Ed25519 key a format-1 package as before.
  const key = loadPrivateKey(spec.privateKeyPem);
  const legacy = key.algorithm === 'Ed25519';
  for (const p of spec.payload) {
    entries[p.name] = makeEntryInfo(legacy ? 'SHA-256' : 'SM3', p.listedSha ?? (legacy ? sha256(p.data) : sm3Hex(p.data)), p.listedSize ?? p.data.length);
    const m = /^data\/(.+)\.jsonl$/.exec(p.name);
    if (m) counts[m[1]] = p.data.toString('utf8').split('\n').filter((l) => l.length > 0).length;
  }
  const manifest = {
    format: PACKAGE_FORMAT,
    formatVersion: legacy ? 1 : FORMAT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    ...(legacy ? {} : { algorithms: { digest: 'SM3', signature: 'SM2-with-SM3' } }),
    packageId,
    kind: 'hub',
    hubId,
    hubName: spec.hubName ?? '测试街道孵化基地',
    regionCode: '510104002000',
    level: 'township',
    period: spec.period ?? '2026-Q3',
    createdAt,
    generator: 'test',
    signerFingerprint: publicKeyFingerprint(key.publicKey),
    origins: [
      {
        hubId,
        hubName: spec.hubName ?? '测试街道孵化基地',
        regionCode: '510104002000',
        level: 'township',
        period: spec.period ?? '2026-Q3',
        packageId,
        createdAt,
      },
    ],
    recordCounts: spec.recordCounts ?? counts,
    entries,
    ...spec.manifestPatch,
  } as Manifest;
  const manifestBytes = Buffer.from(serializeManifest(manifest), 'utf8');
  const raw: RawEntry[] = spec.payload.map((p) => ({ name: p.name, data: p.data, ...p.raw }));
  raw.push({ name: 'manifest.json', data: manifestBytes });
  if (!spec.omitSignature) raw.push({ name: 'manifest.sig', data: encodeSignature(signBytes(manifestBytes, spec.privateKeyPem)), method: 0 });
  raw.push(...(spec.extraRaw ?? []));
  return { zip: craftZip(raw), manifest };
}
