import { createHash, getHashes } from 'node:crypto';
import { sm3 as sm3OneShot } from 'sm-crypto-v2';
import type { DigestAlgorithm } from '@shared/submission/manifest';

/**
 * Streaming digests of package entries: SM3 (GB/T 32905) for new packages, SHA-256 for old ones.
 *
 * SM3 comes from OpenSSL where node:crypto has it (plain Node: the CLI, the office server, the tests) and otherwise
 * from the incremental pure-JS implementation below (Electron's BoringSSL has no SM3). `sm-crypto-v2` only exports
 * a one-shot `sm3(bytes)`, which would need a whole entry (up to gigabytes) in memory, so the incremental one is
 * here; both are checked against GB/T 32905's examples and against each other and sm-crypto-v2 on random inputs
 * (tests/unit/submission/gm-vectors.test.ts).
 */

export interface StreamingDigest {
  update(chunk: Uint8Array): StreamingDigest;
  /** Lower-case hex. */
  hex(): string;
}

export type Sm3Implementation = 'auto' | 'native' | 'js';
let sm3Impl: Sm3Implementation = 'auto';
const NATIVE_SM3 = getHashes().includes('sm3');

/** Chooses the SM3 implementation (benchmarks and tests compare them; the app keeps 'auto'). */
export function setSm3Implementation(impl: Sm3Implementation): void {
  if (impl === 'native' && !NATIVE_SM3) throw new Error('本机的 node:crypto 不提供 SM3');
  sm3Impl = impl;
}

export function sm3Implementation(): 'native' | 'js' {
  return sm3Impl === 'js' || (sm3Impl === 'auto' && !NATIVE_SM3) ? 'js' : 'native';
}

export function createDigest(algorithm: DigestAlgorithm): StreamingDigest {
  if (algorithm === 'SHA-256' || sm3Implementation() === 'native') {
    const h = createHash(algorithm === 'SHA-256' ? 'sha256' : 'sm3');
    const d: StreamingDigest = {
      update: (c) => (h.update(c), d),
      hex: () => h.digest('hex'),
    };
    return d;
  }
  return new Sm3();
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
const T = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32) >>> 0);

/** Incremental SM3 (GB/T 32905-2016), 64-byte blocks. */
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

  hex(): string {
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
    let out = '';
    for (const x of this.v) out += (x >>> 0).toString(16).padStart(8, '0');
    return out;
  }

  private block(b: Uint8Array, off: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const p = off + i * 4;
      w[i] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    }
    for (let j = 16; j < 68; j++) {
      const x = w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15);
      w[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(w[j - 13], 7) ^ w[j - 6];
    }
    const v = this.v;
    let a = v[0], bb = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(a, 12);
      const ss1 = rotl((a12 + e + T[j]) | 0, 7);
      const ss2 = ss1 ^ a12;
      const ff = j < 16 ? a ^ bb ^ c : (a & bb) | (a & c) | (bb & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = (gg + h + ss1 + w[j]) | 0;
      d = c;
      c = rotl(bb, 9);
      bb = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
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
