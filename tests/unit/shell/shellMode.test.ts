import { describe, expect, it } from 'vitest';
import { ensureCertificate, fingerprintOf } from '../../../electron/host/certificate';
import { CERT_ACCEPT, CERT_DEFAULT, CERT_REJECT, certificateVerdict, mayNavigate, shellPlan } from '../../../electron/node/shellMode';
import { tempDir } from '../../helpers/core';

const client = (url: string, fingerprint: string) => ({ mode: 'client' as const, serverPort: 5443, client: { url, fingerprint, pinnedAt: '2026-12-01T08:00:00Z' } });

describe('what the desktop shell does in each work mode', () => {
  it('单机 and 办公室服务器 start the core (the server also serves on its port); 连接到服务器 loads the pinned server without the preload', () => {
    expect(shellPlan({ mode: 'standalone', serverPort: 5443, client: null })).toMatchObject({ startCore: true, serve: null, window: { url: 'app', preload: true } });
    expect(shellPlan({ mode: 'server', serverPort: 6000, client: null })).toMatchObject({ startCore: true, serve: { port: 6000 }, window: { preload: true } });
    const fp = 'AB'.repeat(32);
    const plan = shellPlan(client('192.168.1.20', fp));
    expect(plan).toMatchObject({ mode: 'client', startCore: false, window: { url: 'https://192.168.1.20:5443/', preload: false } });
    expect(plan.mode === 'client' && plan.pin).toMatchObject({ origin: 'https://192.168.1.20:5443', hostname: '192.168.1.20' });
    // A client without a pinned server (a damaged file) works standalone rather than loading nothing.
    expect(shellPlan({ mode: 'client', serverPort: 5443, client: null }).mode).toBe('standalone');
  });

  it('the pinned server is accepted with exactly its certificate, refused with any other; other hosts get Chromium’s own check', async () => {
    const dirA = tempDir('incubase-cert-a-');
    const dirB = tempDir('incubase-cert-b-');
    const [a, b] = await Promise.all([ensureCertificate(dirA), ensureCertificate(dirB)]);
    expect(fingerprintOf(a.cert)).toBe(a.fingerprint);
    const plan = shellPlan(client('https://hub-server:5443', a.fingerprint.toLowerCase()));
    const pin = plan.mode === 'client' ? plan.pin : null;
    expect(certificateVerdict({ hostname: 'hub-server', certificatePem: a.cert }, pin)).toBe(CERT_ACCEPT);
    expect(certificateVerdict({ hostname: 'HUB-SERVER', certificatePem: a.cert }, pin)).toBe(CERT_ACCEPT);
    expect(certificateVerdict({ hostname: 'hub-server', certificatePem: b.cert }, pin)).toBe(CERT_REJECT);
    expect(certificateVerdict({ hostname: 'hub-server', certificatePem: 'not a certificate' }, pin)).toBe(CERT_REJECT);
    expect(certificateVerdict({ hostname: 'updates.example.cn', certificatePem: b.cert }, pin)).toBe(CERT_DEFAULT);
    expect(certificateVerdict({ hostname: 'hub-server', certificatePem: a.cert }, null)).toBe(CERT_DEFAULT);
  }, 60_000);

  it('the window stays on the app’s own pages, or in client mode on the pinned server', () => {
    const plan = shellPlan(client('hub-server', 'AB'.repeat(32)));
    const pin = plan.mode === 'client' ? plan.pin : null;
    expect(mayNavigate('app://incubase/index.html', 'app://incubase', null)).toBe(true);
    expect(mayNavigate('https://hub-server:5443/organizations', 'app://incubase', pin)).toBe(true);
    expect(mayNavigate('https://hub-server:5444/', 'app://incubase', pin)).toBe(false);
    expect(mayNavigate('https://evil.example/', 'app://incubase', pin)).toBe(false);
    expect(mayNavigate('https://hub-server:5443/', 'app://incubase', null)).toBe(false);
    expect(mayNavigate('not a url', 'app://incubase', pin)).toBe(false);
  });
});
