import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { join } from 'node:path';
import { zWorkModeConfig, type WorkModeConfig } from '@shared/contract/office';
import { AppError } from '@shared/errors';
import { changedCertificateMessage, normalizeFingerprint, sameFingerprint } from '@shared/server/fingerprint';
import type { Core } from '../core';

export const WORK_MODE_FILE = 'work-mode.json';
export const DEFAULT_SERVER_PORT = 5443;
export const DEFAULT_WORK_MODE: WorkModeConfig = { mode: 'standalone', serverPort: DEFAULT_SERVER_PORT, client: null };

/** What the desktop shell and the server read at start: the mode kept in the data folder (a small JSON file). */
export function readWorkMode(dataDir: string): WorkModeConfig & { certPem?: string } {
  const file = join(dataDir, WORK_MODE_FILE);
  if (!existsSync(file)) return { ...DEFAULT_WORK_MODE };
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    const parsed = zWorkModeConfig.safeParse(raw);
    return parsed.success ? { ...parsed.data, certPem: typeof raw.certPem === 'string' ? raw.certPem : undefined } : { ...DEFAULT_WORK_MODE };
  } catch {
    return { ...DEFAULT_WORK_MODE };
  }
}

export function writeWorkMode(dataDir: string, config: WorkModeConfig & { certPem?: string }): void {
  const file = join(dataDir, WORK_MODE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(config, null, 2));
  renameSync(`${file}.tmp`, file);
}

export interface ServingInfo {
  urls: string[];
  fingerprint: string;
  port: number;
}
const serving = new WeakMap<Core, ServingInfo>();
/** The office server tells the core where it serves, for 工作方式 and 在线用户. */
export function setServerInfo(core: Core, info: ServingInfo | null): void {
  if (info) serving.set(core, info);
  else serving.delete(core);
}
export function getServerInfo(core: Core): ServingInfo | null {
  return serving.get(core) ?? null;
}

/** `192.168.1.20`, `server:5443`, `https://server:5443/` → `https://server:5443`. */
export function serverUrl(address: string): URL {
  const text = address.trim().replace(/\/+$/, '');
  const url = new URL(/^https:\/\//i.test(text) ? text : `https://${text}`);
  if (url.protocol !== 'https:') throw new AppError('VALIDATION', '服务器地址必须以 https:// 开头');
  if (!url.port) url.port = String(DEFAULT_SERVER_PORT);
  return url;
}

function pemOf(cert: PeerCertificate): string {
  const b64 = cert.raw.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Reads the certificate a server shows, sending nothing else (the first step of pinning). */
export function readServerCertificate(url: URL, timeoutMs = 5000): Promise<{ fingerprint: string; certPem: string }> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({ host, port: Number(url.port), rejectUnauthorized: false, servername: /^[\d.:]+$/.test(host) ? undefined : host });
    const timer = setTimeout(() => socket.destroy(new Error('连接超时')), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate(false);
      socket.end();
      if (!cert?.raw) return reject(new AppError('RULE', `服务器 ${url.host} 没有出示证书`));
      resolve({ fingerprint: normalizeFingerprint(cert.fingerprint256)!, certPem: pemOf(cert) });
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new AppError('RULE', `无法连接到服务器 ${url.host}：${connectionProblem(e)}`));
    });
  });
}

export function connectionProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return '对方没有在该端口提供服务(服务器程序是否已启动？)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '找不到这个名称，请改用 IP 地址';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return '网络不通';
  if (code === 'ECONNRESET' || code === 'EPROTO') return '对方不是 Incubase 办公室服务器(不是 HTTPS)';
  return (e as Error).message;
}

/**
 * TLS options that trust exactly the pinned certificate: it is the only CA, and its fingerprint is checked
 * again in place of the host name (the certificate is the server's identity, whatever address reached it).
 */
export function pinnedTls(url: URL, fingerprint: string, certPem: string) {
  return {
    ca: certPem,
    rejectUnauthorized: true,
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      sameFingerprint(cert.fingerprint256, fingerprint) ? undefined : Object.assign(new Error(changedCertificateMessage(url.host)), { code: 'CERT_CHANGED' }),
  };
}

/** One GET over a pinned connection, JSON answer. */
export function pinnedGetJson(url: URL, path: string, fingerprint: string, certPem: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method: 'GET', ...pinnedTls(url, fingerprint, certPem), timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new AppError('RULE', `服务器 ${url.host} 不是 Incubase 办公室服务器`));
        }
      });
    });
    req.on('error', (e) => reject(new AppError('RULE', `无法连接到服务器 ${url.host}：${connectionProblem(e)}`)));
    req.end();
  });
}

/** 连接到服务器, first step: the certificate's fingerprint (for the user to compare) and the server's version. */
export async function probeServer(address: string, appVersion: string) {
  const url = serverUrl(address);
  const { fingerprint, certPem } = await readServerCertificate(url);
  const answer = (await pinnedGetJson(url, '/api/version', fingerprint, certPem)) as { ok?: boolean; data?: { app?: string; version?: string } };
  if (!answer?.ok || answer.data?.app !== 'incubase') throw new AppError('RULE', `服务器 ${url.host} 不是 Incubase 办公室服务器`);
  const version = String(answer.data.version);
  return { url: url.origin, fingerprint, certPem, version, sameVersion: version === appVersion };
}
