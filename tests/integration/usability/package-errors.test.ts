import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubKeyPair } from '../../../electron/core/submission/package/keys';
import { openHub } from '../submission/helpers';
import { signedPackage } from '../submission/zipcraft';
import { sample } from '../../unit/submission/fixtures';

/** Issue 18 point 7: package-import errors are Chinese and understandable (no library English, no field codes). */
describe('package-import errors read as Chinese sentences', () => {
  const key = generateHubKeyPair();
  let f: Awaited<ReturnType<typeof openHub>>;
  const upload = (name: string, zip: Buffer) => ({ name, base64: zip.toString('base64') });
  // File names and the format's own entry names may appear; any other Latin word is a leak.
  const english = (m: string) => m.replace(/[\w./-]+\.(incubase|json|jsonl|sig|zip)/g, '').replace(/\bzip\b/g, '').match(/[A-Za-z]{3,}/g);

  beforeAll(async () => {
    f = await openHub('锦江区社区社会组织联合会', '510104', 'county');
    const keyFile = { format: 'incubase-hub-key', hubId: 'hub-a', hubName: '测试街道孵化基地', regionCode: '510104002000', level: 'township', publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
    await f.call('submission.hubs.register', { keyFile: JSON.stringify(keyFile), contact: '', note: '' });
  });
  afterAll(async () => f?.cleanup());

  it('a file that is not a zip, a truncated package and a damaged entry are explained in Chinese', async () => {
    const good = signedPackage({ privateKeyPem: key.privateKeyPem, payload: [{ name: 'data/organizations.jsonl', data: Buffer.from(sample('hub-a').organizations.map((o) => JSON.stringify(o) + '\n').join('')) }] });
    const damaged = Buffer.from(good.zip);
    // flip bytes inside the first entry's compressed data (after its local header)
    for (let i = 60; i < 90; i++) damaged[i] ^= 0x5a;
    const res = await f.call('submission.packages.import', {
      files: [
        upload('文本.incubase', Buffer.from('这不是压缩包，而是一段文字。'.repeat(20))),
        upload('截断.incubase', good.zip.subarray(0, Math.floor(good.zip.length / 2))),
        upload('损坏.incubase', damaged),
      ],
    });
    for (const r of res) {
      expect(r.status).toBe('refused');
      expect(english(r.message), r.message).toBeNull();
    }
    expect(res[0].message).toMatch(/不是.*上报包|不是有效的/);
  });

  it('a record with a wrong field names the field by its Chinese label', async () => {
    const entries = sample('hub-a').custody_entries.map((e, i) => (i === 1 ? { ...e, amountFen: 12.5 } : e));
    const bad = signedPackage({ privateKeyPem: key.privateKeyPem, payload: [{ name: 'data/custody_entries.jsonl', data: Buffer.from(entries.map((e) => JSON.stringify(e) + '\n').join('')) }], createdAt: '2026-10-08T04:00:00.000Z' });
    const [r] = await f.call('submission.packages.import', { files: [upload('bad.incubase', bad.zip)] });
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/第 2 行/);
    expect(english(r.message.replace(/custody_entries/, '')), r.message).toBeNull();
  });
});
