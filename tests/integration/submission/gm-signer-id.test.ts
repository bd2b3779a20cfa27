import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { generateHubKeyPair, loadPublicKey } from '../../../electron/core/submission/package/keys';
import { buildPackage } from '../../../electron/core/submission/package/writer';
import { verifyPackage } from '../../../electron/core/submission/package/verify';
import { craftZip, readEntries } from './zipcraft';

/**
 * Issue 16: the SM2 signature uses the default user id 1234567812345678 "unless set". A package signed with another
 * id says so in `algorithms.signerId`, verifies under that id (also with sm-crypto-v2, independently of the
 * package engine), and no longer verifies once the declared id is changed or dropped.
 */
let dir: string;
const key = generateHubKeyPair();
const trust = { resolveKeys: (id: string) => (id === 'hub-id' ? [{ publicKeyPem: key.publicKeyPem }] : undefined) };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'incubase-signer-id-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const build = (name: string, signerId?: string) =>
  buildPackage({
    outPath: join(dir, name),
    hub: { hubId: 'hub-id', hubName: '青羊区某街道孵化基地', regionCode: '510105002000', level: 'township' },
    period: '2026-Q3',
    tables: [{ name: 'organizations', records: [{ gid: 'hub-id:org-1', name: '邻里互助会' }] }],
    privateKeyPem: key.privateKeyPem,
    now: new Date('2026-10-08T02:00:00Z'),
    signerId,
  });

describe('SM2 signer id (GB/T 32918 Z_A)', () => {
  it('signs with 1234567812345678 when none is set and does not write it into the manifest', async () => {
    const built = await build('default.incubase');
    expect(built.manifest.algorithms).toEqual({ digest: 'SM3', signature: 'SM2-with-SM3' });
    const pub = loadPublicKey(key.publicKeyPem).sm2Hex!;
    expect(sm2.doVerifySignature(built.manifestBytes, built.signature.toString('hex'), pub, { hash: true, der: true, userId: '1234567812345678' })).toBe(true);
    const v = await verifyPackage(built.outPath, trust);
    expect(v.algorithms.signerId).toBeUndefined();
  });

  it('signs with a set id, declares it, and verifies under it only', async () => {
    const built = await build('alice.incubase', 'ALICE123@YAHOO.COM');
    expect(built.manifest.algorithms).toEqual({ digest: 'SM3', signature: 'SM2-with-SM3', signerId: 'ALICE123@YAHOO.COM' });
    const pub = loadPublicKey(key.publicKeyPem).sm2Hex!;
    const sigHex = built.signature.toString('hex');
    expect(sm2.doVerifySignature(built.manifestBytes, sigHex, pub, { hash: true, der: true, userId: 'ALICE123@YAHOO.COM' })).toBe(true);
    expect(sm2.doVerifySignature(built.manifestBytes, sigHex, pub, { hash: true, der: true, userId: '1234567812345678' })).toBe(false);
    const v = await verifyPackage(built.outPath, trust);
    expect(v.algorithms.signerId).toBe('ALICE123@YAHOO.COM');

    // The declared id is inside the signed manifest: changing it (or dropping it for the default) breaks the signature.
    const parts = await readEntries(await readFile(built.outPath));
    for (const change of [(t: string) => t.replace('ALICE123@YAHOO.COM', 'BOB12345@YAHOO.COM'), (t: string) => t.replace(/,\s*"signerId": "ALICE123@YAHOO.COM"/, '')]) {
      const altered = craftZip(parts.map((p) => (p.name === 'manifest.json' ? { name: p.name, data: Buffer.from(change(p.data.toString('utf8'))) } : { name: p.name, data: p.data })));
      const text = parts.find((p) => p.name === 'manifest.json')!.data.toString('utf8');
      expect(change(text)).not.toBe(text);
      await expect(verifyPackage(altered, trust)).rejects.toMatchObject({ kind: 'bad-signature' });
    }
  });
});
