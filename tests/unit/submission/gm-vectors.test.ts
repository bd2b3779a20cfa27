import { describe, expect, it } from 'vitest';
import { createHash, createPrivateKey, createPublicKey, getHashes, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sm2 } from 'sm-crypto-v2';
import { Sm3, createDigest, setSm3Implementation, sm3Ready, sm3Reference } from '../../../electron/core/submission/package/digest';
import { generateHubKeyPair, loadPrivateKey, loadPublicKey, publicKeyFingerprint, signBytes, verifyBytes } from '../../../electron/core/submission/package/keys';

/**
 * The national algorithms against the standards' own examples, before anything is trusted to them:
 * SM3 — GB/T 32905-2016 Appendix A (the 3-byte "abc" and the 512-bit "abcd"×16); SM2 signature — GB/T 32918.5 /
 * GM/T 0003.5 example on the recommended curve (key dA, signer id 1234567812345678, message "message digest",
 * random k), its Z_A and its signature (r, s).
 */
const hex = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const SM3_ABC = hex('66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0');
const SM3_512 = hex('debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732');

const dA = hex('3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8');
const PA = `04${hex('09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020')}${hex('CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13')}`;
const K = hex('59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21');
const ZA = hex('B2E14C5C 79C6DF5B 85F4FE7E D8DB7A26 2B9DA7E0 7CCB0EA9 F4747B8C CDA8A4F3');
const R = hex('F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3');
const S = hex('B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA');
const MSG = new TextEncoder().encode('message digest');

describe('SM3 (GB/T 32905) test vectors', () => {
  const abc = Buffer.from('abc');
  const m512 = Buffer.from('abcd'.repeat(16));
  it('sm-crypto-v2 gives the standard digests', () => {
    expect(sm3Reference(abc)).toBe(SM3_ABC);
    expect(sm3Reference(m512)).toBe(SM3_512);
  });
  it('the incremental SM3 gives them too, fed in pieces of any size', () => {
    expect(new Sm3().update(abc).hex()).toBe(SM3_ABC);
    expect(new Sm3().update(m512).hex()).toBe(SM3_512);
    const h = new Sm3();
    for (const b of m512) h.update(Uint8Array.of(b));
    expect(h.hex()).toBe(SM3_512);
  });
  it('the incremental SM3 equals sm-crypto-v2 (and OpenSSL where node has it) on random inputs and splits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(700), { maxLength: 5 }), (bytes, cuts) => {
        const h = new Sm3();
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          const to = Math.min(c, bytes.length);
          if (to > at) h.update(bytes.subarray(at, to));
          at = Math.max(at, to);
        }
        h.update(bytes.subarray(at));
        const got = h.hex();
        expect(got).toBe(sm3Reference(bytes));
        if (getHashes().includes('sm3')) expect(got).toBe(createHash('sm3').update(bytes).digest('hex'));
      }),
      { numRuns: 300 },
    );
    const big = randomBytes(3 * 1024 * 1024 + 17);
    expect(new Sm3().update(big).hex()).toBe(sm3Reference(big));
  });
  it('the digest used for packages is the same in its pure-JS, WebAssembly and native forms', async () => {
    await sm3Ready();
    const data = randomBytes(100_000);
    setSm3Implementation('js');
    const js = createDigest('SM3').update(data).hex();
    setSm3Implementation('wasm');
    expect(createDigest('SM3').update(data).hex()).toBe(js);
    setSm3Implementation('auto');
    expect(createDigest('SM3').update(data).hex()).toBe(js);
  });
  it('WebAssembly SM3: the standard examples, and interleaved streams cut anywhere stay independent', async () => {
    await sm3Ready();
    setSm3Implementation('wasm');
    try {
      expect(createDigest('SM3').update(Buffer.from('abc')).hex()).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
      expect(createDigest('SM3').update(Buffer.from('abcd'.repeat(16))).hex()).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), fc.nat(3000), (a, b, cut) => {
          const da = createDigest('SM3');
          const db = createDigest('SM3');
          const k = Math.min(cut, a.length);
          da.update(a.subarray(0, k));
          db.update(b);
          da.update(a.subarray(k));
          return da.hex() === sm3Reference(a) && db.hex() === sm3Reference(b);
        }),
        { numRuns: 200, seed: 20261203 },
      );
    } finally {
      setSm3Implementation('auto');
    }
  });
});

describe('SM2 signature (GB/T 32918 / GM/T 0003 example, recommended curve)', () => {
  it('derives the example public key from the example private key', () => {
    expect(sm2.getPublicKeyFromPrivateKey(dA)).toBe(PA);
  });
  it('computes the example Z_A with the default signer id 1234567812345678', () => {
    expect(Buffer.from(sm2.getZ(PA)).toString('hex')).toBe(ZA);
    expect(Buffer.from(sm2.getZ(PA, '1234567812345678')).toString('hex')).toBe(ZA);
  });
  it('signs the example message with the example k into the example (r, s), and verifies it', () => {
    const kG = sm2.getPublicKeyFromPrivateKey(K);
    const sig = sm2.doSignature(MSG, dA, { hash: true, publicKey: PA, pointPool: [{ k: BigInt(`0x${K}`), x1: BigInt(`0x${kG.slice(2, 66)}`) }] });
    expect(sig).toBe(R + S);
    expect(sm2.doVerifySignature(MSG, R + S, PA, { hash: true })).toBe(true);
    // One bit off in the message, r, or s, or another signer id: refused.
    expect(sm2.doVerifySignature(new TextEncoder().encode('message digesT'), R + S, PA, { hash: true })).toBe(false);
    expect(sm2.doVerifySignature(MSG, R.replace(/.$/, '4') + S, PA, { hash: true })).toBe(false);
    expect(sm2.doVerifySignature(MSG, R + S.replace(/.$/, 'b'), PA, { hash: true })).toBe(false);
    expect(sm2.doVerifySignature(MSG, R + S, PA, { hash: true, userId: 'ALICE123@YAHOO.COM' })).toBe(false);
  });
});

describe('the package signer on the standard example (cached key tables, own Z_A || M digest)', () => {
  // SubjectPublicKeyInfo { id-ecPublicKey, sm2p256v1 } around the example point PA; (r, s) as GM/T 0009 DER.
  const pemOf = (der: Buffer) => `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  const examplePem = pemOf(Buffer.from(`3059301306072a8648ce3d020106082a811ccf5501822d034200${PA}`, 'hex'));
  const int = (h: string) => (parseInt(h.slice(0, 2), 16) >= 0x80 ? `0221 00${h}` : `0220${h}`).replace(/\s/g, '');
  const der = (r: string, s: string) => {
    const body = int(r) + int(s);
    return Buffer.from(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`, 'hex');
  };

  it.each(['js', 'auto'] as const)('verifyBytes accepts the example (r, s) on every use, before and after the key gets its wide table (SM3 %s)', (impl) => {
    setSm3Implementation(impl);
    try {
      const key = loadPublicKey(examplePem);
      expect(key.sm2Hex).toBe(PA);
      for (let use = 0; use < 12; use++) {
        expect(verifyBytes(MSG, der(R, S), key)).toBe(true);
        expect(verifyBytes(MSG, der(R, S.replace(/.$/, 'b')), key)).toBe(false);
        expect(verifyBytes(new TextEncoder().encode('message digesT'), der(R, S), key)).toBe(false);
        expect(verifyBytes(MSG, der(R, S), key, 'ALICE123@YAHOO.COM')).toBe(false);
      }
    } finally {
      setSm3Implementation('auto');
    }
  });

  it('signBytes signs what the library verifies with its own SM3(Z_A || M)', () => {
    const pair = generateHubKeyPair();
    const msg = randomBytes(10_000);
    for (let i = 0; i < 3; i++) {
      const sig = signBytes(msg, pair.privateKeyPem);
      expect(sm2.doVerifySignature(msg, sig.toString('hex'), loadPublicKey(pair.publicKeyPem).sm2Hex!, { hash: true, der: true })).toBe(true);
    }
  });
});

describe('hub keys in SM2', () => {
  const pair = generateHubKeyPair();
  it('writes standard PEM that OpenSSL reads as SM2 keys', () => {
    expect(pair.algorithm).toBe('SM2');
    expect(pair.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    // node's OpenSSL parses both (it reports no key type name for SM2) and derives the same public key.
    expect(createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'pem' }).toString()).toBe(pair.publicKeyPem);
    const priv = createPrivateKey(pair.privateKeyPem);
    expect(createPublicKey(priv).export({ type: 'spki', format: 'pem' }).toString()).toBe(pair.publicKeyPem);
  });
  it('signs with the default signer id: the signature verifies with the example-checked library and fails once changed', () => {
    const msg = Buffer.from('{"manifest":true}\n');
    const sig = signBytes(msg, pair.privateKeyPem);
    expect(verifyBytes(msg, sig, pair.publicKeyPem)).toBe(true);
    const k = loadPublicKey(pair.publicKeyPem);
    expect(sm2.doVerifySignature(msg, sig.toString('hex'), k.sm2Hex!, { hash: true, der: true, userId: '1234567812345678' })).toBe(true);
    const flipped = Buffer.from(msg);
    flipped[3] ^= 1;
    expect(verifyBytes(flipped, sig, pair.publicKeyPem)).toBe(false);
    expect(verifyBytes(msg, sig, generateHubKeyPair().publicKeyPem)).toBe(false);
    expect(verifyBytes(msg, sig, pair.publicKeyPem, 'another-id')).toBe(false);
  });
  it('fingerprints an SM2 key with SM3 of its DER, an Ed25519 key with SHA-256', () => {
    const der = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(publicKeyFingerprint(pair.publicKeyPem).replace(/ /g, '')).toBe(sm3Reference(der).toUpperCase());
    const ed = generateHubKeyPair('Ed25519');
    const edDer = createPublicKey(ed.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(ed.fingerprint.replace(/ /g, '')).toBe(createHash('sha256').update(edDer).digest('hex').toUpperCase());
    expect(loadPrivateKey(ed.privateKeyPem).algorithm).toBe('Ed25519');
  });
});
