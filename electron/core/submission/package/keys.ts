import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { formatFingerprint } from '@shared/submission/fingerprint';
import { SM2_DEFAULT_USER_ID, type SignatureAlgorithm } from '@shared/submission/manifest';
import { createDigest, sm3Hex } from './digest';
import { SM2_CURVE, decodeSm2DerSignature, sm2KeyTable, sm2PointFromBytes, sm2VerifyDigest, type AffinePoint, type Sm2KeyTable } from './sm2verify';

/**
 * Hub signing keys. New keys are SM2 (GB/T 32918, curve sm2p256v1) with SM3, through `sm-crypto-v2` (pure JS:
 * Electron's BoringSSL has neither SM2 nor SM3); keys made before are Ed25519 (node:crypto) and still verify.
 * Both travel as standard PEM: the public key as SubjectPublicKeyInfo, the private key as PKCS#8 (for SM2 with
 * the id-ecPublicKey algorithm and the sm2p256v1 curve, as OpenSSL and GmSSL write them).
 * Fingerprint = digest of the public key's DER: SM3 for SM2 keys, SHA-256 for Ed25519 keys, upper-case hex in
 * groups of four.
 */

export type KeyAlgorithm = 'SM2' | 'Ed25519';

export interface HubKeyPair {
  algorithm: KeyAlgorithm;
  privateKeyPem: string;
  publicKeyPem: string;
  /** `AB12 CD34 …` */
  fingerprint: string;
}

export interface HubPublicKey {
  algorithm: KeyAlgorithm;
  pem: string;
  der: Buffer;
  /** SM2: `04 || x || y` in hex (what sm-crypto-v2 takes). */
  sm2Hex?: string;
  /** SM2: the point, checked to be on the curve. */
  sm2Point?: AffinePoint;
  /** Ed25519: node's key object. */
  ed25519?: KeyObject;
}

export interface HubPrivateKey {
  algorithm: KeyAlgorithm;
  /** SM2: the scalar d in hex (64 digits). */
  sm2Hex?: string;
  ed25519?: KeyObject;
  publicKey: HubPublicKey;
}

export const SIGNATURE_ALGORITHM_OF: Record<KeyAlgorithm, SignatureAlgorithm> = { SM2: 'SM2-with-SM3', Ed25519: 'Ed25519' };

// DER of SubjectPublicKeyInfo { id-ecPublicKey, sm2p256v1 } up to the point bytes (04 || x || y follows).
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
// DER of PKCS#8 { 0, { id-ecPublicKey, sm2p256v1 }, ECPrivateKey { 1, d, [1] publicKey } } around d and the point.
const SM2_PKCS8_HEAD = Buffer.from('308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420', 'hex');
const SM2_PKCS8_MID = Buffer.from('a144034200', 'hex');

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function pemBody(text: string, label: string): Buffer | null {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  return m ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64') : null;
}

function sm2PublicFromDer(der: Buffer, text: string): HubPublicKey | null {
  if (der.length !== SM2_SPKI_PREFIX.length + 65 || !der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX)) return null;
  const bytes = der.subarray(SM2_SPKI_PREFIX.length);
  if (bytes[0] !== 0x04) return null;
  const point = sm2PointFromBytes(bytes);
  if (!point) throw new Error('公钥无效：SM2 公钥不是曲线上的点');
  return { algorithm: 'SM2', pem: text, der, sm2Hex: bytes.toString('hex'), sm2Point: point };
}

function sm2PublicFromHex(hex: string): HubPublicKey {
  const bytes = Buffer.from(hex, 'hex');
  const der = Buffer.concat([SM2_SPKI_PREFIX, bytes]);
  const point = sm2PointFromBytes(bytes);
  if (!point) throw new Error('公钥无效：SM2 公钥不是曲线上的点');
  return { algorithm: 'SM2', pem: pem('PUBLIC KEY', der), der, sm2Hex: hex, sm2Point: point };
}

export function generateHubKeyPair(algorithm: KeyAlgorithm = 'SM2'): HubKeyPair {
  if (algorithm === 'Ed25519') {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    return { algorithm, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem, fingerprint: publicKeyFingerprint(publicKeyPem) };
  }
  const pair = sm2.generateKeyPairHex();
  const d = Buffer.from(pair.privateKey.padStart(64, '0'), 'hex');
  const point = Buffer.from(pair.publicKey, 'hex');
  const der = Buffer.concat([SM2_PKCS8_HEAD, d, SM2_PKCS8_MID, point]);
  const pub = sm2PublicFromHex(pair.publicKey);
  return { algorithm, privateKeyPem: pem('PRIVATE KEY', der), publicKeyPem: pub.pem, fingerprint: publicKeyFingerprint(pub) };
}

/** Parses a public key PEM (SM2 or Ed25519); Chinese message otherwise. */
export function loadPublicKey(text: string): HubPublicKey {
  const der = pemBody(text, 'PUBLIC KEY');
  if (!der) throw new Error('公钥文件无法读取：应为 PEM 格式的公钥(-----BEGIN PUBLIC KEY-----)');
  const smKey = sm2PublicFromDer(der, text);
  if (smKey) return smKey;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw new Error('公钥无法读取：既不是 SM2 公钥，也不是 Ed25519 公钥');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`公钥类型为 ${key.asymmetricKeyType}，应为 SM2(或旧版的 Ed25519)`);
  return { algorithm: 'Ed25519', pem: text, der, ed25519: key };
}

export function loadPrivateKey(text: string): HubPrivateKey {
  const der = pemBody(text, 'PRIVATE KEY');
  if (der && der.length === SM2_PKCS8_HEAD.length + 32 + SM2_PKCS8_MID.length + 65 && der.subarray(0, SM2_PKCS8_HEAD.length).equals(SM2_PKCS8_HEAD)) {
    const d = der.subarray(SM2_PKCS8_HEAD.length, SM2_PKCS8_HEAD.length + 32).toString('hex');
    const derived = sm2.getPublicKeyFromPrivateKey(d);
    const stored = der.subarray(SM2_PKCS8_HEAD.length + 32 + SM2_PKCS8_MID.length).toString('hex');
    if (derived !== stored) throw new Error('本单位私钥无法读取：密钥文件中的公钥与私钥不符(文件已损坏)');
    return { algorithm: 'SM2', sm2Hex: d, publicKey: sm2PublicFromHex(derived) };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new Error('本单位私钥无法读取：密钥文件已损坏');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`私钥类型为 ${key.asymmetricKeyType}，应为 SM2 或 Ed25519`);
  const pubPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return { algorithm: 'Ed25519', ed25519: key, publicKey: loadPublicKey(pubPem) };
}

export function publicKeyFingerprint(key: HubPublicKey | string): string {
  const k = typeof key === 'string' ? loadPublicKey(key) : key;
  const hex = k.algorithm === 'SM2' ? sm3Hex(k.der) : createHash('sha256').update(k.der).digest('hex');
  return formatFingerprint(hex);
}

/** The public key PEM of a private key (to re-export it or to check a stored pair). */
export function publicKeyPemOf(privateKeyPem: string): string {
  return loadPrivateKey(privateKeyPem).publicKey.pem;
}

/**
 * Per public key: its window table for {@link sm2VerifyDigest} (checked on the curve, 8 odd multiples made affine:
 * about a tenth of one verify) and Z_A per user id, made on the key's first use and kept, so a key that verifies
 * many packages (a federation importing its members every period) pays them once. Bounded, least recently used out.
 */
interface Sm2Verifier {
  table: Sm2KeyTable;
  z: Map<string, Uint8Array>;
}
const verifiers = new Map<string, Sm2Verifier>();
const MAX_VERIFIERS = 1024;

function sm2Verifier(k: HubPublicKey): Sm2Verifier {
  const hex = k.sm2Hex!;
  let v = verifiers.get(hex);
  if (v) verifiers.delete(hex);
  else {
    v = { table: sm2KeyTable(k.sm2Point!), z: new Map() };
    if (verifiers.size >= MAX_VERIFIERS) verifiers.delete(verifiers.keys().next().value!);
  }
  verifiers.set(hex, v);
  return v;
}

/** Forgets every key's table and Z_A (benchmarks measure a key's first sight again; tests). */
export function forgetSm2Verifiers(): void {
  verifiers.clear();
}

const be32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
const CURVE_BYTES = Buffer.concat([be32(SM2_CURVE.a), be32(SM2_CURVE.b), be32(SM2_CURVE.gx), be32(SM2_CURVE.gy)]);

/**
 * Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GB/T 32918.2 §5.5), ENTL_A the id's length in
 * bits as two bytes; with the same streaming SM3 as the package's entries.
 */
export function sm2Z(publicHex: string, userId: string): Uint8Array {
  const id = Buffer.from(userId, 'utf8');
  const bits = id.length * 8;
  if (bits > 0xffff) throw new Error('SM2 用户标识过长');
  const point = Buffer.from(publicHex, 'hex');
  return Buffer.from(createDigest('SM3').update(Uint8Array.of(bits >> 8, bits & 0xff)).update(id).update(CURVE_BYTES).update(point.subarray(1)).hex(), 'hex');
}

function zOf(v: Sm2Verifier | null, publicHex: string, userId: string): Uint8Array {
  let z = v?.z.get(userId);
  if (!z) {
    z = sm2Z(publicHex, userId);
    v?.z.set(userId, z);
  }
  return z;
}

/** e = SM3(Z_A || M), streamed over the caller's bytes (no hex round trip, no concatenated copy of M). */
function sm2MessageDigest(bytes: Uint8Array, z: Uint8Array): Uint8Array {
  return Buffer.from(createDigest('SM3').update(z).update(bytes).hex(), 'hex');
}

/**
 * Signature of the exact bytes. SM2: SM3 over Z_A || message with the user id (default `1234567812345678`), the
 * signature DER-encoded (GM/T 0009 SM2Signature: SEQUENCE { r INTEGER, s INTEGER }). Ed25519: 64 raw bytes.
 */
export function signBytes(bytes: Uint8Array, privateKey: HubPrivateKey | string, userId = SM2_DEFAULT_USER_ID): Buffer {
  const k = typeof privateKey === 'string' ? loadPrivateKey(privateKey) : privateKey;
  if (k.algorithm === 'Ed25519') return sign(null, bytes, k.ed25519!);
  const publicHex = k.publicKey.sm2Hex!;
  const e = sm2MessageDigest(bytes, zOf(verifiers.get(publicHex) ?? null, publicHex, userId));
  const hex = sm2.doSignature(e, k.sm2Hex!, { hash: false, der: true });
  return Buffer.from(hex, 'hex');
}

export function verifyBytes(bytes: Uint8Array, signature: Uint8Array, publicKey: HubPublicKey | string, userId = SM2_DEFAULT_USER_ID): boolean {
  let k: HubPublicKey;
  try {
    k = typeof publicKey === 'string' ? loadPublicKey(publicKey) : publicKey;
  } catch {
    return false;
  }
  try {
    if (k.algorithm === 'Ed25519') return signature.length === 64 && verify(null, bytes, k.ed25519!, signature);
    if (signature.length > 72) return false;
    const rs = decodeSm2DerSignature(signature);
    if (!rs) return false;
    const v = sm2Verifier(k);
    const e = sm2MessageDigest(bytes, zOf(v, k.sm2Hex!, userId));
    return sm2VerifyDigest(e, rs, v.table);
  } catch {
    return false;
  }
}
