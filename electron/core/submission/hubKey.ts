import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateHubKeyPair, publicKeyFingerprint, publicKeyPemOf } from './package/keys';

/**
 * The hub's Ed25519 signing key. The private key lives in `<dataDir>/keys/hub-ed25519.pem`, readable by the
 * owner only (0600 in a 0700 folder on Linux/macOS; on Windows the data folder sits in the user's profile,
 * which is private to the user), and never in the database — a database backup sent to someone does not
 * carry the key. Created on first use, which is the first screen after the first login (the dashboard).
 */

export interface HubKey {
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
  path: string;
}

export function hubKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'hub-ed25519.pem');
}

const cache = new Map<string, HubKey>();

export function ensureHubKey(dataDir: string): HubKey {
  const path = hubKeyPath(dataDir);
  const cached = cache.get(path);
  if (cached && existsSync(path)) return cached;
  if (!existsSync(path)) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    const pair = generateHubKeyPair();
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, pair.privateKeyPem, { mode: 0o600, flag: 'w' });
    // Another process may have created the key meanwhile: keep theirs, never overwrite a key.
    if (existsSync(path)) rmSync(tmp, { force: true });
    else renameSync(tmp, path);
    try {
      chmodSync(path, 0o600);
    } catch {
      // Windows: permissions come from the profile folder.
    }
  }
  const privateKeyPem = readFileSync(path, 'utf8');
  let publicKeyPem: string;
  try {
    publicKeyPem = publicKeyPemOf(privateKeyPem);
  } catch {
    throw new Error(`本单位签名密钥文件已损坏：${path}。请从备份恢复该文件；若无法恢复，需重新生成密钥并向上级重新登记公钥。`);
  }
  const key = { privateKeyPem, publicKeyPem, fingerprint: publicKeyFingerprint(publicKeyPem), path };
  cache.set(path, key);
  return key;
}
