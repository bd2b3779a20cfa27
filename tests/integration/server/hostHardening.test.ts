import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHost } from '../../../electron/host/server';
import { openTestCore, tempDir } from '../../helpers/core';
import type { Core } from '../../../electron/core/core';

/** Issue 17 host items: chunked bodies past the per-call limit, traversal probes, anti-framing headers. */
describe('host hardening', () => {
  let core: Core;
  let url: string;
  let port: number;
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestCore({ seed: 'demo' });
    core = t.core;
    cleanup = t.cleanup;
    const rendererDir = tempDir('incubase-renderer-');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
    ({ url, app } = await startHost({ core, rendererDir }));
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  function raw(path: string, opts: { method?: string; headers?: Record<string, string>; chunks?: Buffer[] } = {}) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? resolve({ status: -1, headers: {}, body: '' }) : reject(e)));
      for (const c of opts.chunks ?? []) req.write(c);
      req.end();
    });
  }

  it('counts a chunked body as it streams and refuses it at the per-call limit with 413 and a Chinese message', async () => {
    // auth.login's limit is the default 1 MiB; the host-wide limit is the upload one (64 MiB). No content-length.
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const body = [Buffer.from('{"username":"admin","password":"'), ...Array.from({ length: 8 }, () => chunk), Buffer.from('"}')];
    const res = await raw('/api/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-incubase-client': '1', 'transfer-encoding': 'chunked' },
      chunks: body,
    });
    expect(res.status).toBe(413);
    const parsed = JSON.parse(res.body);
    expect(parsed.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(parsed.error.message).toMatch(/请求内容过大/);
    expect(parsed.error.message).toMatch(/1024 KB/);
  });

  it('still accepts a chunked body under the limit', async () => {
    const res = await raw('/api/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-incubase-client': '1', 'transfer-encoding': 'chunked' },
      chunks: [Buffer.from('{"username":"admin",'), Buffer.from('"password":"Demo@2026"}')],
    });
    expect(res.status).toBe(200);
  });

  it('answers static-file traversal probes with 404/400, never 500', async () => {
    const probes = [
      '/../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/%00',
      '/index.html%00',
      '/..\\..\\windows\\win.ini',
      '/%5c..%5c..%5cetc',
      '//etc/passwd',
      '/a/../../etc/passwd',
      '/assets/../../../etc/passwd',
      '/index.html/..',
      '/%',
      '/%ff',
      '/%c0%ae%c0%ae/',
    ];
    for (const p of probes) {
      const res = await raw(p);
      expect([400, 404], `${p} → ${res.status} ${res.body.slice(0, 80)}`).toContain(res.status);
      expect(res.body).not.toContain('root:');
      if (res.body.startsWith('{')) expect(JSON.parse(res.body).error.message, p).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await raw('/assets/a.js')).status).toBe(200);
  });

  it('sends anti-framing and nosniff headers on pages and API answers', async () => {
    for (const res of [await raw('/'), await raw('/assets/a.js'), await raw('/api/system.status', { method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' }, chunks: [Buffer.from('{}')] }), await raw('/nope')]) {
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
