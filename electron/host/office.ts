import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core';
import { setServerInfo } from '../core/office/workMode';
import { createHost } from './server';
import { ensureCertificate, lanAddresses, machineNames } from './certificate';
import { isCoreStartup, type CoreStartup } from './startup';

export const DEFAULT_SERVER_PORT = 5443;

export interface OfficeServerOptions {
  /**
   * The open core, or one still starting (`openCoreInBackground`): then the server listens at once and answers the
   * page and 正在启动 (with the step) until the start-up check, upgrade and backup are done, as the Node host does.
   */
  core: Core | CoreStartup;
  /** Default {@link DEFAULT_SERVER_PORT}; 0 picks a free one (tests). */
  port?: number;
  /** Default '0.0.0.0' (every interface: the LAN). */
  host?: string;
  rendererDir?: string;
  /** More names clients may use (a DNS name of the server, a NAT address). */
  extraHosts?: string[];
  loginThrottle?: { max: number; windowMs: number };
}

export interface OfficeServer {
  app: FastifyInstance;
  port: number;
  /** https://address:port for each LAN address (loopback last). */
  urls: string[];
  fingerprint: string;
  certificateCreated: boolean;
  close(): Promise<void>;
}

/**
 * The office server: the same host as `npm run web`, but over HTTPS with its own certificate (made on first
 * start in the data folder), on the LAN, answering to this machine's names and addresses only. Plain HTTP is
 * not served. Used by `npm run server`, the CLI's `server` command and the desktop app in 办公室服务器 mode.
 */
export async function startOfficeServer(opts: OfficeServerOptions): Promise<OfficeServer> {
  const startup = isCoreStartup(opts.core) ? opts.core : null;
  const cert = await ensureCertificate(opts.core.dataDir);
  const { names, addresses } = machineNames();
  const app = await createHost({
    core: opts.core,
    rendererDir: opts.rendererDir,
    office: { tls: { key: cert.key, cert: cert.cert }, allowedHosts: [...names, ...addresses, ...(opts.extraHosts ?? [])], loginThrottle: opts.loginThrottle },
  });
  await app.listen({ host: opts.host ?? '0.0.0.0', port: opts.port ?? DEFAULT_SERVER_PORT });
  const port = (app.server.address() as { port: number }).port;
  const hostPart = (a: string) => (a.includes(':') ? `[${a}]` : a);
  const urls = [...lanAddresses().map((a) => `https://${hostPart(a)}:${port}`), `https://${names[0]}:${port}`, `https://127.0.0.1:${port}`];
  const info = { urls, fingerprint: cert.fingerprint, port };
  let closed = false;
  // The core learns where it serves (工作方式, 在线用户) as soon as it is open.
  if (startup) startup.ready.then((core) => void (!closed && setServerInfo(core, info)), () => undefined);
  else setServerInfo(opts.core as Core, info);
  return {
    app,
    port,
    urls,
    fingerprint: cert.fingerprint,
    certificateCreated: cert.created,
    async close() {
      closed = true;
      const core = startup ? startup.core : (opts.core as Core);
      if (core) setServerInfo(core, null);
      await app.close();
    },
  };
}

/** What the server prints when it starts: where to connect and the fingerprint to compare. */
export function startBanner(server: OfficeServer, dataDir: string): string {
  return [
    `Incubase 办公室服务器已启动(仅 HTTPS)${server.certificateCreated ? '，已在数据目录生成新的服务器证书' : ''}`,
    `数据目录：${dataDir}`,
    '其他电脑可用以下地址连接(桌面程序选「连接到服务器」，或用浏览器打开)：',
    ...server.urls.map((u) => `  ${u}`),
    `证书指纹(SHA-256)：${server.fingerprint}`,
    '第一次连接时请核对客户端显示的指纹与上面一致。',
  ].join('\n');
}
