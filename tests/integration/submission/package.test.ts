import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { generateHubKeyPair, publicKeyFingerprint, publicKeyPemOf, signBytes, verifyBytes } from '../../../electron/core/submission/package/keys';
import { buildPackage } from '../../../electron/core/submission/package/writer';
import { verifyPackage, type RefusalKind, type VerifyOptions } from '../../../electron/core/submission/package/verify';
import { craftZip, readEntries, sha256, signedPackage } from './zipcraft';
import { isFingerprint } from '@shared/submission/fingerprint';
import { buildSubmissionPackage } from '../../../electron/core/submission/package/build';
import { readWorkbookSheet } from '../../../electron/core/submission/package/workbook';
import { sample } from '../../unit/submission/fixtures';

const hubKey = generateHubKeyPair();
const otherKey = generateHubKeyPair();
const trust: VerifyOptions = { resolveKeys: (id) => (id === 'hub-a' ? [{ publicKeyPem: hubKey.publicKeyPem }] : undefined) };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'incubase-pkg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const orgs = [
  { gid: 'hub-a:org-1', name: '幸福社区舞蹈队', creditCode: null, class: 'guided' },
  { gid: 'hub-a:org-2', name: '阳光志愿服务社', creditCode: '53640000MJX173672F', class: 'registered', note: '含\n换行和"引号"' },
];
const entries = Array.from({ length: 1200 }, (_, i) => ({ gid: `hub-a:je-${i}`, orgGid: 'hub-a:org-2', amountFen: 1000 + i, date: '2026-08-01' }));

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('社会组织分类统计');
  ws.addRow(['管理类别', '数量']);
  ws.addRow(['依法登记', 1]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function goodPackage(name = 'good.incubase', extra: Partial<Parameters<typeof buildPackage>[0]> = {}) {
  return buildPackage({
    outPath: join(dir, name),
    hub: { hubId: 'hub-a', hubName: '锦江区某街道孵化基地', regionCode: '510104002000', level: 'township' },
    period: '2026-Q3',
    tables: [
      { name: 'organizations', records: orgs },
      { name: 'custody_entries', records: (async function* () { yield* entries; })() },
      { name: 'attendances', records: [] },
    ],
    workbook: await workbook(),
    privateKeyPem: hubKey.privateKeyPem,
    now: new Date('2026-10-08T02:00:00Z'),
    ...extra,
  });
}

async function expectRefused(bytes: Buffer | string, kind: RefusalKind, text: RegExp, opts: Partial<VerifyOptions> = {}) {
  const before = await readdir(dir);
  const err = await verifyPackage(bytes, { ...trust, collect: true, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'package should be refused').not.toBeNull();
  const e = err as { kind: RefusalKind; message: string; code: string };
  expect(e.message).toMatch(text);
  expect(e.kind).toBe(kind);
  expect(e.code).toBe('VALIDATION');
  expect(e.message.startsWith('上报包未通过校验：')).toBe(true);
  // Nothing was extracted or written beside the package.
  expect(await readdir(dir)).toEqual(before);
}

describe('hub keys', () => {
  it('generates SM2 keys (the default) with a grouped SM3 fingerprint and signs exact bytes', () => {
    expect(hubKey.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(hubKey.algorithm).toBe('SM2');
    expect(isFingerprint(hubKey.fingerprint)).toBe(true);
    expect(hubKey.fingerprint).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(publicKeyFingerprint(hubKey.publicKeyPem)).toBe(hubKey.fingerprint);
    expect(publicKeyPemOf(hubKey.privateKeyPem)).toBe(hubKey.publicKeyPem);
    expect(hubKey.fingerprint).not.toBe(otherKey.fingerprint);
    const msg = Buffer.from('清单');
    const sig = signBytes(msg, hubKey.privateKeyPem);
    expect(verifyBytes(msg, sig, hubKey.publicKeyPem)).toBe(true);
    expect(verifyBytes(Buffer.from('清单 '), sig, hubKey.publicKeyPem)).toBe(false);
    expect(verifyBytes(msg, sig, otherKey.publicKeyPem)).toBe(false);
  });
});

describe('package round trip', () => {
  it('builds, verifies and gives back the same records', async () => {
    const built = await goodPackage();
    expect(built.manifest.recordCounts).toEqual({ organizations: 2, custody_entries: 1200, attendances: 0 });
    expect(Object.keys(built.manifest.entries).sort()).toEqual([
      'data/attendances.jsonl',
      'data/custody_entries.jsonl',
      'data/organizations.jsonl',
      'tables.xlsx',
    ]);
    expect(await readdir(dir)).toContain('good.incubase');
    expect((await readdir(dir)).some((n) => n.endsWith('.part'))).toBe(false);
    const v = await verifyPackage(built.outPath, { ...trust, collect: true, collectWorkbook: true, expectedPeriod: '2026-Q3' });
    expect(v.manifest.packageId).toBe(built.manifest.packageId);
    expect(v.manifestSha256).toBe(built.manifestSha256);
    expect(v.verifiedFingerprint).toBe(hubKey.fingerprint);
    expect(v.records.get('organizations')).toEqual(orgs);
    expect(v.records.get('custody_entries')).toEqual(entries);
    expect(v.records.get('attendances')).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(v.workbook! as unknown as ArrayBuffer);
    expect(wb.getWorksheet('社会组织分类统计')!.getCell('A2').value).toBe('依法登记');
    // The manifest inside is exactly the signed bytes.
    const inside = await readEntries(await readFile(built.outPath));
    expect(inside.find((e) => e.name === 'manifest.json')!.data.equals(built.manifestBytes)).toBe(true);
  });

  it('refuses records without a global id and leaves no file behind', async () => {
    await expect(
      buildPackage({
        outPath: join(dir, 'bad.incubase'),
        hub: { hubId: 'hub-a', hubName: 'x', regionCode: '510104002000', level: 'township' },
        period: '2026-Q3',
        tables: [{ name: 'organizations', records: [{ gid: 'hub-a:1' }, { name: 'no gid' }] }],
        privateKeyPem: hubKey.privateKeyPem,
        now: new Date('2026-10-08T02:00:00Z'),
      }),
    ).rejects.toThrow(/第 2 条记录缺少有效的全局编号/);
    const names = await readdir(dir);
    expect(names.filter((n) => n.startsWith('bad.incubase'))).toEqual([]);
  });
});

describe('refusals of altered packages', () => {
  let good: Buffer;
  let parts: { name: string; data: Buffer }[];
  beforeAll(async () => {
    const built = await goodPackage('base.incubase');
    good = await readFile(built.outPath);
    parts = await readEntries(good);
    await rm(built.outPath);
  });
  const repack = (change: (p: { name: string; data: Buffer }[]) => { name: string; data: Buffer }[]) =>
    craftZip(change(parts.map((p) => ({ ...p }))).map((p) => ({ name: p.name, data: p.data })));

  it('accepts the untouched re-pack (the helper itself changes nothing that matters)', async () => {
    const v = await verifyPackage(repack((p) => p), trust);
    expect(v.manifest.recordCounts.organizations).toBe(2);
  });
  it('a changed record (same size) fails the checksum', async () => {
    const bytes = repack((p) =>
      p.map((e) => (e.name === 'data/custody_entries.jsonl' ? { ...e, data: Buffer.from(e.data.toString().replace('"amountFen":1000,', '"amountFen":9000,')) } : e)),
    );
    await expectRefused(bytes, 'tampered', /custody_entries\.jsonl”的校验值与清单不符/);
  });
  it('an appended record fails the size check', async () => {
    const bytes = repack((p) =>
      p.map((e) => (e.name === 'data/organizations.jsonl' ? { ...e, data: Buffer.concat([e.data, Buffer.from('{"gid":"hub-a:x"}\n')]) } : e)),
    );
    await expectRefused(bytes, 'tampered', /organizations\.jsonl”的大小\(\d+ 字节\)与清单\(\d+ 字节\)不符/);
  });
  it('an extra entry is refused', async () => {
    const bytes = repack((p) => [...p, { name: 'data/secret.jsonl', data: Buffer.from('{"gid":"hub-a:1"}\n') }]);
    await expectRefused(bytes, 'tampered', /清单未列出的条目“data\/secret\.jsonl”/);
  });
  it('a missing entry is refused', async () => {
    await expectRefused(repack((p) => p.filter((e) => e.name !== 'tables.xlsx')), 'tampered', /缺少清单列出的条目“tables\.xlsx”/);
  });
  it('an unsigned package is refused', async () => {
    await expectRefused(repack((p) => p.filter((e) => e.name !== 'manifest.sig')), 'unsigned', /未签名/);
  });
  it('a changed manifest no longer matches its signature', async () => {
    const bytes = repack((p) =>
      p.map((e) => (e.name === 'manifest.json' ? { ...e, data: Buffer.from(e.data.toString().replace('"organizations": 2', '"organizations": 3')) } : e)),
    );
    await expectRefused(bytes, 'bad-signature', /签名无效/);
  });
  it('a package re-signed with another key is refused, naming both fingerprints', async () => {
    const bytes = repack((p) =>
      p.map((e) => (e.name === 'manifest.sig' ? { ...e, data: Buffer.from(`${signBytes(parts.find((x) => x.name === 'manifest.json')!.data, otherKey.privateKeyPem).toString('base64')}\n`) } : e)),
    );
    await expectRefused(bytes, 'bad-signature', new RegExp(`登记的指纹 ${hubKey.fingerprint}`));
  });
  it('a package from an unregistered hub is refused', async () => {
    await expectRefused(good, 'unknown-hub', /“锦江区某街道孵化基地”\(编号 hub-a\)未登记/, { resolveKeys: () => undefined });
  });
  it('a package for another period is refused when a period is expected', async () => {
    await expectRefused(good, 'period', /报送期不符：包内为 2026-Q3，应为 2026-Q4/, { expectedPeriod: '2026-Q4' });
  });
  it('a truncated file is not a zip', async () => {
    await expectRefused(good.subarray(0, good.length - 30), 'not-zip', /不是有效的 zip/);
    await expectRefused(Buffer.from('这不是压缩包'), 'not-zip', /不是有效的 zip/);
  });
  it('a garbage signature file is refused', async () => {
    await expectRefused(repack((p) => p.map((e) => (e.name === 'manifest.sig' ? { ...e, data: Buffer.from('abc') } : e))), 'bad-signature', /manifest\.sig 格式错误/);
  });
});

describe('refusals of properly signed but wrong packages', () => {
  const orgLine = Buffer.from('{"gid":"hub-a:1","name":"甲"}\n');
  it('an unsupported schema version', async () => {
    const { zip } = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'data/organizations.jsonl', data: orgLine }], manifestPatch: { schemaVersion: 99 } });
    await expectRefused(zip, 'schema', /数据结构版本 99 不受支持/);
  });
  it('a newer format version', async () => {
    const { zip } = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [], manifestPatch: { formatVersion: 7 } });
    await expectRefused(zip, 'schema', /格式版本 7 高于本软件支持的版本/);
  });
  it('a malformed or not yet begun period', async () => {
    let p = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [], period: '2026-Q9' });
    await expectRefused(p.zip, 'manifest', /period/);
    p = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [], period: '2027' });
    await expectRefused(p.zip, 'period', /报送期 2027 尚未开始/);
  });
  it('a record count that does not match the lines', async () => {
    const { zip } = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'data/organizations.jsonl', data: orgLine }], recordCounts: { organizations: 5 } });
    await expectRefused(zip, 'tampered', /有 1 条记录，清单为 5 条/);
  });
  it('a record line without a global id, or not JSON', async () => {
    let p = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'data/organizations.jsonl', data: Buffer.from('{"name":"无编号"}\n') }] });
    await expectRefused(p.zip, 'tampered', /第 1 行缺少有效的全局编号/);
    p = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'data/organizations.jsonl', data: Buffer.from('{"gid":"hub-a:1"}\n{oops\n') }] });
    await expectRefused(p.zip, 'tampered', /第 2 行不是有效的 JSON/);
  });
  it('a manifest naming a file outside the layout', async () => {
    const { zip } = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'notes.txt', data: Buffer.from('x') }] });
    await expectRefused(zip, 'manifest', /不允许的条目“notes\.txt”/);
  });
});

describe('refusals of unsafe archives', () => {
  const manifestStub = { name: 'manifest.json', data: Buffer.from('{}') };
  it.each([
    ['../evil', /“\.\.”，会逃出目标文件夹/],
    ['data/../../evil.jsonl', /“\.\.”/],
    ['/etc/cron.d/evil', /绝对路径/],
    ['C:/Windows/evil.dll', /盘符/],
    ['data\\..\\..\\evil', /反斜杠/],
    ['data/', /文件夹/],
  ])('zip-slip name %j', async (name, reason) => {
    await expectRefused(craftZip([manifestStub, { name, data: Buffer.from('x') }]), 'unsafe', reason);
  });
  it('a symbolic link', async () => {
    const link = { name: 'data/organizations.jsonl', data: Buffer.from('/etc/passwd'), method: 0 as const, externalAttributes: (0o120777 << 16) >>> 0 };
    await expectRefused(craftZip([manifestStub, link]), 'unsafe', /符号链接/);
  });
  it('a directory flagged by attributes', async () => {
    await expectRefused(craftZip([manifestStub, { name: 'data', data: Buffer.alloc(0), externalAttributes: 0x10 }]), 'unsafe', /文件夹/);
  });
  it('duplicate entry names', async () => {
    await expectRefused(craftZip([manifestStub, { ...manifestStub }]), 'unsafe', /“manifest\.json”重复出现/);
    await expectRefused(craftZip([manifestStub, { name: 'MANIFEST.json', data: Buffer.from('{}') }]), 'unsafe', /重复出现/);
  });
  it('a local header name different from the central directory', async () => {
    await expectRefused(craftZip([{ ...manifestStub, localName: '../manifest.json' }]), 'unsafe', /本地文件头名称与目录不一致/);
  });
  it('a name with an undeclared code page', async () => {
    await expectRefused(craftZip([{ name: Buffer.from([0x64, 0xc4, 0xe3]), data: Buffer.from('x'), utf8: false }]), 'unsafe', /非 ASCII/);
  });
  it('an encrypted entry', async () => {
    await expectRefused(craftZip([{ ...manifestStub, flags: 0x1 }]), 'unsafe', /已加密/);
  });
  it('too many entries', async () => {
    const many = Array.from({ length: 4100 }, (_, i) => ({ name: `data/t${i}.jsonl`, data: Buffer.from('') }));
    await expectRefused(craftZip(many), 'too-many-entries', /条目过多\(4100 个，上限 4096\)/);
  });
  it('an entry declaring more than the cap is refused before inflating', async () => {
    const big = { name: 'data/organizations.jsonl', data: Buffer.from('{"gid":"hub-a:1"}\n'), declaredSize: 0xfffffff0 };
    await expectRefused(craftZip([manifestStub, big]), 'too-large', /声明的解压大小 4294967280 字节超过上限 1048576/, {
      limits: { maxEntryBytes: 1024 * 1024 },
    });
  });
  it('a zip bomb manifest (declared tiny, inflates huge) is stopped while inflating', async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const bomb = { name: 'manifest.json', data: zeros, declaredSize: 200 };
    const sig = { name: 'manifest.sig', data: Buffer.from('x') };
    await expectRefused(craftZip([bomb, sig]), 'too-large', /manifest\.json”解压后超过/);
  });
  it('a zip bomb data entry inside a validly signed package is stopped at the declared size', async () => {
    const real = Buffer.alloc(50 * 1024 * 1024, 0x20);
    // Listed and declared as 100 bytes everywhere, but the deflated stream holds 50 MiB.
    const { zip } = signedPackage({
      privateKeyPem: hubKey.privateKeyPem,
      payload: [{ name: 'tables.xlsx', data: real, listedSize: 100, listedSha: sha256(real.subarray(0, 100)), raw: { declaredSize: 100 } }],
    });
    expect(zip.length).toBeLessThan(200 * 1024);
    await expectRefused(zip, 'too-large', /“tables\.xlsx”解压后超过/);
  });
  it('an entry whose true size exceeds the global cap is stopped while inflating', async () => {
    const real = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const { zip } = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'tables.xlsx', data: real }] });
    await expectRefused(zip, 'too-large', /超过上限 2097152/, { limits: { maxEntryBytes: 2 * 1024 * 1024 } });
  });
  it('a package file above the size cap is refused before opening', async () => {
    const path = join(dir, 'huge.incubase');
    await writeFile(path, Buffer.alloc(4096));
    await expectRefused(path, 'too-large', /上报包文件过大/, { limits: { maxPackageBytes: 1000 } });
    expect((await stat(path)).size).toBe(4096);
    await rm(path);
  });
  it('deflate data that is corrupt is reported as damaged', async () => {
    const { zip } = signedPackage({ privateKeyPem: hubKey.privateKeyPem, payload: [{ name: 'data/organizations.jsonl', data: Buffer.from('{"gid":"hub-a:1"}\n') }] });
    // Flip a byte inside the compressed data of the first entry (it starts after the 30-byte header and name).
    const at = 30 + 'data/organizations.jsonl'.length + 2;
    const corrupt = Buffer.from(zip);
    corrupt[at] ^= 0xff;
    await expectRefused(corrupt, 'tampered', /organizations\.jsonl/);
  });
});

describe('submission package from records', () => {
  it('round trip: records, standard tables in the workbook, measures', async () => {
    const data = sample('hub-a');
    const built = await buildSubmissionPackage({
      outPath: join(dir, 'records.incubase'),
      hub: { hubId: 'hub-a', hubName: '锦江区某街道孵化基地', regionCode: '510104002000', level: 'township' },
      period: '2026-Q3',
      sources: { ...data, venues: undefined, bookings: undefined },
      privateKeyPem: hubKey.privateKeyPem,
      now: new Date('2026-10-08T02:00:00Z'),
      validate: true,
    });
    // Tables without a source are left out, not sent empty.
    expect(Object.keys(built.manifest.recordCounts)).toEqual(['organizations', 'incubation_events', 'custody_entries', 'training_sessions', 'attendances', 'activities']);
    expect(built.measures.custodyBalanceFen).toBe(377551);
    const v = await verifyPackage(built.outPath, { ...trust, collect: true, collectWorkbook: true });
    for (const t of Object.keys(built.manifest.recordCounts) as (keyof typeof data)[]) expect(v.records.get(t)).toEqual(data[t]);
    const rows = await readWorkbookSheet(v.workbook!, '代管资金按来源');
    expect(rows[1]).toEqual(['资金来源', '期初余额(元)', '本期收入(元)', '本期支出(元)', '期末余额(元)']);
    expect(rows.slice(2)).toEqual([
      ['政府购买服务', '5,000.00', '0.00', '1,234.50', '3,765.50'],
      ['社会捐赠', '0.00', '10.01', '0.00', '10.01'],
      ['合计', '5,000.00', '10.01', '1,234.50', '3,775.51'],
    ]);
    const cover = await readWorkbookSheet(v.workbook!, '说明');
    expect(cover.find((r) => r[0] === '报送期')).toEqual(['报送期', '2026年第3季度']);
  });
  it('refuses a record that does not match its table schema, naming table, row and field', async () => {
    const data = sample('hub-a');
    data.custody_entries[2] = { ...data.custody_entries[2], amountFen: 10.5 };
    await expect(
      buildSubmissionPackage({
        outPath: join(dir, 'invalid.incubase'),
        hub: { hubId: 'hub-a', hubName: 'x', regionCode: '510104002000', level: 'township' },
        period: '2026-Q3',
        sources: { custody_entries: data.custody_entries },
        privateKeyPem: hubKey.privateKeyPem,
        now: new Date('2026-10-08T02:00:00Z'),
        validate: true,
      }),
    ).rejects.toThrow(/表“custody_entries”第 3 条记录不合规：字段「金额\(分\)」/);
    expect((await readdir(dir)).some((n) => n.startsWith('invalid'))).toBe(false);
  });
});
