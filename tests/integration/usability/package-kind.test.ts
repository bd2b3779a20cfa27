import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubKeyPair } from '../../../electron/core/submission/package/keys';
import { kindWarning } from '../../../electron/core/submission/importService';
import { openHub } from '../submission/helpers';
import { signedPackage, testPackageId } from '../submission/zipcraft';
import { sample } from '../../unit/submission/fixtures';

/**
 * Issue 18: a county hub could send its 本级 package where the 汇总 one was meant. The kind is in the file name
 * (and the manifest), and the upper level's import warns when a county-or-higher hub sends a 本级 package.
 */
describe('本级 vs 汇总', () => {
  const key = generateHubKeyPair();
  let city: Awaited<ReturnType<typeof openHub>>;
  const upload = (name: string, zip: Buffer) => ({ name, base64: zip.toString('base64') });
  const jsonl = (rows: unknown[]) => Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  const county = { hubId: 'hub-c', hubName: '锦江区社会组织孵化基地', regionCode: '510104000000', level: 'county' as const };

  beforeAll(async () => {
    city = await openHub('成都市社会组织联合会', '510100', 'city');
    const keyFile = { format: 'incubase-hub-key', ...county, publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
    await city.call('submission.hubs.register', { keyFile: JSON.stringify(keyFile), contact: '', note: '' });
  });
  afterAll(async () => city?.cleanup());

  it('a 本级 package from a county hub is imported with a warning naming what it lacks', async () => {
    const origin = { hubId: county.hubId, hubName: county.hubName, regionCode: county.regionCode, level: county.level, period: '2026-Q3', packageId: testPackageId(7), createdAt: '2026-10-08T02:00:00.000Z' };
    const own = signedPackage({
      privateKeyPem: key.privateKeyPem,
      hubId: county.hubId,
      hubName: county.hubName,
      packageId: testPackageId(7),
      payload: [{ name: 'data/organizations.jsonl', data: jsonl(sample('hub-c').organizations.map((o) => ({ ...o, regionCode: '510104002003' }))) }],
      manifestPatch: { regionCode: county.regionCode, level: county.level, origins: [origin] },
    });
    const [r] = await city.call('submission.packages.import', { files: [upload('锦江.incubase', own.zip)] });
    expect(r.status, r.message).toBe('imported');
    expect(r.message).toMatch(/本级上报包/);
    expect(r.warning).toMatch(/“锦江区社会组织孵化基地”是县级单位，本次收到的是它的本级上报包.*不含其下级单位.*汇总上报包/);
  });

  it('no warning for a township 本级 package or any 汇总 package', () => {
    expect(kindWarning({ kind: 'hub', level: 'township', hubName: '街道' })).toBeNull();
    expect(kindWarning({ kind: 'consolidated', level: 'county', hubName: '区' })).toBeNull();
    expect(kindWarning({ kind: 'hub', level: 'city', hubName: '市' })).toMatch(/市级单位/);
  });

  it('the 本级 file name says 本级', async () => {
    const c = await openHub('锦江区社会组织孵化基地', '510104', 'county');
    try {
      const checks = await c.call('submission.checks', { period: '2026-Q3' });
      const r = await c.call('submission.build', { period: '2026-Q3', confirm: checks.items.map((i) => i.code) });
      expect(r.file.fileName).toMatch(/^锦江区社会组织孵化基地-本级-2026-Q3-.+\.incubase$/);
    } finally {
      await c.cleanup();
    }
  });
});
