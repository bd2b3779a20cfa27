/**
 * What the desktop shell does in each work mode (work-mode.json in the data folder, 系统管理 → 工作方式), as
 * plain decisions the Electron files only carry out (Electron cannot run in the tests):
 * - 单机: the core process, the window on the app's own pages, calls over IPC;
 * - 办公室服务器: the same, and the core process also serves the office over HTTPS; the window shows where
 *   clients connect and the certificate fingerprint, and hears the other desks' changes through the preload;
 * - 连接到服务器: no local core; the window loads the pinned server's pages (https://server:port, the same
 *   screens a browser gets, without the preload), and its session accepts exactly the pinned certificate.
 */
import { X509Certificate } from 'node:crypto';
import type { WorkModeConfig } from '@shared/contract/office';
import { normalizeFingerprint, sameFingerprint } from '@shared/server/fingerprint';
import { serverUrl } from '../core/office/workMode';

export type ShellPlan =
  | { mode: 'standalone'; startCore: true; serve: null; window: { url: 'app'; preload: true } }
  | { mode: 'server'; startCore: true; serve: { port: number }; window: { url: 'app'; preload: true } }
  | { mode: 'client'; startCore: false; serve: null; window: { url: string; preload: false }; pin: Pin };

export interface Pin {
  /** Origin the window may stay on (https://host:port). */
  origin: string;
  hostname: string;
  fingerprint: string;
}

/** The plan for the work mode kept in the data folder; a client without a pinned server works standalone. */
export function shellPlan(config: WorkModeConfig): ShellPlan {
  if (config.mode === 'server') return { mode: 'server', startCore: true, serve: { port: config.serverPort }, window: { url: 'app', preload: true } };
  if (config.mode === 'client' && config.client) {
    const url = serverUrl(config.client.url);
    const fingerprint = normalizeFingerprint(config.client.fingerprint);
    if (fingerprint) {
      return {
        mode: 'client',
        startCore: false,
        serve: null,
        window: { url: `${url.origin}/`, preload: false },
        pin: { origin: url.origin, hostname: url.hostname.replace(/^\[|\]$/g, ''), fingerprint },
      };
    }
  }
  return { mode: 'standalone', startCore: true, serve: null, window: { url: 'app', preload: true } };
}

/** Chromium's verdicts for `session.setCertificateVerifyProc`: accept, reject, or its own verification. */
export const CERT_ACCEPT = 0;
export const CERT_REJECT = -2;
export const CERT_DEFAULT = -3;

/**
 * The certificate verdict in 连接到服务器 mode: for the pinned server's host, exactly the pinned certificate
 * (its SHA-256 fingerprint; a self-signed one is the point) is accepted and any other refused, whatever a CA
 * says; other hosts get Chromium's own verification. `certificatePem` is Electron's `certificate.data`.
 */
export function certificateVerdict(request: { hostname: string; certificatePem: string }, pin: Pin | null): number {
  if (!pin) return CERT_DEFAULT;
  const host = request.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host !== pin.hostname.toLowerCase()) return CERT_DEFAULT;
  let seen: string | null;
  try {
    seen = normalizeFingerprint(new X509Certificate(request.certificatePem).fingerprint256);
  } catch {
    return CERT_REJECT;
  }
  return sameFingerprint(seen, pin.fingerprint) ? CERT_ACCEPT : CERT_REJECT;
}

/** Whether the window may navigate to `url`: the app's own origin, or in client mode the pinned server. */
export function mayNavigate(url: string, appOrigin: string, pin: Pin | null): boolean {
  let origin: string;
  try {
    // protocol//host rather than URL.origin, which Node gives as "null" for a custom scheme (app://).
    const u = new URL(url);
    origin = `${u.protocol}//${u.host}`;
  } catch {
    return false;
  }
  return origin === appOrigin || (!!pin && origin === pin.origin);
}

/** The line the server-mode window shows (and the log gets): where to connect, the fingerprint to compare. */
export function servingSummary(info: { urls: string[]; fingerprint: string }): string {
  return `本机是办公室服务器：其他电脑连接 ${info.urls[0] ?? ''}，证书指纹 ${info.fingerprint}`;
}
