import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { request } from 'node:http';
import { startHost, SESSION_COOKIE } from '../../../electron/host/server';
import { openTestCore } from '../../helpers/core';
import type { Core } from '../../../electron/core/core';

describe('Node host: the same API over HTTP', () => {
  let core: Core;
  let url: string;
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  const headers = { 'content-type': 'application/json', 'x-incubase-client': '1' };
  const post = (name: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${url}/api/${name}`, { method: 'POST', headers: { ...headers, ...extra }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    const t = await openTestCore({ seed: 'demo' });
    core = t.core;
    cleanup = t.cleanup;
    ({ url, app } = await startHost({ core }));
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('logs in with an HttpOnly SameSite=Strict cookie and never returns the token in the body', async () => {
    const res = await post('auth.login', { username: 'admin', password: 'Demo@2026' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain(`${SESSION_COOKIE}=`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const body = await res.json();
    expect(JSON.stringify(body)).not.toContain(cookie.split(';')[0].split('=')[1]);
    const me = await post('auth.me', {}, { cookie: cookie.split(';')[0] });
    expect((await me.json()).data.user.username).toBe('admin');
    const out = await post('auth.logout', {}, { cookie: cookie.split(';')[0] });
    expect(out.headers.get('set-cookie')).toContain(`${SESSION_COOKIE}=;`);
    expect((await post('auth.me', {}, { cookie: cookie.split(';')[0] })).status).toBe(401);
  });

  it('refuses malformed JSON, wrong types, oversized bodies and unknown calls with typed Chinese errors', async () => {
    const bad = await post('auth.login', '{"username": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/JSON/);
    const wrongType = await post('auth.login', { username: 42, password: ['x'] });
    expect(wrongType.status).toBe(400);
    const wt = await wrongType.json();
    expect(wt.error.code).toBe('VALIDATION');
    expect(wt.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(wt)).not.toMatch(/at .*\.ts:\d+/);
    const huge = await post('auth.login', { username: 'a', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const unknown = await post('nope.nothing', {});
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('UNKNOWN_CALL');
  });

  it('answers only loopback host names and requests from its own client', async () => {
    // A DNS-rebinding page reaches 127.0.0.1 under a foreign host name (fetch cannot set Host: use node:http).
    const port = Number(new URL(url).port);
    const foreignStatus = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/system.status', method: 'POST', headers: { ...headers, host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(foreignStatus).toBe(403);
    const noHeader = await fetch(`${url}/api/system.status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noHeader.status).toBe(403);
    const form = await fetch(`${url}/api/system.status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-incubase-client': '1' }, body: 'a=1' });
    expect(form.status).toBe(415);
  });
});
