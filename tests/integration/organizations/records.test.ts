import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { openDemoCore, refusal, loginAs } from '../../helpers/core';
import { attachmentPath } from '../../../electron/core/organizations/documents';
import { todayInChina, addDays } from '@shared/dates/parse';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
});
afterAll(async () => {
  await t.cleanup();
});

const base = { name: '测试邻里守望志愿服务队', mgmtClass: 'filed' as const, street: '玉林街道', community: '玉林北路社区', leaderName: '王小明', leaderPhone: '13800138000', memberCount: 6 };

describe('organization records', () => {
  it('creates, reads back with filing warnings, and finds it by pinyin initials, phone tail and code', async () => {
    const { id } = await t.call('organizations.create', { input: base, incubation: { apply: true } });
    const d = await t.call('organizations.get', { id });
    expect(d.input.name).toBe(base.name);
    expect(d.incubationStage).toBe('applied');
    expect(d.history).toHaveLength(1);
    expect(d.filingWarnings).toEqual(['固定成员 6 人,少于备案条件要求的 10 人', '没有固定活动时间', '没有固定活动场所']);
    for (const search of ['csllsw', 'ceshilinli', '8000', '王小明']) {
      const r = await t.call('organizations.list', { startRow: 0, endRow: 50, search });
      expect(r.rows.map((x) => x.id), search).toContain(id);
    }
  });

  it('refuses a wrong code naming the position, a duplicate code, and keeps a pilot code only when confirmed', async () => {
    const wrong = await refusal(t.core, 'organizations.create', { input: { ...base, name: '代码错误的组织', mgmtClass: 'registered', registeredKind: 'foundation', creditCode: '53640000MJX173672G' } }, t.token);
    expect(wrong.code).toBe('VALIDATION');
    expect(wrong.message).toContain('第18位校验码应为 F');
    expect(wrong.details).toMatchObject({ needsConfirmation: true });

    const reg = { ...base, name: '宁夏某基金会', mgmtClass: 'registered' as const, registeredKind: 'foundation' as const, creditCode: '53640000MJX173672F' };
    await t.call('organizations.create', { input: reg });
    const dup = await refusal(t.core, 'organizations.create', { input: { ...reg, name: '另一个组织' } }, t.token);
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toContain('已被「宁夏某基金会」使用');

    const pilot = { ...base, name: '试点代码组织', mgmtClass: 'registered' as const, registeredKind: 'social_group' as const, creditCode: '91350211M00013FA1N' };
    expect((await refusal(t.core, 'organizations.create', { input: pilot }, t.token)).message).toContain('第18位校验码应为 3');
    const { id } = await t.call('organizations.create', { input: { ...pilot, creditCodeConfirmed: true } });
    const d = await t.call('organizations.get', { id });
    expect(d.input.creditCodeConfirmed).toBe(true);
    expect(d.creditCodeConfirmedBy).toBe('张丽(孵化专员)');
    expect(d.creditCodeNotes[0]).toBe('第18位校验码应为 3(已核对证书确认保留)');
    const listed = await t.call('organizations.list', { startRow: 0, endRow: 10, quick: { confirmedCode: true } });
    expect(listed.rows.map((r) => r.id)).toContain(id);

    const check = await t.call('organizations.checkCode', { code: '53640000mjx173672f' });
    expect(check).toMatchObject({ status: 'valid', kindLabel: '基金会', duplicateOf: { name: '宁夏某基金会' } });
  });

  it('refuses a stale update and lets viewers only read', async () => {
    const { id } = await t.call('organizations.create', { input: { ...base, name: '版本测试组织' } });
    const d = await t.call('organizations.get', { id });
    const { version } = await t.call('organizations.update', { id, version: d.version, input: { ...d.input, memberCount: 12 } });
    expect(version).toBe(d.version + 1);
    const stale = await refusal(t.core, 'organizations.update', { id, version: d.version, input: d.input }, t.token);
    expect(stale.code).toBe('CONFLICT');
    const viewer = await loginAs(t.core, 'zhaoqiang');
    expect((await refusal(t.core, 'organizations.update', { id, version, input: d.input }, viewer)).code).toBe('FORBIDDEN');
    const audit = await t.core.db.selectFrom('audit_log').select('summary').where('entity_id', '=', id).orderBy('id').execute();
    expect(audit.map((a) => a.summary)).toEqual(['新建组织「版本测试组织」', '修改组织「版本测试组织」:成员人数']);
  });

  it('runs incubation transitions by the table, keeps history immutable, and withdrawal keeps the record', async () => {
    const today = todayInChina(t.core.now());
    const { id } = await t.call('organizations.create', { input: { ...base, name: '孵化流程组织' }, incubation: { apply: true, date: addDays(today, -30) } });
    const skip = await refusal(t.core, 'organizations.transition', { orgId: id, to: 'graduated', date: today, decidedBy: '李明', reason: '跳级' }, t.token);
    expect(skip.message).toContain('不能从"申请"变为"出壳"');
    const noMentor = await refusal(t.core, 'organizations.transition', { orgId: id, to: 'incubating', date: today, decidedBy: '李明', reason: 'x' }, t.token);
    expect(noMentor.message).toContain('不能从"申请"变为"孵化中"');
    await t.call('organizations.transition', { orgId: id, to: 'admitted', date: addDays(today, -20), decidedBy: '李明', reason: '评审通过', mode: 'physical', space: 'A-01' });
    const missing = await refusal(t.core, 'organizations.transition', { orgId: id, to: 'incubating', date: addDays(today, -10), decidedBy: '李明', reason: '签协议' }, t.token);
    expect(missing.issues?.map((i) => i.path)).toEqual(['mentor', 'agreementStart', 'agreementEnd']);
    await t.call('organizations.transition', {
      orgId: id,
      to: 'incubating',
      date: addDays(today, -10),
      decidedBy: '李明',
      reason: '签订孵化协议',
      mentor: '周老师',
      agreementStart: addDays(today, -10),
      agreementEnd: addDays(today, 700),
    });
    await t.call('organizations.withdraw', { id, date: today, reason: '组织解散' });
    const d = await t.call('organizations.get', { id });
    expect(d.status).toBe('withdrawn');
    expect(d.withdrawnReason).toBe('组织解散');
    expect(d.history.map((h) => h.toStage)).toEqual(['applied', 'admitted', 'incubating', 'withdrawn']);
    expect(d.mentor).toBe('周老师');
    await expect(t.core.db.updateTable('org_incubation_events').set({ reason: 'x' }).where('org_id', '=', id).execute()).rejects.toThrow('孵化记录不可修改');
    expect((await refusal(t.core, 'organizations.transition', { orgId: id, to: 'graduated', date: today, decidedBy: 'x', reason: 'y' }, t.token)).message).toContain('已退出台账');
  });

  it('enforces the major-activity rule when marking held', async () => {
    const today = todayInChina(t.core.now());
    const { id: orgId } = await t.call('organizations.create', { input: { ...base, name: '活动测试组织' } });
    const past = addDays(today, -1);
    const saved = await t.call('organizations.activities.save', { orgId, title: '社区邻里节', seriesCode: 'S01', kindCode: 'K05', date: past, expectedAttendance: 50, peopleServed: [] });
    expect(saved).toMatchObject({ isMajor: true, majorReasons: ['活动类型为节庆活动'] });
    const held = await refusal(t.core, 'organizations.activities.setStatus', { id: saved.id, status: 'held' }, t.token);
    expect(held.code).toBe('RULE');
    expect(held.message).toContain('没有重大活动报告');
    const attention = await t.call('organizations.activities.list', { attention: true, orgId, startRow: 0, endRow: 10 });
    expect(attention.rows.map((r) => [r.id, r.reportStatus])).toEqual([[saved.id, 'overdue']]);
    // a report filed on the day itself is late: still refused
    await t.call('organizations.activities.fileReport', { id: saved.id, filedDate: past, note: '报街道备案' });
    expect((await refusal(t.core, 'organizations.activities.setStatus', { id: saved.id, status: 'held' }, t.token)).message).toContain('之前提交');
    await t.call('organizations.activities.fileReport', { id: saved.id, filedDate: addDays(today, -5), note: '报街道备案' });
    await t.call('organizations.activities.setStatus', { id: saved.id, status: 'held', actualAttendance: 60 });
    const after = await t.call('organizations.activities.list', { orgId, startRow: 0, endRow: 10 });
    expect(after.rows[0]).toMatchObject({ status: 'held', reportStatus: 'filed', actualAttendance: 60 });
    const org = await t.call('organizations.get', { id: orgId });
    expect(org.activityCount).toBe(1);
    expect(org.lastActivityDate).toBe(past);
    // the database refuses it too, whatever the caller
    const small = await t.call('organizations.activities.save', { orgId, title: '大型集会', seriesCode: 'S02', kindCode: 'K01', date: past, expectedAttendance: 500, peopleServed: [] });
    await expect(t.core.db.updateTable('org_activities').set({ status: 'held' }).where('id', '=', small.id).execute()).rejects.toThrow();
  });

  it('grades evaluations with the configured bands and keeps the latest grade on the record', async () => {
    const { id: orgId } = await t.call('organizations.create', { input: { ...base, name: '评估测试组织' } });
    const year = Number(todayInChina(t.core.now()).slice(0, 4)) - 1;
    const r = await t.call('organizations.evaluations.save', { orgId, year, scores: { basic: 28.5, activities: 27, contribution: 18, influence: 17 }, evaluator: '评估委员会' });
    expect(r).toMatchObject({ total: 90.5, grade: '5A' });
    const bad = await refusal(t.core, 'organizations.evaluations.save', { orgId, year, scores: { basic: 31, activities: 1, contribution: 1, influence: 1 } }, t.token);
    expect(bad.message).toContain('基本条件得分应在 0 到 30 之间');
    await t.call('organizations.evaluations.save', { orgId, year, scores: { basic: 20, activities: 20, contribution: 15, influence: 10 } });
    const list = await t.call('organizations.evaluations.list', { orgId });
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]).toMatchObject({ total: 65, grade: '2A' });
    expect((await t.call('organizations.get', { id: orgId })).latestGrade).toBe('2A');
  });

  it('stores attachments under their SHA-256, once, and reports and disclosures', async () => {
    const { id: orgId } = await t.call('organizations.create', { input: { ...base, name: '附件测试组织' } });
    const bytes = Buffer.from('章程全文……第一条 本组织名称为附件测试组织。');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const a = await t.call('organizations.attachments.upload', { orgId, file: { name: '章程.txt', base64: bytes.toString('base64') } });
    expect(a).toMatchObject({ sha256: sha, size: bytes.length, fileName: '章程.txt', uploadedBy: '张丽(孵化专员)' });
    expect(existsSync(attachmentPath(t.core.dataDir, sha))).toBe(true);
    await t.call('organizations.attachments.upload', { orgId, file: { name: '章程副本.txt', base64: bytes.toString('base64') } });
    expect(await t.call('organizations.attachments.list', { orgId })).toHaveLength(2);
    const back = await t.call('organizations.attachments.download', { id: a.id });
    expect(Buffer.from(back.base64, 'base64').equals(bytes)).toBe(true);
    await t.call('organizations.reports.create', { orgId, kind: 'work_report', date: todayInChina(t.core.now()), title: '第三季度工作报告' });
    await t.call('organizations.reports.create', { orgId, kind: 'disclosure', date: todayInChina(t.core.now()), title: '经费公示', content: '收入 0 元' });
    const reports = await t.call('organizations.reports.list', { orgId });
    expect(reports.map((r) => [r.kind, r.recipient])).toEqual(expect.arrayContaining([['work_report', '村(社区)"两委"'], ['disclosure', null]]));
  });

  it('filters, sorts and groups in SQL', async () => {
    const all = await t.call('organizations.list', { startRow: 0, endRow: 500 });
    const filed = await t.call('organizations.list', {
      startRow: 0,
      endRow: 500,
      filterModel: { mgmtClass: { filterType: 'enum', values: ['filed'] }, memberCount: { filterType: 'number', type: 'greaterThanOrEqual', filter: 20 } },
      sortModel: [{ colId: 'memberCount', sort: 'desc' }],
    });
    expect(filed.total).toBe(all.rows.filter((r) => r.mgmtClass === 'filed' && (r.memberCount ?? 0) >= 20).length);
    const counts = filed.rows.map((r) => r.memberCount!);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const byName = await t.call('organizations.list', { startRow: 0, endRow: 500, sortModel: [{ colId: 'name', sort: 'asc' }] });
    expect(byName.rows.length).toBe(all.total);
    const groups = await t.call('organizations.groupCounts', { by: 'street' });
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(all.total);
    const overdue = await t.call('organizations.list', { startRow: 0, endRow: 500, quick: { overdue: true } });
    expect(overdue.rows.every((r) => r.overdue)).toBe(true);
    expect(all.rows.filter((r) => r.overdue).length).toBe(overdue.total);
    const board = await t.call('organizations.board', { perStage: 200 });
    expect(board.columns.find((c) => c.stage === 'incubating')!.overdue).toBe(all.rows.filter((r) => r.overdue && r.incubationStage === 'incubating').length);
  });
});
