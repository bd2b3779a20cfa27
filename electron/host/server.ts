import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { callDef, isCallName, DEFAULT_MAX_BODY_BYTES, UPLOAD_MAX_BODY_BYTES } from '@shared/contract';
import type { Core } from '../core/core';

export const SESSION_COOKIE = 'incubase_session';
/** The renderer's client sends this header; a cross-site form or image cannot, and we answer no CORS preflight. */
export const CSRF_HEADER = 'x-incubase-client';

export interface HostOptions {
  core: Core;
  /** Folder of the built renderer (out/renderer); omitted in API-only tests. */
  rendererDir?: string;
  port?: number;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/**
 * The Node host: the same typed API as the Electron preload, over HTTP on 127.0.0.1, plus the built renderer.
 * `POST /api/<call>` with a JSON body; the session lives in an HttpOnly SameSite=Strict cookie.
 */
export async function createHost(opts: HostOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: UPLOAD_MAX_BODY_BYTES });
  await app.register(fastifyCookie);

  // DNS-rebinding guard: only loopback names may address this server.
  app.addHook('onRequest', async (req, reply) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      return reply.code(403).send({ ok: false, error: { code: 'FORBIDDEN', message: '只允许本机访问' } });
    }
  });

  app.setErrorHandler((err: { statusCode?: number; code?: string }, _req, reply) => {
    const tooLarge = err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const badJson = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.statusCode === 400;
    const status = tooLarge ? 413 : badJson ? 400 : err.statusCode === 415 ? 415 : 500;
    const message = tooLarge ? '请求内容过大' : badJson ? '请求格式错误：不是有效的 JSON' : status === 415 ? '请求类型必须是 application/json' : '系统内部错误';
    if (status === 500) opts.core.log('error', 'host error', err);
    reply.code(status).send({ ok: false, error: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL' : 'VALIDATION', message } });
  });

  app.post<{ Params: { call: string } }>('/api/:call', async (req, reply) => {
    if (req.headers[CSRF_HEADER] !== '1') {
      return reply.code(403).send({ ok: false, error: { code: 'FORBIDDEN', message: '请求来源不可信' } });
    }
    const name = req.params.call;
    const limit = isCallName(name) ? (callDef(name).maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) : DEFAULT_MAX_BODY_BYTES;
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > limit) {
      return reply.code(413).send({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: `请求内容过大(上限 ${Math.round(limit / 1024)} KB)` } });
    }
    const token = req.cookies[SESSION_COOKIE] ?? null;
    const result = await opts.core.invoke(name, req.body, token);
    if (result.sessionToken) {
      reply.setCookie(SESSION_COOKIE, result.sessionToken, { httpOnly: true, sameSite: 'strict', path: '/', secure: false });
    }
    if (result.endSession) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const status = result.ok ? 200 : statusOf(result.error!.code);
    return reply.code(status).send(result.ok ? { ok: true, data: result.data } : { ok: false, error: result.error });
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

function statusOf(code: string): number {
  switch (code) {
    case 'VALIDATION':
      return 400;
    case 'UNAUTHENTICATED':
    case 'SESSION_LOCKED':
      return 401;
    case 'ACCOUNT_LOCKED':
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
    case 'UNKNOWN_CALL':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'RULE':
      return 422;
    default:
      return 500;
  }
}

/** Starts the host on 127.0.0.1 (port 0 picks a free one) and returns its URL. */
export async function startHost(opts: HostOptions): Promise<{ url: string; app: FastifyInstance }> {
  const app = await createHost(opts);
  const address = await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  return { url: address.replace('localhost', '127.0.0.1'), app };
}
