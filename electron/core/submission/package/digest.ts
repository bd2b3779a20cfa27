import { createHash, getHashes } from 'node:crypto';
import { createSM3, type IHasher } from 'hash-wasm';
import { sm3 as sm3OneShot } from 'sm-crypto-v2';
import type { DigestAlgorithm } from '@shared/submission/manifest';

/**
 * Streaming digests of package entries: SM3 (GB/T 32905) for new packages, SHA-256 for old ones.
 *
 * SM3 comes from OpenSSL where node:crypto has it (plain Node: the CLI, the office server, the tests), otherwise from
 * hash-wasm's WebAssembly SM3 (Electron's BoringSSL has no SM3; about twice the speed of JS), and from the incremental
 * pure-JS implementation below until the WebAssembly module is ready or where it cannot load. `sm-crypto-v2` only exports
 * a one-shot `sm3(bytes)`, which would need a whole entry (up to gigabytes) in memory, so the incremental one is
 * here; both are checked against GB/T 32905's examples and against each other and sm-crypto-v2 on random inputs
 * (tests/unit/submission/gm-vectors.test.ts).
 */

export interface StreamingDigest {
  update(chunk: Uint8Array): StreamingDigest;
  /** Lower-case hex. */
  hex(): string;
}

export type Sm3Implementation = 'auto' | 'native' | 'wasm' | 'js';
let sm3Impl: Sm3Implementation = 'auto';
const NATIVE_SM3 = getHashes().includes('sm3');

/**
 * One WebAssembly hasher serves every digest: each digest keeps its own state and loads it around each update
 * (hash-wasm's save/load), so interleaved streams stay independent while the module is instantiated once.
 */
let wasmHasher: IHasher | null = null;
const wasmReady: Promise<void> = createSM3().then(
  (h) => void (wasmHasher = h),
  () => undefined,
);

/** Resolves once the WebAssembly SM3 is ready (or known unavailable); package builds and checks await it. */
export function sm3Ready(): Promise<void> {
  return wasmReady;
}

/** Chooses the SM3 implementation (benchmarks and tests compare them; the app keeps 'auto'). */
export function setSm3Implementation(impl: Sm3Implementation): void {
  if (impl === 'native' && !NATIVE_SM3) throw new Error('本机的 node:crypto 不提供 SM3');
  if (impl === 'wasm' && !wasmHasher) throw new Error('SM3 的 WebAssembly 实现尚未就绪');
  sm3Impl = impl;
}

export function sm3Implementation(): 'native' | 'wasm' | 'js' {
  if (sm3Impl !== 'auto') return sm3Impl;
  return NATIVE_SM3 ? 'native' : wasmHasher ? 'wasm' : 'js';
}

export function createDigest(algorithm: DigestAlgorithm): StreamingDigest {
  const impl = algorithm === 'SHA-256' ? 'native' : sm3Implementation();
  if (impl === 'native') {
    const h = createHash(algorithm === 'SHA-256' ? 'sha256' : 'sm3');
    const d: StreamingDigest = {
      update: (c) => (h.update(c), d),
      hex: () => h.digest('hex'),
    };
    return d;
  }
  return impl === 'wasm' ? new WasmSm3(wasmHasher!) : new Sm3();
}

class WasmSm3 implements StreamingDigest {
  private state: Uint8Array;
  private done = false;
  constructor(private readonly h: IHasher) {
    h.init();
    this.state = h.save();
  }
  update(chunk: Uint8Array): this {
    if (this.done) throw new Error('SM3 digest already finished');
    this.h.load(this.state);
    this.h.update(chunk);
    this.state = this.h.save();
    return this;
  }
  hex(): string {
    if (this.done) throw new Error('SM3 digest already finished');
    this.done = true;
    this.h.load(this.state);
    return this.h.digest('hex');
  }
}

export function digestHex(algorithm: DigestAlgorithm, bytes: Uint8Array): string {
  return createDigest(algorithm).update(bytes).hex();
}

export function sm3Hex(bytes: Uint8Array): string {
  return digestHex('SM3', bytes);
}

/** sm-crypto-v2's one-shot SM3, for cross-checks. */
export function sm3Reference(bytes: Uint8Array): string {
  return sm3OneShot(bytes);
}

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
// T_j <<< (j mod 32), as int32: an Int32Array keeps every round's arithmetic in small integers (a plain array of
// values above 2^31 holds heap doubles, which made each round's additions float operations).
const T = Int32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

/** Incremental SM3 (GB/T 32905-2016), 64-byte blocks; whole blocks are compressed straight from the caller's chunk. */
export class Sm3 implements StreamingDigest {
  private v = Int32Array.from(IV);
  private buf = new Uint8Array(64);
  private bufLen = 0;
  private total = 0;
  private w = new Int32Array(68);
  private done = false;

  update(chunk: Uint8Array): this {
    if (this.done) throw new Error('SM3 digest already finished');
    let off = 0;
    this.total += chunk.length;
    if (this.bufLen > 0) {
      const take = Math.min(64 - this.bufLen, chunk.length);
      this.buf.set(chunk.subarray(0, take), this.bufLen);
      this.bufLen += take;
      off = take;
      if (this.bufLen < 64) return this;
      this.block(this.buf, 0);
      this.bufLen = 0;
    }
    for (; off + 64 <= chunk.length; off += 64) this.block(chunk, off);
    if (off < chunk.length) {
      this.buf.set(chunk.subarray(off), 0);
      this.bufLen = chunk.length - off;
    }
    return this;
  }

  /** The digest as bytes (32). */
  bytes(): Uint8Array {
    if (this.done) throw new Error('SM3 digest already finished');
    const bits = this.total * 8;
    const padLen = this.bufLen < 56 ? 56 - this.bufLen : 120 - this.bufLen;
    const pad = new Uint8Array(padLen + 8);
    pad[0] = 0x80;
    const hi = Math.floor(bits / 2 ** 32);
    const view = new DataView(pad.buffer);
    view.setUint32(padLen, hi);
    view.setUint32(padLen + 4, bits >>> 0);
    const total = this.total;
    this.update(pad);
    this.total = total;
    this.done = true;
    const out = new Uint8Array(32);
    const ov = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) ov.setInt32(i * 4, this.v[i]);
    return out;
  }

  hex(): string {
    return Buffer.from(this.bytes()).toString('hex');
  }

  private block(b: Uint8Array, off: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const p = off + i * 4;
      w[i] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    }
    for (let j = 16; j < 68; j++) {
      const y = w[j - 3];
      const x = w[j - 16] ^ w[j - 9] ^ ((y << 15) | (y >>> 17));
      const z = w[j - 13];
      w[j] = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((z << 7) | (z >>> 25)) ^ w[j - 6];
    }
    const v = this.v;
    let a = v[0], bb = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
    // Rounds 0-15 and 16-63 differ only in FF/GG: two loops, no branch per round.
    for (let j = 0; j < 16; j++) {
      const a12 = (a << 12) | (a >>> 20);
      const s = (a12 + e + T[j]) | 0;
      const ss1 = (s << 7) | (s >>> 25);
      const ss2 = ss1 ^ a12;
      const tt1 = ((a ^ bb ^ c) + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = ((e ^ f ^ g) + h + ss1 + w[j]) | 0;
      d = c;
      c = (bb << 9) | (bb >>> 23);
      bb = a;
      a = tt1;
      h = g;
      g = (f << 19) | (f >>> 13);
      f = e;
      e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
    }
    for (let j = 16; j < 64; j++) {
      const a12 = (a << 12) | (a >>> 20);
      const s = (a12 + e + T[j]) | 0;
      const ss1 = (s << 7) | (s >>> 25);
      const ss2 = ss1 ^ a12;
      const tt1 = (((a & bb) | (a & c) | (bb & c)) + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = (((e & f) | (~e & g)) + h + ss1 + w[j]) | 0;
      d = c;
      c = (bb << 9) | (bb >>> 23);
      bb = a;
      a = tt1;
      h = g;
      g = (f << 19) | (f >>> 13);
      f = e;
      e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
    }
    v[0] ^= a;
    v[1] ^= bb;
    v[2] ^= c;
    v[3] ^= d;
    v[4] ^= e;
    v[5] ^= f;
    v[6] ^= g;
    v[7] ^= h;
  }
}
