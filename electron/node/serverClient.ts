import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { CallInput, CallName, CallOutput } from '@shared/contract';
import type { ApiErrorShape, Result } from '@shared/errors';
import { changedCertificateMessage, sameFingerprint } from '@shared/server/fingerprint';
import { createSseParser } from '@shared/server/sse';
import { APP_VERSION } from '@shared/version';
import { connectionProblem, pinnedTls, readServerCertificate, serverUrl } from '../core/office/workMode';
import type { ChangeEvent } from '../core/api/changes';

export class ServerCallError extends Error {
  constructor(
    readonly error: ApiErrorShape,
    readonly status: number,
  ) {
    super(error.message);
  }
}

export interface ServerClientOptions {
  /** `https://host:port` (or host, host:port). */
  address: string;
  /** The pinned SHA-256 fingerprint: any other certificate is refused before a byte of the request is sent. */
  fingerprint: string;
  /** The version this client says it is (default: this program's). */
  version?: string;
  /** User-Agent, shown in 在线用户. */
  program?: string;
}

/**
 * A Node client of the office server (the CLI, the tests, the bench): pins the certificate's fingerprint,
 * keeps its session cookie, makes contract calls and follows the change feed.
 */
export class ServerClient {
  readonly url: URL;
  private cookie: string | null = null;
  private agent: Agent | null = null;
  private readonly version: string;
  private readonly userAgent: string;

  constructor(private readonly opts: ServerClientOptions) {
    this.url = serverUrl(opts.address);
    this.version = opts.version ?? APP_VERSION;
    this.userAgent = opts.program ?? `Incubase-Client/${this.version} (Node ${process.version})`;
  }

  /**
   * Reads the server's certificate and refuses a changed one, then the version handshake: the server says
   * which version it needs and a different one is refused here, before any write.
   */
  async connect(): Promise<{ version: string }> {
    const seen = await readServerCertificate(this.url);
    if (!sameFingerprint(seen.fingerprint, this.opts.fingerprint)) throw new Error(changedCertificateMessage(this.url.host));
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ...pinnedTls(this.url, this.opts.fingerprint, seen.certPem) });
    const res = await this.raw('GET', '/api/version');
    const version = (JSON.parse(res.body) as { data: { version: string } }).data.version;
    if (version !== this.version) throw new Error(`服务器需要程序版本 ${version}，本机是 ${this.version}：请安装与服务器相同的版本`);
    return { version };
  }

  close(): void {
    this.agent?.destroy();
  }

  /** One contract call; refusals come back as `{ ok: false, error }` like the preload's. */
  async invoke(name: string, input: unknown): Promise<Result<unknown> & { status: number }> {
    const res = await this.raw('POST', `/api/${encodeURIComponent(name)}`, JSON.stringify(input ?? {}));
    const body = JSON.parse(res.body) as Result<unknown>;
    return { ...body, status: res.status };
  }

  /** Typed call: the data, or a {@link ServerCallError} with the server's Chinese message. */
  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const r = await this.invoke(name, input);
    if (!r.ok) throw new ServerCallError(r.error, r.status);
    return r.data as CallOutput<N>;
  }

  async login(username: string, password: string) {
    return this.call('auth.login', { username, password });
  }

  /** Follows GET /api/events; `onChange` gets each batch of committed changes. Returns a stop function. */
  events(handlers: { onChange: (c: ChangeEvent[]) => void; onOpen?: () => void; onEnd?: (reason: string) => void }): () => void {
    let stopped = false;
    const end = (reason: string) => {
      if (stopped) return;
      stopped = true;
      handlers.onEnd?.(reason);
    };
    const req = request(new URL('/api/events', this.url), { method: 'GET', agent: this.agentOrThrow(), headers: this.headers() }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        end(`HTTP ${res.statusCode}`);
        return;
      }
      res.setEncoding('utf8');
      const parser = createSseParser(({ event, data }) => {
        if (stopped) return;
        if (event === 'hello') handlers.onOpen?.();
        else if (event === 'change') handlers.onChange(JSON.parse(data) as ChangeEvent[]);
        else if (event === 'session-ended') end('session-ended');
      });
      res.on('data', (d: string) => parser.push(d));
      res.on('end', () => end('closed'));
    });
    req.on('error', (e) => end(connectionProblem(e)));
    req.end();
    return () => {
      stopped = true;
      req.destroy();
    };
  }

  private agentOrThrow(): Agent {
    if (!this.agent) throw new Error('请先调用 connect()');
    return this.agent;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'x-incubase-client': '1',
      'x-incubase-version': this.version,
      'user-agent': this.userAgent,
      ...(this.cookie ? { cookie: this.cookie } : {}),
      ...extra,
    };
  }

  private raw(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers = this.headers(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {});
      const req = request(new URL(path, this.url), { method, agent: this.agentOrThrow(), headers }, (res) => {
        const set = res.headers['set-cookie'];
        if (set) {
          const c = set.map((s) => s.split(';')[0]).find((s) => s.startsWith('incubase_session='));
          if (c !== undefined) this.cookie = c === 'incubase_session=' ? null : c;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', (e) => {
        const code = (e as NodeJS.ErrnoException).code;
        reject(code === 'CERT_CHANGED' || /SELF_SIGNED|CERT|UNABLE_TO_VERIFY/.test(String(code)) ? new Error(changedCertificateMessage(this.url.host)) : new Error(`无法连接到服务器 ${this.url.host}：${connectionProblem(e)}`));
      });
      req.end(body);
    });
  }
}
