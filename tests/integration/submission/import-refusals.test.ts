import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { generateHubKeyPair } from '../../../electron/core/submission/package/keys';
import { importsDir } from '../../../electron/core/submission/importService';
import { sample } from '../../unit/submission/fixtures';
import { openHub } from './helpers';
import { CRAFTED_PACKAGE_ID, craftZip, readEntries, sha256, signedPackage, testPackageId } from './zipcraft';
import { signBytes } from '../../../electron/core/submission/package/keys';

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
  async function auditRows() {
    return (await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log`.execute(f.core.db)).rows[0].n;
  }
  const keptFiles = () => (existsSync(importsDir(f.dataDir)) ? readdirSync(importsDir(f.dataDir)).sort() : []);

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
      packageId: testPackageId(1),
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
    expect(readdirSync(importsDir(f.dataDir))).toEqual([`${CRAFTED_PACKAGE_ID}.incubase`]);
  });

  it('refuses a record that does not fit its table, naming the row and the field, and writes nothing', async () => {
    const entries = sample('hub-a').custody_entries.map((e, i) => (i === 1 ? { ...e, amountFen: 12.5 } : e));
    const bad = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [{ name: 'data/custody_entries.jsonl', data: jsonl(entries) }],
      packageId: testPackageId(2),
      createdAt: '2026-10-08T04:00:00.000Z',
    });
    const before = await counts();
    const [r] = await f.call('submission.packages.import', { files: [upload('bad.incubase', bad.zip)] });
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/^数据表“custody_entries”\(代管资金分录\)第 2 行不合规：字段「金额\(分\)」/);
    expect(await counts()).toEqual(before);
    expect(existsSync(`${importsDir(f.dataDir)}/${testPackageId(2)}.incubase`)).toBe(false);
  });

  it('refuses a field its table does not have and a table this software does not know, naming table, row and field', async () => {
    const orgs = sample('hub-a').organizations;
    const extraField = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [{ name: 'data/organizations.jsonl', data: jsonl(orgs.map((o, i) => (i === 2 ? { ...o, secretNote: '夹带的数据' } : o))) }],
      packageId: testPackageId(11),
      createdAt: '2026-10-08T04:10:00.000Z',
    });
    const unknownTable = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [
        { name: 'data/organizations.jsonl', data: jsonl(orgs) },
        { name: 'data/bank_accounts.jsonl', data: jsonl([{ gid: 'hub-a:acct-1', number: '6222 0000 0000' }]) },
      ],
      packageId: testPackageId(12),
      createdAt: '2026-10-08T04:20:00.000Z',
    });
    const before = { rows: await counts(), files: keptFiles() };
    const res = await f.call('submission.packages.import', { files: [upload('extra-field.incubase', extraField.zip), upload('unknown-table.incubase', unknownTable.zip)] });
    expect(res.map((r) => r.status)).toEqual(['refused', 'refused']);
    expect(res[0].message).toBe('数据表“organizations”(社会组织)第 3 行不合规：字段 secretNote 不是表“社会组织”的字段');
    expect(res[1].message).toMatch(/^上报包含本软件不认识的数据表“bank_accounts”\(1 行\)/);
    expect({ rows: await counts(), files: keptFiles() }).toEqual(before);
  });

  it('stores each record as checked against its table, not as the bytes came', async () => {
    const orgs = sample('hub-a').organizations.map((o, i) => (i === 0 ? (({ status: _s, ...rest }) => rest)(o) : o));
    const pkg = signedPackage({
      privateKeyPem: key.privateKeyPem,
      hubId: 'hub-a',
      payload: [{ name: 'data/organizations.jsonl', data: jsonl(orgs) }],
      packageId: testPackageId(13),
      createdAt: '2026-10-08T04:30:00.000Z',
    });
    const [r] = await f.call('submission.packages.import', { files: [upload('defaults.incubase', pkg.zip)] });
    expect(r.status).toBe('imported');
    const stored = await sql<{ data_json: string }>`SELECT data_json FROM sub_records WHERE package_id = ${testPackageId(13)} AND gid = ${orgs[0].gid}`.execute(f.core.db);
    // The schema's default filled in: the record reads the same at every level above.
    expect(JSON.parse(stored.rows[0].data_json)).toEqual({ ...orgs[0], status: 'active' });
  });

  it('refuses every kind of altered or unsafe package in one import, each with its reason, and writes nothing at all', async () => {
    const orgs = sample('hub-a').organizations;
    const base = signedPackage({
      privateKeyPem: key.privateKeyPem,
      payload: [{ name: 'data/organizations.jsonl', data: jsonl(orgs) }],
      packageId: testPackageId(3),
      createdAt: '2026-10-08T05:00:00.000Z',
    });
    const parts = await readEntries(base.zip);
    const repack = (change: (p: { name: string; data: Buffer }[]) => { name: string; data: Buffer }[]) => craftZip(change(parts.map((p) => ({ ...p }))));
    const manifestBytes = parts.find((p) => p.name === 'manifest.json')!.data;
    const other = generateHubKeyPair();
    const stub = { name: 'manifest.json', data: Buffer.from('{}') };
    const spaces = Buffer.alloc(50 * 1024 * 1024, 0x20);

    const cases: [string, Buffer, RegExp][] = [
      ['changed-record', repack((p) => p.map((e) => (e.name === 'data/organizations.jsonl' ? { ...e, data: Buffer.from(e.data.toString().replace('组织o1', '组织o9')) } : e))), /校验值与清单不符/],
      ['extra-entry', repack((p) => [...p, { name: 'data/secret.jsonl', data: Buffer.from('{"gid":"hub-a:1"}\n') }]), /清单未列出的条目/],
      ['unsigned', repack((p) => p.filter((e) => e.name !== 'manifest.sig')), /未签名/],
      ['changed-manifest', repack((p) => p.map((e) => (e.name === 'manifest.json' ? { ...e, data: Buffer.from(e.data.toString().replace('"organizations": 4', '"organizations": 5')) } : e))), /签名无效/],
      ['other-key', repack((p) => p.map((e) => (e.name === 'manifest.sig' ? { ...e, data: Buffer.from(`${signBytes(manifestBytes, other.privateKeyPem).toString('base64')}\n`) } : e))), /签名无效/],
      ['unknown-hub', signedPackage({ privateKeyPem: other.privateKeyPem, hubId: 'hub-z', payload: [], packageId: testPackageId(4) }).zip, /未登记/],
      ['schema-99', signedPackage({ privateKeyPem: key.privateKeyPem, payload: [], packageId: testPackageId(5), manifestPatch: { schemaVersion: 99 } }).zip, /数据结构版本 99 不受支持/],
      ['zip-slip', craftZip([stub, { name: '../evil', data: Buffer.from('x') }]), /逃出目标文件夹/],
      ['absolute', craftZip([stub, { name: '/etc/cron.d/evil', data: Buffer.from('x') }]), /绝对路径/],
      ['symlink', craftZip([stub, { name: 'data/organizations.jsonl', data: Buffer.from('/etc/passwd'), method: 0, externalAttributes: (0o120777 << 16) >>> 0 }]), /符号链接/],
      ['duplicate', craftZip([stub, { ...stub }]), /重复出现/],
      ['too-many', craftZip(Array.from({ length: 4100 }, (_, i) => ({ name: `data/t${i}.jsonl`, data: Buffer.alloc(0) }))), /条目过多/],
      [
        'zip-bomb',
        signedPackage({
          privateKeyPem: key.privateKeyPem,
          packageId: testPackageId(6),
          payload: [{ name: 'tables.xlsx', data: spaces, listedSize: 100, listedSha: sha256(spaces.subarray(0, 100)), raw: { declaredSize: 100 } }],
        }).zip,
        /解压后超过/,
      ],
      ['not-a-zip', Buffer.from('这不是压缩包'), /不是有效的 zip/],
    ];
    const before = { rows: await counts(), audit: await auditRows(), files: keptFiles() };
    const res = await f.call('submission.packages.import', { files: cases.map(([name, zip]) => upload(`${name}.incubase`, zip)) });
    expect(res).toHaveLength(cases.length);
    cases.forEach(([name, , reason], i) => {
      expect(res[i].fileName).toBe(`${name}.incubase`);
      expect(res[i].status, name).toBe('refused');
      expect(res[i].message, name).toMatch(reason);
    });
    expect({ rows: await counts(), audit: await auditRows(), files: keptFiles() }).toEqual(before);
    // The untouched base package is still accepted: each refusal is about the change, not the helper.
    expect((await f.call('submission.packages.import', { files: [upload('base.incubase', base.zip)] }))[0].status).toBe('imported');
  });
});
