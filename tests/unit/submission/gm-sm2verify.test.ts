import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sm2 } from 'sm-crypto-v2';
import { createDigest, setSm3Implementation } from '../../../electron/core/submission/package/digest';
import { loadPublicKey, sm2Z, verifyBytes } from '../../../electron/core/submission/package/keys';
import { SM2_CURVE, decodeSm2DerSignature, isOnCurve, sm2KeyTable, sm2PointFromBytes, sm2VerifyDigest } from '../../../electron/core/submission/package/sm2verify';

/**
 * The package verifier's own SM2 verification (variable-time Shamir wNAF over public values) against the
 * standard's example and against sm-crypto-v2 (whose signing and verifying gm-vectors.test.ts checks against the
 * same example): the two must agree on every genuine and every altered signature.
 */
const hex = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const PA = `04${hex('09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020')}${hex('CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13')}`;
const ZA = hex('B2E14C5C 79C6DF5B 85F4FE7E D8DB7A26 2B9DA7E0 7CCB0EA9 F4747B8C CDA8A4F3');
const R = BigInt(`0x${hex('F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3')}`);
const S = BigInt(`0x${hex('B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA')}`);
const MSG = new TextEncoder().encode('message digest');
const N = SM2_CURVE.n;

const tableOf = (pubHex: string) => sm2KeyTable(sm2PointFromBytes(Buffer.from(pubHex, 'hex'))!);
const h64 = (n: bigint) => n.toString(16).padStart(64, '0');
const digestBytes = (z: Uint8Array, m: Uint8Array) => Buffer.from(createDigest('SM3').update(z).update(m).hex(), 'hex');

describe('SM2 verification of the package verifier (GB/T 32918.2 §7)', () => {
  it.each(['js', 'auto'] as const)('computes the example Z_A and accepts the example (r, s) on "message digest" (SM3 %s)', (impl) => {
    setSm3Implementation(impl);
    try {
      expect(Buffer.from(sm2Z(PA, '1234567812345678')).toString('hex')).toBe(ZA);
      const e = digestBytes(sm2Z(PA, '1234567812345678'), MSG);
      expect(sm2VerifyDigest(e, { r: R, s: S }, tableOf(PA))).toBe(true);
      expect(sm2VerifyDigest(e, { r: R, s: S + 1n }, tableOf(PA))).toBe(false);
      expect(sm2VerifyDigest(e, { r: R ^ 1n, s: S }, tableOf(PA))).toBe(false);
      const other = digestBytes(sm2Z(PA, 'ALICE123@YAHOO.COM'), MSG);
      expect(sm2VerifyDigest(other, { r: R, s: S }, tableOf(PA))).toBe(false);
    } finally {
      setSm3Implementation('auto');
    }
  });

  it('agrees with sm-crypto-v2 on random keys and messages: genuine accepted, altered digest/r/s/key refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(255), (e, flip) => {
        const pair = sm2.generateKeyPairHex();
        const other = sm2.generateKeyPairHex();
        const sigHex = sm2.doSignature(e, pair.privateKey, { hash: false, der: true });
        const rs = decodeSm2DerSignature(Buffer.from(sigHex, 'hex'))!;
        expect(rs).not.toBeNull();
        const lib = (msg: Uint8Array, r: bigint, s: bigint, pub: string) => sm2.doVerifySignature(msg, h64(r) + h64(s), pub, { hash: false });
        expect(sm2VerifyDigest(e, rs, tableOf(pair.publicKey))).toBe(true);
        expect(lib(e, rs.r, rs.s, pair.publicKey)).toBe(true);
        const e2 = Uint8Array.from(e);
        e2[flip % 32] ^= 1 << (flip % 8);
        for (const [msg, r, s, pub] of [
          [e2, rs.r, rs.s, pair.publicKey],
          [e, (rs.r + 1n) % N || 1n, rs.s, pair.publicKey],
          [e, rs.r, (rs.s + 1n) % N || 1n, pair.publicKey],
          [e, rs.r, rs.s, other.publicKey],
        ] as const) {
          expect(sm2VerifyDigest(msg, { r, s }, tableOf(pub))).toBe(false);
          expect(lib(msg, r, s, pub)).toBe(false);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('computes s·G + t·P_A right for small and edge scalars and keys (equal points met while adding, results at infinity)', () => {
    // P_A = d·G, so s·G + t·P_A = (s + t·d)·G: its x from sm-crypto-v2's scalar multiplication; e chosen so that
    // (e + x1) mod n = r, the signature is then genuine by construction (and refused with e + 1).
    // d = 3, s = 3, t = 1: the first two additions add 3G to 3G (the doubling case); d = n − 3: 3G − 3G (infinity).
    const ds = [1n, 2n, 3n, 5n, N - 1n, N - 3n];
    let checked = 0;
    let atInfinity = 0;
    for (const d of ds) {
      const pub = sm2.getPublicKeyFromPrivateKey(h64(d));
      const table = tableOf(pub);
      for (let s = 1n; s <= 12n; s++) {
        for (let t = 1n; t <= 12n; t++) {
          const r = (((t - s) % N) + N) % N;
          if (r === 0n) continue;
          const k = (s + t * d) % N;
          if (k === 0n) {
            atInfinity++;
            expect(sm2VerifyDigest(new Uint8Array(32), { r, s }, table)).toBe(false);
            continue;
          }
          const x1 = BigInt(`0x${sm2.getPublicKeyFromPrivateKey(h64(k)).slice(2, 66)}`);
          const e = (((r - x1) % N) + N) % N;
          expect(sm2VerifyDigest(Buffer.from(h64(e), 'hex'), { r, s }, table)).toBe(true);
          expect(sm2VerifyDigest(Buffer.from(h64((e + 1n) % N), 'hex'), { r, s }, table)).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(700);
    expect(atInfinity).toBeGreaterThan(0);
    // Large scalars near n with the same construction.
    for (let i = 0; i < 20; i++) {
      const d = BigInt(`0x${randomBytes(32).toString('hex')}`) % (N - 1n) + 1n;
      const s = N - BigInt(i + 1);
      const r = BigInt(i + 2);
      const t = (r + s) % N;
      const k = (s + t * d) % N;
      const x1 = BigInt(`0x${sm2.getPublicKeyFromPrivateKey(h64(k)).slice(2, 66)}`);
      const e = (((r - x1) % N) + N) % N;
      expect(sm2VerifyDigest(Buffer.from(h64(e), 'hex'), { r, s }, tableOf(sm2.getPublicKeyFromPrivateKey(h64(d))))).toBe(true);
    }
  });

  it('refuses r or s out of [1, n−1] and r + s = n before any curve arithmetic', () => {
    const pair = sm2.generateKeyPairHex();
    const t = tableOf(pair.publicKey);
    const e = new Uint8Array(32).fill(9);
    for (const [r, s] of [[0n, 5n], [5n, 0n], [N, 5n], [5n, N], [N + 5n, 5n], [7n, N - 7n]] as const) expect(sm2VerifyDigest(e, { r, s }, t)).toBe(false);
  });

  it('reads only strict DER SM2Signature encodings', () => {
    const pair = sm2.generateKeyPairHex();
    const table = tableOf(pair.publicKey);
    for (let i = 0; i < 20; i++) {
      const e = randomBytes(32);
      const rs = decodeSm2DerSignature(Buffer.from(sm2.doSignature(e, pair.privateKey, { hash: false, der: true }), 'hex'));
      expect(rs).not.toBeNull();
      expect(sm2VerifyDigest(e, rs!, table)).toBe(true);
    }
    const ok = Buffer.from('3006020101020102', 'hex');
    expect(decodeSm2DerSignature(ok)).toEqual({ r: 1n, s: 2n });
    for (const bad of [
      '3006020101020102' + '00', // trailing byte
      '3007020101020102', // wrong sequence length
      '300702020001020102', // non-minimal r
      '3006020181020102', // negative r
      '3006020101030102', // s not an INTEGER
      '3105020101020102',
      '30050201010201',
      '',
    ]) {
      expect(decodeSm2DerSignature(Buffer.from(bad, 'hex'))).toBeNull();
    }
  });

  it('accepts only points of the curve as keys', () => {
    const point = sm2PointFromBytes(Buffer.from(PA, 'hex'))!;
    expect(isOnCurve(point)).toBe(true);
    expect(isOnCurve({ x: point.x, y: point.y ^ 1n })).toBe(false);
    expect(isOnCurve({ x: point.x + SM2_CURVE.p, y: point.y })).toBe(false);
    expect(sm2PointFromBytes(Buffer.from(`04${PA.slice(2, 66)}${'00'.repeat(32)}`, 'hex'))).toBeNull();
    const pem = (pointHex: string) => `-----BEGIN PUBLIC KEY-----\n${Buffer.from(`3059301306072a8648ce3d020106082a811ccf5501822d034200${pointHex}`, 'hex').toString('base64')}\n-----END PUBLIC KEY-----\n`;
    expect(loadPublicKey(pem(PA)).sm2Point).toEqual(point);
    expect(() => loadPublicKey(pem(`${PA.slice(0, -2)}14`))).toThrow('不是曲线上的点');
  });

  it('verifyBytes gives the same verdict on a key the first time and on every later use', () => {
    const pair = sm2.generateKeyPairHex();
    const key = loadPublicKey(`-----BEGIN PUBLIC KEY-----\n${Buffer.from(`3059301306072a8648ce3d020106082a811ccf5501822d034200${pair.publicKey}`, 'hex').toString('base64')}\n-----END PUBLIC KEY-----\n`);
    const msg = randomBytes(500);
    const sig = Buffer.from(sm2.doSignature(msg, pair.privateKey, { hash: true, der: true, publicKey: pair.publicKey }), 'hex');
    for (let use = 0; use < 4; use++) {
      expect(verifyBytes(msg, sig, key)).toBe(true);
      expect(verifyBytes(msg.subarray(1), sig, key)).toBe(false);
      expect(verifyBytes(msg, Buffer.concat([sig, Buffer.of(0)]), key)).toBe(false);
    }
  });
});
