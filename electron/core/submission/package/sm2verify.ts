/**
 * SM2 signature verification (GB/T 32918.2-2016 §7) on the recommended curve sm2p256v1, in plain BigInt
 * arithmetic, for the one-time verify of a key seen for the first time (a county receiving its villages: every
 * package under another hub's key).
 *
 * Why not sm-crypto-v2's `doVerifySignature`: it computes `s·G + t·P_A` as two separate constant-time
 * multiplications (`multiply`, meant for secret scalars), and for a point without a table that builds a
 * 257-point window-1 "table" and then adds a real and a fake point in each of 257 windows — about 770 point
 * operations in noble's complete projective formulas, 10–14 ms per verify here. Verification has only public
 * inputs, so it may run in variable time: one interleaved (Shamir) left-to-right wNAF over both scalars shares a
 * single chain of 256 doublings, with a window-5 table of P_A (8 odd multiples, made per key, normalized to affine
 * with one inversion) and a window-7 table of G (64 odd multiples, made once per process); doublings use the
 * a = −3 Jacobian formulas (4M + 4S), additions the mixed Jacobian–affine ones (8M + 3S). About 2,900 field
 * multiplications instead of ~10,000.
 *
 * Results are checked against sm-crypto-v2 (itself checked against the standard's example) on random keys,
 * messages and tampered signatures in tests/unit/submission/gm-sm2verify.test.ts.
 */

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = P - 3n;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** Curve parameters as the Z value needs them (GB/T 32918.2 §5.5): a, b, xG, yG. */
export const SM2_CURVE = { p: P, a: A, b: B, n: N, gx: GX, gy: GY } as const;

/** Affine point (x, y), coordinates reduced to [0, p). */
export interface AffinePoint {
  x: bigint;
  y: bigint;
}

// Jacobian point (X, Y, Z) ~ (X/Z², Y/Z³); Z = 0 is the point at infinity. Coordinates are kept as BigInt
// remainders `% P`, i.e. in (−P, P) (a sign fix per operation would cost more than it saves); they are reduced to
// [0, P) only when a point is made affine.
type Jac = [bigint, bigint, bigint];
const INF: Jac = [1n, 1n, 0n];

const m = (x: bigint) => x % P;
const pos = (x: bigint) => {
  const r = x % P;
  return r < 0n ? r + P : r;
};

/** Inverse mod p of a non-zero value (extended Euclid). */
function invP(a: bigint): bigint {
  let r0 = P;
  let r1 = pos(a);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new Error('SM2: value not invertible');
  return pos(t0);
}

/** 2·(X, Y, Z) with a = −3 (dbl-2001-b, Z3 as 2·Y·Z: 4M + 4S, seven reductions). */
function dbl(p: Jac): Jac {
  const [x, y, z] = p;
  if (z === 0n || y === 0n) return INF;
  const delta = m(z * z);
  const gamma = m(y * y);
  const beta = m(x * gamma);
  const alpha = m(3n * (x - delta) * (x + delta));
  const x3 = m(alpha * alpha - 8n * beta);
  const z3 = m(2n * y * z);
  const y3 = m(alpha * (4n * beta - x3) - 8n * gamma * gamma);
  return [x3, y3, z3];
}

/** (X1, Y1, Z1) + (x2, y2) (madd-2004-hmv: 8M + 3S), with the equal and opposite cases. */
function addAffine(p: Jac, qx: bigint, qy: bigint): Jac {
  const [x1, y1, z1] = p;
  if (z1 === 0n) return [qx, qy, 1n];
  const z1z1 = m(z1 * z1);
  const u2 = m(qx * z1z1);
  const s2 = m(qy * m(z1 * z1z1));
  const h = m(u2 - x1);
  const r = m(s2 - y1);
  if (h === 0n) return r === 0n ? dbl(p) : INF;
  const hh = m(h * h);
  const hhh = m(h * hh);
  const v = m(x1 * hh);
  const x3 = m(r * r - hhh - 2n * v);
  const y3 = m(r * (v - x3) - y1 * hhh);
  const z3 = m(z1 * h);
  return [x3, y3, z3];
}

/** The points of a Jacobian list made affine with one inversion (Montgomery's trick); none is at infinity. */
function toAffineAll(points: Jac[]): AffinePoint[] {
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const p of points) {
    prefix.push(acc);
    acc = m(acc * p[2]);
  }
  let inv = invP(acc);
  const out: AffinePoint[] = new Array(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const [x, y, z] = points[i];
    const zi = m(inv * prefix[i]);
    inv = m(inv * z);
    const zi2 = m(zi * zi);
    out[i] = { x: pos(x * zi2), y: pos(m(y * zi2) * zi) };
  }
  return out;
}

/** P, 3P, 5P, … (2^(w−1) odd multiples), affine. */
function oddMultiples(p: AffinePoint, w: number): AffinePoint[] {
  const count = 1 << (w - 1);
  const twice = toAffineAll([dbl([p.x, p.y, 1n])])[0];
  const jac: Jac[] = [[p.x, p.y, 1n]];
  for (let i = 1; i < count; i++) {
    const prev = jac[i - 1];
    const next = addAffine(prev, twice.x, twice.y);
    // An odd multiple below the group order is never the point at infinity.
    if (next[2] === 0n) throw new Error('SM2: point of small order');
    jac.push(next);
  }
  return toAffineAll(jac);
}

/**
 * Width-w NAF digits of k (least significant first): every non-zero digit odd and below 2^(w−1) in absolute
 * value, at least w−1 zeros after each. Worked on bits, not BigInt shifts.
 */
function wnaf(k: bigint, w: number): Int8Array {
  const hex = k.toString(16);
  const len = hex.length * 4 + w + 2;
  const bits = new Uint8Array(len);
  for (let i = 0; i < hex.length; i++) {
    const nib = parseInt(hex[hex.length - 1 - i], 16);
    bits[i * 4] = nib & 1;
    bits[i * 4 + 1] = (nib >> 1) & 1;
    bits[i * 4 + 2] = (nib >> 2) & 1;
    bits[i * 4 + 3] = (nib >> 3) & 1;
  }
  const out = new Int8Array(len);
  const full = 1 << w;
  const half = full >> 1;
  for (let i = 0; i < len; ) {
    if (bits[i] === 0) {
      i++;
      continue;
    }
    let v = 0;
    for (let j = 0; j < w && i + j < len; j++) v |= bits[i + j] << j;
    for (let j = 0; j < w && i + j < len; j++) bits[i + j] = 0;
    if (v >= half) {
      v -= full;
      // + 2^w at position i: carry into bit i + w.
      let j = i + w;
      while (j < len && bits[j] === 1) bits[j++] = 0;
      if (j < len) bits[j] = 1;
    }
    out[i] = v;
    i += w;
  }
  return out;
}

const G_WINDOW = 7;
const KEY_WINDOW = 5;
let gTable: AffinePoint[] | null = null;

/** A public key's window table (made once per key by the caller's cache). */
export interface Sm2KeyTable {
  readonly point: AffinePoint;
  readonly odd: AffinePoint[];
}

/** Checks that (x, y) is a point of the curve (coordinates in range, y² = x³ + ax + b) and makes its table. */
export function sm2KeyTable(point: AffinePoint): Sm2KeyTable {
  if (!isOnCurve(point)) throw new Error('SM2 公钥不是曲线上的点');
  return { point, odd: oddMultiples(point, KEY_WINDOW) };
}

export function isOnCurve({ x, y }: AffinePoint): boolean {
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  return pos(y * y - m(m(x * x) * x) - m(A * x) - B) === 0n;
}

/** The uncompressed point `04 || x || y` (65 bytes) as an affine point; null when it is not one. */
export function sm2PointFromBytes(bytes: Uint8Array): AffinePoint | null {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return null;
  const hex = Buffer.from(bytes).toString('hex');
  const point = { x: BigInt(`0x${hex.slice(2, 66)}`), y: BigInt(`0x${hex.slice(66)}`) };
  return isOnCurve(point) ? point : null;
}

/**
 * (r, s) from a DER SM2Signature (GM/T 0009: SEQUENCE { r INTEGER, s INTEGER }), strict: definite short lengths,
 * minimal positive integers, nothing after. Null when it is not such an encoding.
 */
export function decodeSm2DerSignature(sig: Uint8Array): { r: bigint; s: bigint } | null {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] !== sig.length - 2 || sig[1] > 0x7f) return null;
  let at = 2;
  const int = (): bigint | null => {
    if (sig[at] !== 0x02) return null;
    const len = sig[at + 1];
    if (len === undefined || len === 0 || len > 33 || at + 2 + len > sig.length) return null;
    const body = sig.subarray(at + 2, at + 2 + len);
    if (body[0] & 0x80) return null; // negative
    if (len > 1 && body[0] === 0 && !(body[1] & 0x80)) return null; // not minimal
    at += 2 + len;
    return BigInt(`0x${Buffer.from(body).toString('hex')}`);
  };
  const r = int();
  const s = r === null ? null : int();
  if (r === null || s === null || at !== sig.length) return null;
  return { r, s };
}

/**
 * GB/T 32918.2 §7.1 B1–B7 on the message digest e = SM3(Z_A || M) (32 bytes): r, s ∈ [1, n−1], t = (r + s) mod n ≠ 0,
 * (x1, y1) = s·G + t·P_A not at infinity, (e + x1) mod n = r.
 */
export function sm2VerifyDigest(e: Uint8Array, sig: { r: bigint; s: bigint }, key: Sm2KeyTable): boolean {
  const { r, s } = sig;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = (r + s) % N;
  if (t === 0n) return false;
  if (!gTable) gTable = oddMultiples({ x: GX, y: GY }, G_WINDOW);
  const g = gTable;
  const kt = key.odd;
  const ds = wnaf(s, G_WINDOW);
  const dt = wnaf(t, KEY_WINDOW);
  let top = Math.max(ds.length, dt.length) - 1;
  while (top >= 0 && (ds[top] ?? 0) === 0 && (dt[top] ?? 0) === 0) top--;
  let acc: Jac = INF;
  for (let i = top; i >= 0; i--) {
    acc = dbl(acc);
    const a = ds[i] ?? 0;
    if (a !== 0) {
      const q = g[(Math.abs(a) - 1) >> 1];
      acc = addAffine(acc, q.x, a > 0 ? q.y : P - q.y);
    }
    const b = dt[i] ?? 0;
    if (b !== 0) {
      const q = kt[(Math.abs(b) - 1) >> 1];
      acc = addAffine(acc, q.x, b > 0 ? q.y : P - q.y);
    }
  }
  if (acc[2] === 0n) return false;
  const zi = invP(acc[2]);
  const x1 = pos(acc[0] * m(zi * zi));
  const ev = BigInt(`0x${Buffer.from(e).toString('hex')}`);
  return (ev + x1) % N === r;
}
