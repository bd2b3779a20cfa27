import { describe, expect, it } from 'vitest';
import { join, normalize } from 'node:path';
import { CONTENT_SECURITY_POLICY, createWindowOptions, resolveAppFile } from '../../../electron/main/windowOptions';

describe('Electron window options', () => {
  it('turns on isolation and the sandbox and keeps Node out of the page', () => {
    const o = createWindowOptions('/app/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('restores the remembered size within sane bounds', () => {
    expect(createWindowOptions('p', { bounds: { width: 1500, height: 900, x: 10, y: 20 } })).toMatchObject({ width: 1500, height: 900, x: 10, y: 20 });
    expect(createWindowOptions('p', { bounds: { width: 50, height: 99999 } })).toMatchObject({ width: 1000, height: 3000 });
    expect(createWindowOptions('p')).toMatchObject({ width: 1366, height: 860, x: undefined });
  });

  it('has a strict content security policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('serves only files inside the renderer folder', () => {
    const root = '/opt/incubase/out/renderer';
    expect(resolveAppFile(root, 'app://incubase/', join, normalize)).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://incubase/assets/a.js', join, normalize)).toBe(join(root, 'assets/a.js'));
    // Whatever the URL parser or the decoder makes of dot segments, the result stays inside the root.
    for (const evil of ['app://incubase/%2e%2e/%2e%2e/etc/passwd', 'app://incubase/..%2F..%2Fsecret', 'app://incubase/a/..%5C..%5C..%5Cx']) {
      const r = resolveAppFile(root, evil, join, normalize);
      if (r !== null) expect(r.startsWith(root + '/')).toBe(true);
    }
    expect(resolveAppFile(root, 'app://incubase/..%2F..%2Fsecret', join, normalize)).toBeNull();
    expect(resolveAppFile(root, 'app://evil/index.html', join, normalize)).toBeNull();
    expect(resolveAppFile(root, 'app://incubase/a%00.js', join, normalize)).toBeNull();
  });
});
