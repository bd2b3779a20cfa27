import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { refusal, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';
import { addOrganizations, openHub } from './helpers';
import { generateHubKeyPair } from '../../../electron/core/submission/package/keys';


describe('submission CLI: key, register, build, verify, import (folder), list', () => {
  it('runs the whole exchange between two data folders with exit codes', async () => {
    const hub = await openHub('红牌楼街道孵化基地', '510107011', 'township');
    const fed = await openHub('武侯区联合会', '510107', 'county');
    await addOrganizations(hub.core, [{ id: 'h1', name: '红牌楼社区书画社' }]);
    const hubDir = hub.dataDir;
    const fedDir = fed.dataDir;
    // Each CLI run opens its hub: the folder, and on PostgreSQL the hub's database.
    const at = (dir: string, url: string | null) => ['--data-dir', dir, ...(url ? ['--database', url] : [])];
    const hubAt = at(hubDir, hub.core.databaseUrl);
    const fedAt = at(fedDir, fed.core.databaseUrl);
    await hub.core.close();
    await fed.core.close();
    const work = tempDir('incubase-cli-');
    const key = cli('submission:key', ...hubAt, '--out', join(work, 'key.json'));
    expect(key.code).toBe(0);
    expect(key.out).toMatch(/公钥指纹：([0-9A-F]{4} ){15}[0-9A-F]{4}/);
    expect(cli('submission:register', join(work, 'key.json'), ...fedAt).code).toBe(0);
    const period = '2026-Q3';
    const build = cli('submission:build', '--period', period, ...hubAt, '--out', join(work, 'in', 'a.incubase'));
    expect(build.code).toBe(0);
    expect(build.out).toContain('organizations 1');
    // A second file in the folder that is not a package of a registered hub.
    mkdirSync(join(work, 'in'), { recursive: true });
    writeFileSync(join(work, 'in', 'b.incubase'), 'not a zip');
    const verify = cli('submission:verify', join(work, 'in'), ...fedAt);
    expect(verify.code).toBe(2);
    // Per package: hub, period, algorithms, key fingerprint, verdict.
    expect(verify.out).toMatch(/a\.incubase\n {2}单位：红牌楼街道孵化基地\(编号 [^)]+\)\n {2}报送期：2026-Q3\(2026年第3季度\)\n {2}算法：SM2 签名 \+ SM3 摘要\n {2}密钥指纹：([0-9A-F]{4} ){15}[0-9A-F]{4}\n {2}结论：通过 {2}校验通过/);
    expect(verify.out).toMatch(/b\.incubase\n {2}单位：-\n {2}报送期：-\n {2}算法：-\n {2}密钥指纹：-\n {2}结论：拒绝 {2}文件不是有效的 zip/);
    expect(verify.out).toContain('共 2 个文件，通过 1 个，拒绝 1 个');
    const imp = cli('submission:import', join(work, 'in'), ...fedAt);
    expect(imp.code).toBe(2);
    expect(imp.out).toContain('共 2 个文件，拒绝 1 个');
    copyFileSync(join(work, 'in', 'a.incubase'), join(work, 'again.incubase'));
    const again = cli('submission:import', join(work, 'again.incubase'), ...fedAt);
    expect(again.code).toBe(0);
    expect(again.out).toContain('跳过(已导入)');
    const list = cli('submission:list', ...fedAt);
    expect(list.out).toMatch(/2026-Q3 {2}有效 {2}乡镇 {2}红牌楼街道孵化基地/);
    expect(cli('submission:build', ...hubAt).code).toBe(2);
    await hub.cleanup().catch(() => undefined);
    await fed.cleanup().catch(() => undefined);
  }, 180_000);
});

describe('member organizations and dues', () => {
  let f: Awaited<ReturnType<typeof openHub>>;
  beforeAll(async () => {
    f = await openHub('武侯区联合会', '510107', 'county');
  });
  afterAll(async () => f?.cleanup());

  it('keeps members with their yearly dues, payments and what is owed; payments are never rewritten', async () => {
    const { id } = await f.call('submission.memberOrgs.save', {
      name: '武侯区志愿者协会',
      creditCode: '53640000mjx173672f',
      joinedOn: '2024-03-01',
      annualDuesFen: 200000,
    });
    const bad = await refusal(f.core, 'submission.memberOrgs.save', { name: '错误代码协会', creditCode: '53640000MJX173672A', joinedOn: '2024-03-01', annualDuesFen: 0 }, f.token);
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toContain('统一社会信用代码“53640000MJX173672A”有误');
    const dup = await refusal(f.core, 'submission.memberOrgs.save', { name: '重复的协会', creditCode: '53640000MJX173672F', joinedOn: '2024-03-01', annualDuesFen: 0 }, f.token);
    expect(dup.code).toBe('CONFLICT');
    await f.call('submission.dues.record', { memberOrgId: id, year: 2026, amountFen: 50000, paidOn: '2026-03-10', receiptNo: 'HF001' });
    let [row] = await f.call('submission.memberOrgs.list', { year: 2026 });
    expect(row).toMatchObject({ name: '武侯区志愿者协会', creditCode: '53640000MJX173672F', paidFen: 50000, owedFen: 150000 });
    await f.call('submission.dues.record', { memberOrgId: id, year: 2026, amountFen: 150000, paidOn: '2026-06-10', receiptNo: 'HF002' });
    [row] = await f.call('submission.memberOrgs.list', { year: 2026 });
    expect(row.owedFen).toBe(0);
    expect(row.payments).toHaveLength(2);
    // Before joining nothing is owed.
    [row] = await f.call('submission.memberOrgs.list', { year: 2023 });
    expect(row.owedFen).toBe(0);
    await expect(sql`UPDATE sub_member_dues SET amount_fen = 1`.execute(f.core.db)).rejects.toThrow(/会费缴纳记录不可修改/);
    const zero = await refusal(f.core, 'submission.dues.record', { memberOrgId: id, year: 2026, amountFen: 0, paidOn: '2026-06-10' }, f.token);
    expect(zero.code).toBe('VALIDATION');
    const audit = await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log WHERE entity IN ('member_org', 'member_dues')`.execute(f.core.db);
    expect(audit.rows[0].n).toBe(3);
  });

  it('refuses a key file that was altered, or that is the hub’s own', async () => {
    const key = await f.call('submission.exportKey', {});
    const own = await refusal(f.core, 'submission.hubs.register', { keyFile: Buffer.from(key.base64, 'base64').toString('utf8') }, f.token);
    expect(own.message).toContain('本单位自己的公钥');
    const json = JSON.parse(Buffer.from(key.base64, 'base64').toString('utf8'));
    json.fingerprint = json.fingerprint.replace(/^..../, '0000');
    const altered = await refusal(f.core, 'submission.hubs.register', { keyFile: JSON.stringify(json) }, f.token);
    expect(altered.message).toContain('指纹与公钥不符');
    const viewer = await refusal(f.core, 'submission.hubs.register', { keyFile: '{}' }, null);
    expect(viewer.code).toBe('UNAUTHENTICATED');
  });

  it('registers only hubs below this one: inside its region and at a lower level', async () => {
    const keyFile = (hubId: string, hubName: string, regionCode: string, level: string, k = generateHubKeyPair()) =>
      JSON.stringify({ format: 'incubase-hub-key', hubId, hubName, regionCode, level, publicKeyPem: k.publicKeyPem, fingerprint: k.fingerprint });
    const before = (await f.call('submission.hubs.list', {})).length;
    const elsewhere = await refusal(f.core, 'submission.hubs.register', { keyFile: keyFile('h-jj', '锦江区某街道', '510104002000', 'township') }, f.token);
    expect(elsewhere.code).toBe('RULE');
    expect(elsewhere.message).toBe('“锦江区某街道”(乡镇级，区划 510104002000)不在本单位“武侯区联合会”(县级，区划 510107000000)的辖区之下，不能登记为下级单位');
    const sameLevel = await refusal(f.core, 'submission.hubs.register', { keyFile: keyFile('h-wh', '武侯区孵化基地', '510107000000', 'county') }, f.token);
    expect(sameLevel.message).toContain('不在本单位“武侯区联合会”(县级，区划 510107000000)的辖区之下');
    const above = await refusal(f.core, 'submission.hubs.register', { keyFile: keyFile('h-cd', '成都市联合会', '510100000000', 'city') }, f.token);
    expect(above.code).toBe('RULE');
    expect((await f.call('submission.hubs.list', {})).length).toBe(before);

    const village = await f.call('submission.hubs.register', { keyFile: keyFile('h-v', '锦城社区服务站', '510107001005', 'village'), contact: '', note: '' });
    // A new key that would move the hub out of the region is refused; the registration stays as it was.
    const moved = await refusal(f.core, 'submission.hubs.update', { id: village.id, keyFile: keyFile('h-v', '锦城社区服务站', '510104001005', 'village') }, f.token);
    expect(moved.message).toContain('不能登记为下级单位');
    const [row] = (await f.call('submission.hubs.list', {})).filter((h) => h.hubId === 'h-v');
    expect(row).toMatchObject({ regionCode: '510107001005', fingerprint: village.fingerprint });
  });
});
