import type { ErrorCode } from '@shared/errors';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { callDef, contract, isCallName, DEFAULT_MAX_BODY_BYTES, UPLOAD_MAX_BODY_BYTES, type CallName } from '@shared/contract';
import { APP_VERSION } from '@shared/version';
import type { Core } from '../core/core';
import type { SessionClient } from '../core/api/sessions';
import type { ChangeEvent } from '../core/api/changes';
import { LoginThrottle } from './throttle';
import { isCoreStartup, type CoreStartup } from './startup';

export const SESSION_COOKIE = 'incubase_session';
/** The renderer's client sends this header; a cross-site form or image cannot, and we answer no CORS preflight. */
export const CSRF_HEADER = 'x-incubase-client';
/** The client's program version: the office server refuses writes from another version. */
export const VERSION_HEADER = 'x-incubase-version';

export interface HostOptions {
  /**
   * The open core, or one still starting (`openCoreInBackground`): then the page is served at once and every call
   * is answered `STARTING` (with the step: 检查数据库 / 升级 / 备份) until the core is open.
   */
  core: Core | CoreStartup;
  /** Folder of the built renderer (out/renderer); omitted in API-only tests. */
  rendererDir?: string;
  port?: number;
  /**
   * The office server: HTTPS with its own certificate on the LAN. Without it the host is the loopback-only
   * `npm run web` one over plain HTTP.
   */
  office?: {
    tls: { key: string; cert: string };
    /** The server's own host names and addresses (besides loopback) that clients may use to reach it. */
    allowedHosts: string[];
    /** Per-address login throttling; default 20 attempts per 10 minutes. */
    loginThrottle?: { max: number; windowMs: number };
  };
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1']);
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Against clickjacking and MIME sniffing, on every answer (pages, files, API, errors). */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const HEARTBEAT_MS = 15_000;

export function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && (LOOPBACK_ADDRESSES.has(address) || address.startsWith('127.'));
}

/** The host name of a Host header, without port or IPv6 brackets, lower-case. */
export function hostNameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** The program a request comes from, for 在线用户: the desktop shell, a browser, or the Node client. */
export function programOf(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  if (/Electron\//.test(ua)) return '桌面程序';
  if (/^Incubase-Client\//.test(ua)) return `Incubase 客户端 ${ua.split(/[/\s]/)[1] ?? ''}`.trim();
  const browser = /Edg\/(\d+)/.exec(ua)
    ? `Edge ${/Edg\/(\d+)/.exec(ua)![1]}`
    : /Firefox\/(\d+)/.exec(ua)
      ? `Firefox ${/Firefox\/(\d+)/.exec(ua)![1]}`
      : /Chrom(?:e|ium)\/(\d+)/.exec(ua)
        ? `Chrome ${/Chrom(?:e|ium)\/(\d+)/.exec(ua)![1]}`
        : /Safari\//.test(ua)
          ? 'Safari'
          : '';
  return browser ? `浏览器(${browser})` : ua ? `其他程序(${ua.slice(0, 40)})` : '未知程序';
}

function clientOf(req: FastifyRequest): SessionClient {
  const address = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '未知';
  return { address: isLoopbackAddress(req.socket.remoteAddress) ? `${address}(本机)` : address, program: programOf(req.headers['user-agent']) };
}

/**
 * The Node host: the same typed API as the Electron preload, plus the built renderer. `POST /api/<call>` with
 * a JSON body; the session lives in an HttpOnly SameSite=Strict cookie (Secure over HTTPS). `GET /api/events`
 * is the change feed (server-sent events); `GET /api/version` the version handshake.
 * Loopback over HTTP for `npm run web`; the office server (`office`) over HTTPS on the LAN.
 */
export async function createHost(opts: HostOptions): Promise<FastifyInstance> {
  const office = opts.office;
  const startup = isCoreStartup(opts.core) ? opts.core : null;
  const openCore = startup ? null : (opts.core as Core);
  const current = (): Core | null => openCore ?? startup!.core;
  /** Runs `fn` with the core once it is open (now, or when the start-up is done); nothing after the host closed. */
  let hostClosed = false;
  const cleanups: (() => void)[] = [];
  const withCore = (fn: (core: Core) => () => void) => {
    const core = current();
    if (core) cleanups.push(fn(core));
    else
      startup!.ready.then(
        (c) => {
          if (!hostClosed) cleanups.push(fn(c));
        },
        () => undefined,
      );
  };
  const notReady = (reply: FastifyReply) => {
    const answer = notReadyAnswer(startup!);
    return reply.code(answer.status).header('retry-after', '1').send(answer.body);
  };
  const app = Fastify({
    logger: false,
    bodyLimit: UPLOAD_MAX_BODY_BYTES,
    ...(office ? { https: { key: office.tls.key, cert: office.tls.cert } } : {}),
    // Malformed URLs (`/%`, `/%ff`) are the client's fault: 400 with a Chinese message, never an English one.
    frameworkErrors: (err, _req, res) => {
      const status = (err as { statusCode?: number }).statusCode;
      const reply = res as unknown as FastifyReply;
      void reply
        .code(status && status >= 400 && status < 500 ? status : 400)
        .headers(SECURITY_HEADERS)
        .send(errorBody('VALIDATION', '请求地址或格式无效'));
    },
  }) as unknown as FastifyInstance;
  await app.register(fastifyCookie);
  const allowed = new Set([...LOOPBACK_NAMES, ...(office?.allowedHosts ?? []).map((h) => hostNameOf(h))]);
  const throttle = office ? new LoginThrottle(office.loginThrottle?.max ?? 20, office.loginThrottle?.windowMs ?? 10 * 60_000) : null;

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  // DNS-rebinding guard: only the server's own names (loopback for `npm run web`) may address it.
  app.addHook('onRequest', async (req, reply) => {
    if (!allowed.has(hostNameOf(req.headers.host ?? ''))) {
      return reply.code(403).send(errorBody('FORBIDDEN', office ? '请使用服务器的地址或名称访问' : '只允许本机访问'));
    }
  });

  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const s = err.statusCode ?? 500;
    const tooLarge = s === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    if (tooLarge) {
      const limit = (req.routeOptions as { bodyLimit?: number } | undefined)?.bodyLimit;
      return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', tooLargeMessage(limit || UPLOAD_MAX_BODY_BYTES)));
    }
    if (s === 415) return reply.code(415).send(errorBody('VALIDATION', '请求类型必须是 application/json'));
    // The static-file plugin refuses a path outside its folder with 403 and a missing one with 404: both "no such file".
    if (s === 403 || s === 404) return reply.code(404).send(errorBody('NOT_FOUND', '找不到该文件'));
    if (s >= 400 && s < 500) {
      const json = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === undefined;
      return reply.code(400).send(errorBody('VALIDATION', json ? '请求格式错误：不是有效的 JSON' : '请求格式错误'));
    }
    const core = current();
    if (core) core.log('error', 'host error', err);
    else process.stderr.write(`host error: ${String((err as Error).message ?? err)}\n`);
    return reply.code(500).send(errorBody('INTERNAL', '系统内部错误'));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('NOT_FOUND', '找不到该页面或接口')));

  const handleCall = async (req: FastifyRequest, reply: FastifyReply, name: string) => {
    if (req.headers[CSRF_HEADER] !== '1') return reply.code(403).send(errorBody('FORBIDDEN', '请求来源不可信'));
    const core = current();
    if (!core) return notReady(reply);
    const known = isCallName(name);
    const def = known ? callDef(name) : null;
    const limit = def?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (Number(req.headers['content-length'] ?? 0) > limit) return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', tooLargeMessage(limit)));
    const clientVersion = req.headers[VERSION_HEADER];
    if (def?.write && ((clientVersion !== undefined && clientVersion !== APP_VERSION) || (office && clientVersion === undefined))) {
      return reply.code(426).send(errorBody('RULE', versionMessage(typeof clientVersion === 'string' ? clientVersion : undefined), { serverVersion: APP_VERSION }));
    }
    if (office && def?.localOnly && !isLoopbackAddress(req.socket.remoteAddress)) {
      return reply
        .code(403)
        .send(errorBody('FORBIDDEN', `「${def.title}」只能在服务器电脑上操作：恢复会替换全办公室的数据，请在服务器本机登录后进行`));
    }
    const address = req.socket.remoteAddress ?? '';
    let slot: number | null = null;
    if (throttle && name === 'auth.login') {
      slot = throttle.take(address, Date.now());
      if (slot === null) {
        const wait = Math.ceil(throttle.retryAfterMs(address, Date.now()) / 1000);
        return reply.code(429).header('retry-after', String(wait)).send(errorBody('RULE', `此电脑登录尝试过于频繁，请 ${Math.ceil(wait / 60)} 分钟后再试`));
      }
    }
    const token = req.cookies[SESSION_COOKIE] ?? null;
    const result = await core.invoke(name, req.body, token, clientOf(req));
    if (throttle && slot !== null && result.ok) throttle.release(address, slot);
    if (result.sessionToken) {
      reply.setCookie(SESSION_COOKIE, result.sessionToken, { httpOnly: true, sameSite: 'strict', path: '/', secure: !!office });
    }
    if (result.endSession) reply.clearCookie(SESSION_COOKIE, { path: '/', secure: !!office });
    const status = result.ok ? 200 : statusOf(result.error!.code);
    return reply.code(status).send(result.ok ? { ok: true, data: result.data } : { ok: false, error: result.error });
  };

  // One route per call, each with its own body limit: fastify counts the bytes as they stream, so a chunked
  // body (no content-length) is refused at the call's limit too.
  for (const name of Object.keys(contract) as CallName[]) {
    const limit = callDef(name).maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    app.post(`/api/${name}`, { bodyLimit: limit }, (req, reply) => handleCall(req, reply, name));
  }
  app.post<{ Params: { call: string } }>('/api/:call', { bodyLimit: DEFAULT_MAX_BODY_BYTES }, (req, reply) => handleCall(req, reply, req.params.call));

  // Version handshake: a client asks first and is told which version this server needs.
  app.get('/api/version', async () => ({ ok: true, data: { app: 'incubase', version: APP_VERSION } }));

  // The change feed: server-sent events of every committed write, for the live screens.
  const streams = new Set<{ token: string; res: ServerResponse; close: () => void }>();
  withCore((core) =>
    core.changes.subscribe((changes: ChangeEvent[]) => {
      const frame = `event: change\ndata: ${JSON.stringify(changes)}\n\n`;
      for (const s of streams) s.res.write(frame);
    }),
  );
  withCore((core) =>
    core.sessions.onEnded((tokens) => {
      const ended = new Set(tokens);
      for (const s of streams)
        if (ended.has(s.token)) {
          s.res.write(`event: session-ended\ndata: {}\n\n`);
          s.close();
        }
    }),
  );
  app.get('/api/events', (req: FastifyRequest, reply: FastifyReply) => {
    const token = req.cookies[SESSION_COOKIE] ?? '';
    const core = current();
    if (!core) return notReady(reply);
    if (!core.sessions.peek(token)) return reply.code(401).send(errorBody('UNAUTHENTICATED', '尚未登录或登录已失效，请重新登录'));
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ version: APP_VERSION })}\n\n`);
    const timer = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const stream = {
      token,
      res,
      close: () => {
        clearInterval(timer);
        streams.delete(stream);
        res.end();
      },
    };
    streams.add(stream);
    (req.raw as IncomingMessage).on('close', () => {
      clearInterval(timer);
      streams.delete(stream);
    });
  });
  app.addHook('preClose', async () => {
    hostClosed = true;
    for (const off of cleanups.splice(0)) off();
    for (const s of [...streams]) s.close();
  });

  if (opts.rendererDir && existsSync(opts.rendererDir)) {
    await app.register(fastifyStatic, { root: opts.rendererDir, index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('界面尚未构建：请先运行 npm run build，再运行 npm run web'),
    );
  }
  return app;
}

/**
 * The answer while the core starts: 503 `STARTING` with the step running (the page shows it on the login screen
 * and asks again), or the reason when the database could not be opened at all.
 */
function notReadyAnswer(startup: CoreStartup): { status: number; body: ReturnType<typeof errorBody> } {
  if (startup.failure) return { status: 500, body: errorBody('INTERNAL', startup.failure) };
  const state = startup.state();
  return {
    status: STATUS_OF.STARTING,
    body: errorBody('STARTING', `系统正在启动(${state.label.replace(/…$/, '')})，请稍候，完成后即可使用`, { ...state }),
  };
}

function tooLargeMessage(limit: number): string {
  return `请求内容过大(上限 ${Math.round(limit / 1024)} KB)`;
}

export function versionMessage(clientVersion: string | undefined): string {
  return clientVersion
    ? `程序版本不一致：本机是 ${clientVersion}，服务器需要 ${APP_VERSION}。请安装与服务器相同的版本后再保存`
    : `无法确认程序版本：服务器需要 ${APP_VERSION}，请使用相同版本的程序`;
}

/** Every error code has its HTTP status here (a new code that is missing is a compile error, never a silent 500). */
const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  SESSION_LOCKED: 401,
  ACCOUNT_LOCKED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_CALL: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RULE: 422,
  READ_ONLY: 503,
  STARTING: 503,
  INTERNAL: 500,
};

function statusOf(code: string): number {
  return STATUS_OF[code as ErrorCode] ?? 500;
}

/** Starts the loopback host on 127.0.0.1 (port 0 picks a free one) and returns its URL. */
export async function startHost(opts: HostOptions): Promise<{ url: string; app: FastifyInstance }> {
  const app = await createHost(opts);
  const address = await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  return { url: address.replace('localhost', '127.0.0.1'), app };
}
