import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROTATION_FORMAT, serializeCertificate, zRotationChain, type RotationChain, type RotationCertificate } from '@shared/submission/rotation';
import { sameFingerprint } from '@shared/submission/fingerprint';
import { generateHubKeyPair, loadPrivateKey, publicKeyFingerprint, signBytes, type KeyAlgorithm } from './package/keys';
import { writeFileAtomic } from '../safePath';

/**
 * The hub's signing key. The private key lives in `<dataDir>/keys/` (0600 in a 0700 folder on Linux/macOS; on
 * Windows the data folder sits in the user's profile, which is private to the user), never in the database — a
 * database backup sent to someone does not carry the key. Created on first use.
 *
 * New keys are SM2 (`hub-sm2.pem`). A hub whose key is the former Ed25519 one (`hub-ed25519.pem`, registered with
 * its federation) gets an SM2 key on first use after the upgrade, with a rotation certificate signed by the old
 * key (`key-rotations.json`): every package carries the chain, so the federation accepts the new key without a
 * new registration. `rotateHubKey` makes the same step on request (a key that may be exposed, a yearly change).
 */

export interface HubKey {
  algorithm: KeyAlgorithm;
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
  path: string;
  /** The rotation chain (old keys → this one), when the key was ever rotated. */
  rotations: RotationChain | null;
}

const keysDir = (dataDir: string) => join(dataDir, 'keys');
export function hubKeyPath(dataDir: string): string {
  return join(keysDir(dataDir), 'hub-sm2.pem');
}
export function legacyHubKeyPath(dataDir: string): string {
  return join(keysDir(dataDir), 'hub-ed25519.pem');
}
export function rotationsPath(dataDir: string): string {
  return join(keysDir(dataDir), 'key-rotations.json');
}
const nextKeyPath = (dataDir: string) => join(keysDir(dataDir), 'hub-sm2.next.pem');

const cache = new Map<string, HubKey>();

function writeKeyFile(path: string, pem: string): void {
  writeFileAtomic(path, Buffer.from(pem, 'utf8'));
  try {
    chmodSync(path, 0o600);
  } catch {
    // Windows: permissions come from the profile folder.
  }
}

function readChain(dataDir: string): RotationChain | null {
  const p = rotationsPath(dataDir);
  if (!existsSync(p)) return null;
  try {
    return zRotationChain.parse(JSON.parse(readFileSync(p, 'utf8')));
  } catch {
    throw new Error(`本单位密钥轮换记录已损坏：${p}。请从备份恢复该文件。`);
  }
}

function lastCertificate(chain: RotationChain | null): RotationCertificate | null {
  const last = chain?.rotations.at(-1);
  return last ? (JSON.parse(last.certificate) as RotationCertificate) : null;
}

/** A rotation interrupted after its certificate was written is completed; one interrupted before is undone. */
function finishPendingRotation(dataDir: string): void {
  const next = nextKeyPath(dataDir);
  if (!existsSync(next)) return;
  const nextPem = readFileSync(next, 'utf8');
  let fp: string;
  try {
    fp = publicKeyFingerprint(loadPrivateKey(nextPem).publicKey);
  } catch {
    rmSync(next, { force: true });
    return;
  }
  const cert = lastCertificate(readChain(dataDir));
  if (!cert || !sameFingerprint(cert.newFingerprint, fp)) {
    rmSync(next, { force: true });
    return;
  }
  const current = hubKeyPath(dataDir);
  if (existsSync(current)) {
    mkdirSync(join(keysDir(dataDir), 'retired'), { recursive: true, mode: 0o700 });
    renameSync(current, join(keysDir(dataDir), 'retired', `hub-sm2-${Date.now()}.pem`));
  }
  renameSync(next, current);
}

/**
 * Makes a new SM2 key, signs the rotation certificate with the current key (SM2, or the former Ed25519 one),
 * and makes the new key current; the old private key is kept under `keys/retired/`. Crash-safe: the new key and
 * the certificate are written before the switch, which the next start completes.
 */
export function rotateHubKey(dataDir: string, hub: { hubId: string; hubName: string }, now = new Date()): { from: string; to: string; certificate: RotationCertificate } {
  finishPendingRotation(dataDir);
  const currentPath = existsSync(hubKeyPath(dataDir)) ? hubKeyPath(dataDir) : legacyHubKeyPath(dataDir);
  if (!existsSync(currentPath)) throw new Error('本单位尚无签名密钥，无需轮换');
  const oldPem = readFileSync(currentPath, 'utf8');
  const old = loadPrivateKey(oldPem);
  const pair = generateHubKeyPair('SM2');
  const certificate: RotationCertificate = {
    format: ROTATION_FORMAT,
    hubId: hub.hubId,
    hubName: hub.hubName,
    oldFingerprint: publicKeyFingerprint(old.publicKey),
    newPublicKeyPem: pair.publicKeyPem,
    newFingerprint: pair.fingerprint,
    createdAt: now.toISOString(),
  };
  const text = serializeCertificate(certificate);
  const signature = signBytes(Buffer.from(text, 'utf8'), old).toString('base64');
  const chain = readChain(dataDir);
  const next: RotationChain = { format: 'incubase-key-rotations', rotations: [...(chain?.rotations ?? []), { certificate: text, signature }] };
  mkdirSync(keysDir(dataDir), { recursive: true, mode: 0o700 });
  writeKeyFile(nextKeyPath(dataDir), pair.privateKeyPem);
  writeFileAtomic(rotationsPath(dataDir), Buffer.from(`${JSON.stringify(next, null, 2)}\n`, 'utf8'));
  finishPendingRotation(dataDir);
  cache.clear();
  return { from: certificate.oldFingerprint, to: pair.fingerprint, certificate };
}

/**
 * The current key; created on first use. `hub` is needed only to move a hub with the former Ed25519 key to SM2
 * (the certificate names the hub); without it such a hub keeps signing with Ed25519.
 */
export function ensureHubKey(dataDir: string, hub?: { hubId: string; hubName: string }): HubKey {
  const path = hubKeyPath(dataDir);
  const cached = cache.get(path);
  if (cached && existsSync(path)) return cached;
  finishPendingRotation(dataDir);
  if (!existsSync(path)) {
    const legacy = legacyHubKeyPath(dataDir);
    if (existsSync(legacy)) {
      if (!hub) return loadKey(dataDir, legacy);
      rotateHubKey(dataDir, hub);
    } else {
      mkdirSync(keysDir(dataDir), { recursive: true, mode: 0o700 });
      const pair = generateHubKeyPair('SM2');
      // Another process may have created the key meanwhile: keep theirs, never overwrite a key.
      if (!existsSync(path)) writeKeyFile(path, pair.privateKeyPem);
    }
  }
  const key = loadKey(dataDir, path);
  cache.set(path, key);
  return key;
}

function loadKey(dataDir: string, path: string): HubKey {
  const privateKeyPem = readFileSync(path, 'utf8');
  let k;
  try {
    k = loadPrivateKey(privateKeyPem);
  } catch {
    throw new Error(`本单位签名密钥文件已损坏：${path}。请从备份恢复该文件；若无法恢复，需重新生成密钥并向上级重新登记公钥。`);
  }
  return { algorithm: k.algorithm, privateKeyPem, publicKeyPem: k.publicKey.pem, fingerprint: publicKeyFingerprint(k.publicKey), path, rotations: readChain(dataDir) };
}
