import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { generateHubKeyPair } from '../../../electron/core/submission/package/keys';
import { importsDir } from '../../../electron/core/submission/importService';
import { sample } from '../../unit/submission/fixtures';
import { openHub } from './helpers';
import { signedPackage } from './zipcraft';

/**
 * Properly signed packages from a registered hub whose content is still wrong: refused at the federation
 * with the table, row and field named, nothing written, and the other files of the same import go on.
 */
describe('import refusals of signed packages with bad content', () => {
  const key = generateHubKeyPair();
  let f: Awaited<ReturnType<typeof openHub>>;

  const jsonl = (rows: unknown[]) => Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  const upload = (name: string, zip: Buffer) => ({ name, base64: zip.toString('base64') });
  async function counts() {
    const r = await sql<{ p: number; r: number; o: number }>`SELECT (SELECT count(*) FROM sub_packages) AS p, (SELECT count(*) FROM sub_records) AS r,
      (SELECT count(*) FROM sub_package_origins) AS o`.execute(f.core.db);
    return r.rows[0];
  }

  beforeAll(async () => {
    f = await openHub('锦江区社区社会组织联合会', '510104', 'county');
    const keyFile = {
      format: 'incubase-hub-key',
      hubId: 'hub-a',
      hubName: '测试街道孵化基地',
      regionCode: '510104002000',
      level: 'township',
      publicKeyPem: key.publicKeyPem,
      fingerprint: key.fingerprint,
    };
    await f.call('submission.hubs.register', { keyFile: JSON.stringify(keyFile), contact: '', note: '' });
  });
  afterAll(async () => f?.cleanup());

  it('refuses a package listing the same record twice, naming both rows, and imports the next file', async () => {
    const orgs = sample('hub-a').organizations;
    const dup = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [{ name: 'data/organizations.jsonl', data: jsonl([orgs[0], orgs[1], orgs[0]]) }],
      packageId: 'pkg-dup',
    });
    const good = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [{ name: 'data/organizations.jsonl', data: jsonl(orgs) }],
      createdAt: '2026-10-08T03:00:00.000Z',
    });
    const before = await counts();
    const res = await f.call('submission.packages.import', { files: [upload('dup.incubase', dup.zip), upload('good.incubase', good.zip)] });
    expect(res[0]).toMatchObject({ fileName: 'dup.incubase', status: 'refused', packageId: null });
    expect(res[0].message).toBe('数据表“organizations”第 3 行的全局编号 hub-a:o1 与第 1 行重复');
    expect(res[1]).toMatchObject({ fileName: 'good.incubase', status: 'imported' });
    const after = await counts();
    expect(after).toEqual({ p: before.p + 1, r: before.r + orgs.length, o: before.o + 1 });
    // Only the imported file is kept as received.
    expect(readdirSync(importsDir(f.dataDir))).toEqual(['pkg-crafted.incubase']);
  });

  it('refuses a record that does not fit its table, naming the row and the field, and writes nothing', async () => {
    const entries = sample('hub-a').custody_entries.map((e, i) => (i === 1 ? { ...e, amountFen: 12.5 } : e));
    const bad = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [{ name: 'data/custody_entries.jsonl', data: jsonl(entries) }],
      packageId: 'pkg-bad-amount',
      createdAt: '2026-10-08T04:00:00.000Z',
    });
    const before = await counts();
    const [r] = await f.call('submission.packages.import', { files: [upload('bad.incubase', bad.zip)] });
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/^数据表“custody_entries”第 2 行不合规：字段 amountFen：/);
    expect(await counts()).toEqual(before);
    expect(existsSync(`${importsDir(f.dataDir)}/pkg-bad-amount.incubase`)).toBe(false);
  });
});
