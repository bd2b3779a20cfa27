import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { normalizeFingerprint } from '@shared/server/fingerprint';

export interface ServerCertificate {
  key: string;
  cert: string;
  /** SHA-256, `AB:CD:…`: what the server prints and clients pin. */
  fingerprint: string;
  keyFile: string;
  certFile: string;
  /** Made at this start (first start of the server in this folder). */
  created: boolean;
}

/** This machine's names and addresses: the certificate's SAN, the DNS-rebinding guard's allowed hosts. */
export function machineNames(): { names: string[]; addresses: string[] } {
  const host = hostname().toLowerCase();
  const names = [...new Set([host, `${host}.local`, 'localhost'])];
  const addresses = new Set<string>(['127.0.0.1', '::1']);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) addresses.add(a.address.replace(/%.*$/, ''));
  return { names, addresses: [...addresses] };
}

/** The LAN addresses (non-internal IPv4 first) the server tells people to type. */
export function lanAddresses(): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') v4.push(a.address);
      else if (!a.address.startsWith('fe80')) v6.push(a.address);
    }
  return [...v4, ...v6];
}

export function fingerprintOf(certPem: string): string {
  return normalizeFingerprint(new X509Certificate(certPem).fingerprint256)!;
}

/**
 * The office server's own certificate, in `<dataDir>/server-cert/`: made on first start (self-signed, RSA 2048,
 * 10 years, SAN = this machine's names and addresses), reused afterwards so pinned clients keep trusting it.
 */
export async function ensureCertificate(dataDir: string): Promise<ServerCertificate> {
  const dir = join(dataDir, 'server-cert');
  const keyFile = join(dir, 'server.key');
  const certFile = join(dir, 'server.crt');
  if (existsSync(keyFile) && existsSync(certFile)) {
    const key = readFileSync(keyFile, 'utf8');
    const cert = readFileSync(certFile, 'utf8');
    return { key, cert, fingerprint: fingerprintOf(cert), keyFile, certFile, created: false };
  }
  mkdirSync(dir, { recursive: true });
  const { names, addresses } = machineNames();
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: `Incubase 办公室服务器 ${hostname()}` }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 24 * 3600_000),
    notAfterDate: new Date(now.getTime() + 10 * 365 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), ...addresses.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  // Written beside, then renamed: a crash never leaves half a key.
  writeFileSync(`${keyFile}.tmp`, pems.private, { mode: 0o600 });
  writeFileSync(`${certFile}.tmp`, pems.cert);
  renameSync(`${keyFile}.tmp`, keyFile);
  renameSync(`${certFile}.tmp`, certFile);
  try {
    chmodSync(keyFile, 0o600);
  } catch {
    // Windows: the folder's ACL protects it
  }
  return { key: pems.private, cert: pems.cert, fingerprint: fingerprintOf(pems.cert), keyFile, certFile, created: true };
}
