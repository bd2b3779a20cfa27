import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { formatFingerprint } from '@shared/submission/fingerprint';

/**
 * Hub signing keys: Ed25519 (node:crypto). The private key stays in the hub's data folder; the public key (PEM)
 * and its fingerprint are handed to the federation to register the hub.
 */

export interface HubKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  /** `AB12 CD34 …`: SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
  fingerprint: string;
}

export function generateHubKeyPair(): HubKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

/** Parses a public key PEM and checks that it is Ed25519; Chinese message otherwise. */
export function loadPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('公钥文件无法读取：应为 PEM 格式的公钥(-----BEGIN PUBLIC KEY-----)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`公钥类型为 ${key.asymmetricKeyType}，应为 Ed25519`);
  return key;
}

export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('本单位私钥无法读取：密钥文件已损坏');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`私钥类型为 ${key.asymmetricKeyType}，应为 Ed25519`);
  return key;
}

export function publicKeyFingerprint(key: KeyObject | string): string {
  const k = typeof key === 'string' ? loadPublicKey(key) : key;
  const der = k.export({ type: 'spki', format: 'der' });
  return formatFingerprint(createHash('sha256').update(der).digest('hex'));
}

/** The public key PEM of a private key (to re-export it or to check a stored pair). */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(loadPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** Ed25519 signature of the exact bytes (no pre-hash: Ed25519 takes `null` as the algorithm). */
export function signBytes(bytes: Uint8Array, privateKey: KeyObject | string): Buffer {
  const k = typeof privateKey === 'string' ? loadPrivateKey(privateKey) : privateKey;
  return sign(null, bytes, k);
}

export function verifyBytes(bytes: Uint8Array, signature: Uint8Array, publicKey: KeyObject | string): boolean {
  const k = typeof publicKey === 'string' ? loadPublicKey(publicKey) : publicKey;
  if (signature.length !== 64) return false;
  try {
    return verify(null, bytes, k, signature);
  } catch {
    return false;
  }
}
