import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { generateHubKeyPair, signBytes } from '../../../electron/core/submission/package/keys';
import { encodeSignature } from '../../../electron/core/submission/package/writer';
import { verifyPackage } from '../../../electron/core/submission/package/verify';
import { sample } from '../../unit/submission/fixtures';
import { addOrganizations, fileOf, openHub } from './helpers';
import { craftZip, readEntries, signedPackage, testPackageId } from './zipcraft';
import { serializeManifest, type Manifest } from '@shared/submission/manifest';
import { sm3Hex } from '../../../electron/core/submission/package/digest';

type Hub = Awaited<ReturnType<typeof openHub>>;
const jsonl = (rows: unknown[]) => Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
const registerKeyFile = async (upper: Hub, lower: Hub) => {
  const key = await lower.call('submission.exportKey', {});
  return upper.call('submission.hubs.register', { keyFile: Buffer.from(key.base64, 'base64').toString('utf8'), contact: '', note: '' });
};

/**
 * Issue 16: new packages are SM2/SM3 (format 2), old Ed25519/SHA-256 ones still import, a federation's consolidated
 * package carries each member's original signed package so the level above verifies every member, and a key
 * rotation signed by the old key is accepted by the level above.
 */
describe('SM2 packages along the chain, mixed with old Ed25519 ones', () => {
  let a: Hub; // township with the new software (SM2)
  let county: Hub;
  let city: Hub;
  const oldKey = generateHubKeyPair('Ed25519'); // a township still on the old software
  let consolidated: { name: string; base64: string };

  beforeAll(async () => {
    a = await openHub('玉林街道孵化基地', '510107001', 'township');
    county = await openHub('武侯区社会组织联合会', '510107', 'county');
    city = await openHub('成都市社会组织联合会', '510100', 'city');
    await addOrganizations(a.core, [{ id: 'a1', name: '阳光志愿服务社', mgmtClass: 'registered' }]);
    await registerKeyFile(county, a);
    await county.call('submission.hubs.register', {
      keyFile: JSON.stringify({ format: 'incubase-hub-key', hubId: 'old-hub', hubName: '簇桥街道孵化基地', regionCode: '510107002000', level: 'township', publicKeyPem: oldKey.publicKeyPem, fingerprint: oldKey.fingerprint }),
      contact: '',
      note: '',
    });
    await registerKeyFile(city, county);
  });
  afterAll(async () => {
    await Promise.all([a?.cleanup(), county?.cleanup(), city?.cleanup()]);
  });

  it('builds new packages with SM3 digests and an SM2 signature, and says so in the manifest', async () => {
    const built = await a.call('submission.build', { period: '2026-Q3', confirm: ['org_no_area'] });
    const entries = await readEntries(Buffer.from(built.file.base64, 'base64'));
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString()) as Manifest;
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.algorithms).toEqual({ digest: 'SM3', signature: 'SM2-with-SM3' });
    const org = entries.find((e) => e.name === 'data/organizations.jsonl')!;
    expect(manifest.entries['data/organizations.jsonl']).toEqual({ sm3: sm3Hex(org.data), size: org.data.length });
    // The signature is DER (GM/T 0009 SM2Signature), not 64 raw bytes.
    const sig = Buffer.from(entries.find((e) => e.name === 'manifest.sig')!.data.toString().trim(), 'base64');
    expect(sig[0]).toBe(0x30);
    const [r] = await county.call('submission.packages.import', { files: [fileOf(built.file)] });
    expect(r.status).toBe('imported');
  });

  it('imports an old Ed25519/SHA-256 package beside it, and refuses its tampered copies as before', async () => {
    const origin = { hubId: 'old-hub', hubName: '簇桥街道孵化基地', regionCode: '510107002000', level: 'township' as const, period: '2026-Q3', packageId: testPackageId(1), createdAt: '2026-10-08T02:00:00.000Z' };
    const old = signedPackage({
      privateKeyPem: oldKey.privateKeyPem,
      hubId: 'old-hub',
      hubName: '簇桥街道孵化基地',
      packageId: testPackageId(1),
      payload: [{ name: 'data/organizations.jsonl', data: jsonl(sample('old-hub').organizations) }],
      manifestPatch: { regionCode: '510107002000', origins: [origin] },
    });
    expect(old.manifest.formatVersion).toBe(1);
    expect(old.manifest.algorithms).toBeUndefined();
    const parts = await readEntries(old.zip);
    const other = generateHubKeyPair('Ed25519');
    const manifestBytes = parts.find((p) => p.name === 'manifest.json')!.data;
    const repack = (f: (p: { name: string; data: Buffer }[]) => { name: string; data: Buffer }[]) => craftZip(f(parts.map((p) => ({ ...p }))));
    const cases: [string, Buffer, RegExp][] = [
      ['flipped', repack((p) => p.map((e) => (e.name === 'data/organizations.jsonl' ? { ...e, data: Buffer.from(e.data.toString().replace('组织o1', '组织o9')) } : e))), /校验值与清单不符/],
      ['re-signed', repack((p) => p.map((e) => (e.name === 'manifest.sig' ? { ...e, data: encodeSignature(signBytes(manifestBytes, other.privateKeyPem)) } : e))), /签名无效/],
      ['unsigned', repack((p) => p.filter((e) => e.name !== 'manifest.sig')), /未签名/],
      ['extra', repack((p) => [...p, { name: 'data/venues.jsonl', data: Buffer.from('{"gid":"old-hub:1"}\n') }]), /清单未列出的条目/],
      ['missing', repack((p) => p.filter((e) => e.name !== 'data/organizations.jsonl')), /缺少清单列出的条目/],
    ];
    const res = await county.call('submission.packages.import', { files: [...cases.map(([n, z]) => ({ name: `${n}.incubase`, base64: z.toString('base64') })), { name: 'old.incubase', base64: old.zip.toString('base64') }] });
    cases.forEach(([n, , reason], i) => {
      expect(res[i].status, n).toBe('refused');
      expect(res[i].message, n).toMatch(reason);
    });
    const wrongPeriod = await county.call('submission.packages.import', { files: [{ name: 'old.incubase', base64: old.zip.toString('base64') }], period: '2026-Q2' });
    expect(wrongPeriod[0].message).toMatch(/报送期不符/);
    expect(res.at(-1)!.status).toBe('imported');
    const view = await county.call('submission.consolidated', { period: '2026-Q3', includeOwn: false });
    expect(view.hubs.map((h) => h.name).sort()).toEqual(['玉林街道孵化基地', '簇桥街道孵化基地'].sort());
  });

  it("builds the federation's consolidated package with both members' original signed packages inside", async () => {
    const built = await county.call('submission.consolidated.build', { period: '2026-Q3', confirm: [] });
    consolidated = fileOf(built.file);
    const names = (await readEntries(Buffer.from(consolidated.base64, 'base64'))).map((e) => e.name);
    expect(names.filter((n) => n.startsWith('members/')).length).toBe(4);
    expect(names).toContain(`members/${testPackageId(1)}.incubase`);
  });

  it('the level above verifies the federation and each member, old and new, and imports', async () => {
    const v = await city.call('submission.packages.verify', { file: consolidated });
    expect(v.ok).toBe(true);
    expect(v.algorithms).toBe('SM2 签名 + SM3 摘要');
    expect(v.members!.map((m) => `${m.hubName} ${m.algorithms}`).sort()).toEqual(['玉林街道孵化基地 SM2 签名 + SM3 摘要', '簇桥街道孵化基地 Ed25519 签名 + SHA-256 摘要']);
    const [r] = await city.call('submission.packages.import', { files: [consolidated] });
    expect(r.status).toBe('imported');
  });

  it("refuses a consolidated package whose member's data was changed, even when the federation re-signed it", async () => {
    const countyKey = (await import('../../../electron/core/submission/hubKey')).ensureHubKey(county.dataDir);
    const parts = await readEntries(Buffer.from(consolidated.base64, 'base64'));
    const memberName = `members/${testPackageId(1)}.incubase`;
    const inner = await readEntries(parts.find((p) => p.name === memberName)!.data);
    const badInner = craftZip(inner.map((e) => (e.name === 'data/organizations.jsonl' ? { ...e, data: Buffer.from(e.data.toString().replace('组织o1', '组织o9')) } : e)));
    // The federation's own manifest updated to the changed member and signed again with the federation's real key.
    const manifest = JSON.parse(parts.find((p) => p.name === 'manifest.json')!.data.toString()) as Manifest;
    manifest.entries[memberName] = { sm3: sm3Hex(badInner), size: badInner.length };
    const mBytes = Buffer.from(serializeManifest(manifest), 'utf8');
    const forged = craftZip(
      parts.map((p) =>
        p.name === memberName ? { ...p, data: badInner, method: 0 as const } : p.name === 'manifest.json' ? { ...p, data: mBytes } : p.name === 'manifest.sig' ? { ...p, data: encodeSignature(signBytes(mBytes, countyKey.privateKeyPem)) } : p,
      ),
    );
    const v = await city.call('submission.packages.verify', { file: { name: 'forged.incubase', base64: forged.toString('base64') } });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/下级单位的包 .* 未通过校验：条目“data\/organizations.jsonl”的校验值与清单不符/);
  });

  it('accepts a new key that the registered key signed (rotation), and moves the registration to it', async () => {
    const before = await a.call('submission.status', {});
    const rot = await a.call('submission.rotateKey', {});
    expect(rot.from).toBe(before.fingerprint);
    expect(rot.to).not.toBe(before.fingerprint);
    const built = await a.call('submission.build', { period: '2026-Q3', confirm: ['org_no_area'] });
    const v = await county.call('submission.packages.verify', { file: fileOf(built.file) });
    expect(v).toMatchObject({ ok: true, rotated: true, fingerprint: rot.to });
    const [r] = await county.call('submission.packages.import', { files: [fileOf(built.file)] });
    expect(r.status).toBe('imported');
    const reg = (await county.call('submission.hubs.list', {})).find((h) => h.name === '玉林街道孵化基地')!;
    expect(reg.fingerprint).toBe(rot.to);
    const audit = await sql<{ summary: string }>`SELECT summary FROM audit_log WHERE entity = 'member_hub' ORDER BY id DESC LIMIT 1`.execute(county.core.db);
    expect(audit.rows[0].summary).toContain('密钥轮换证书');
  });

  it('refuses a rotation certificate that a key the federation never registered signed', async () => {
    const stranger = generateHubKeyPair();
    const fresh = generateHubKeyPair();
    const cert = JSON.stringify({ format: 'incubase-key-rotation', hubId: 'old-hub', hubName: '簇桥街道孵化基地', oldFingerprint: stranger.fingerprint, newPublicKeyPem: fresh.publicKeyPem, newFingerprint: fresh.fingerprint, createdAt: '2026-10-08T00:00:00.000Z' });
    const chain = Buffer.from(JSON.stringify({ format: 'incubase-key-rotations', rotations: [{ certificate: cert, signature: signBytes(Buffer.from(cert), stranger.privateKeyPem).toString('base64') }] }));
    const pkg = signedPackage({ privateKeyPem: fresh.privateKeyPem, hubId: 'old-hub', hubName: '簇桥街道孵化基地', packageId: testPackageId(9), createdAt: '2026-10-09T00:00:00.000Z', payload: [{ name: 'data/organizations.jsonl', data: jsonl(sample('old-hub').organizations) }, { name: 'key-rotations.json', data: chain }] });
    const verified = await verifyPackage(pkg.zip, { resolveKeys: (h) => (h === 'old-hub' ? [{ publicKeyPem: oldKey.publicKeyPem }] : undefined) }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(verified).toMatch(/签名无效/);
  });

  it('imports an old Ed25519/SHA-256 package and a new SM2/SM3 one in ONE import at a federation, each verified by its own algorithms', async () => {
    const county2 = await openHub('武侯区社会组织联合会(新)', '510107', 'county');
    try {
      await registerKeyFile(county2, a);
      await county2.call('submission.hubs.register', {
        keyFile: JSON.stringify({ format: 'incubase-hub-key', hubId: 'old-hub', hubName: '簇桥街道孵化基地', regionCode: '510107002000', level: 'township', publicKeyPem: oldKey.publicKeyPem, fingerprint: oldKey.fingerprint }),
        contact: '',
        note: '',
      });
      const origin = { hubId: 'old-hub', hubName: '簇桥街道孵化基地', regionCode: '510107002000', level: 'township' as const, period: '2026-Q3', packageId: testPackageId(21), createdAt: '2026-10-08T03:00:00.000Z' };
      const old = signedPackage({
        privateKeyPem: oldKey.privateKeyPem,
        hubId: 'old-hub',
        hubName: '簇桥街道孵化基地',
        packageId: testPackageId(21),
        createdAt: '2026-10-08T03:00:00.000Z',
        payload: [{ name: 'data/organizations.jsonl', data: jsonl(sample('old-hub').organizations) }],
        manifestPatch: { regionCode: '510107002000', origins: [origin] },
      });
      const built = await a.call('submission.build', { period: '2026-Q3', confirm: ['org_no_area'] });
      const files = [fileOf(built.file), { name: 'old.incubase', base64: old.zip.toString('base64') }];
      const verdicts = await Promise.all(files.map((file) => county2.call('submission.packages.verify', { file })));
      expect(verdicts.map((v) => [v.ok, v.algorithms])).toEqual([
        [true, 'SM2 签名 + SM3 摘要'],
        [true, 'Ed25519 签名 + SHA-256 摘要'],
      ]);
      const res = await county2.call('submission.packages.import', { files, period: '2026-Q3' });
      expect(res.map((r) => r.status)).toEqual(['imported', 'imported']);
      const view = await county2.call('submission.consolidated', { period: '2026-Q3', includeOwn: false });
      expect(view.hubs.map((h) => h.name).sort()).toEqual(['玉林街道孵化基地', '簇桥街道孵化基地'].sort());
    } finally {
      await county2.cleanup();
    }
  });
});
