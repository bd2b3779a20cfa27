import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { makeIdNumber } from '@shared/training/idNumber';
import { openDemoCore, refusal, loginAs, caller, CallError } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
// The demo clock: sessions "today" can take sign-ins.
const NOW = new Date('2026-03-05T02:00:00Z'); // 10:00 in China
const ID = makeIdNumber('510107', '1988-04-12', 31);

let clock = NOW;

beforeAll(async () => {
  t = await openDemoCore('zhangli', { now: () => clock });
});
afterAll(async () => t?.cleanup());

async function newSession(extra: Record<string, unknown> = {}) {
  return t.call('training.sessions.save', {
    title: '社区社会组织财务管理实务',
    category: 'C03',
    format: 'M01',
    date: '2026-03-05',
    startTime: '09:00',
    minutes: 180,
    trainer: '刘老师',
    capacity: 50,
    venueId: null,
    location: '武侯区社会组织服务中心二楼',
    ...extra,
  });
}

describe('trainees: validation, dedupe and masking', () => {
  it('refuses a bad ID number naming the field', async () => {
    const e = await refusal(t.core, 'training.trainees.save', { name: '张三', phone: '13800138000', idNumber: '110105194912310021', role: 'R06' }, t.token);
    expect(e.code).toBe('VALIDATION');
    expect(e.issues).toEqual([{ path: 'idNumber', message: '身份证号校验位错误：第18位应为“X”，实际为“1”，请核对号码' }]);
  });

  it('stores once, masks for everyone (admins too), reveals only on an audited request, offers the existing person', async () => {
    const a = await t.call('training.trainees.save', { name: '张 三', phone: '138-0013-8000', idNumber: ID, role: 'R06' });
    expect(a).toMatchObject({ name: '张三', phone: '13800138000', idNumber: `510107********${ID.slice(14)}`, idNumberMasked: true });
    const dup = await refusal(t.core, 'training.trainees.save', { name: '张三', phone: '13800138000', role: 'R04' }, t.token);
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toBe('已有同名同电话的学员，已使用已有学员');
    expect((dup.details as { duplicate: { existing: { id: string } } }).duplicate.existing.id).toBe(a.id);
    const byId = await t.call('training.trainees.checkDuplicate', { name: '张叁', phone: null, idNumber: ID.toLowerCase(), role: 'R06' });
    expect(byId).toMatchObject({ kind: 'same', by: 'id_number', existing: { id: a.id } });
    const adminCall = caller(t.core, await loginAs(t.core, 'admin'));
    const seen = await adminCall('training.trainees.get', { id: a.id });
    // Issue 18: the admin saw the whole number where every other screen masked it.
    expect(seen.trainee).toMatchObject({ idNumber: `510107********${ID.slice(14)}`, idNumberMasked: true });
    const list = await adminCall('training.trainees.list', { startRow: 0, endRow: 50, search: '张三' });
    expect(list.rows.find((r) => r.id === a.id)?.idNumber).toBe(`510107********${ID.slice(14)}`);
    expect((await refusal(t.core, 'training.trainees.revealIdNumber', { id: a.id }, t.token)).code).toBe('FORBIDDEN');
    expect(await adminCall('training.trainees.revealIdNumber', { id: a.id })).toEqual({ idNumber: ID });
    const audit = await t.core.db.selectFrom('audit_log').select(['summary', 'username']).where('action', '=', 'training.trainees.revealIdNumber').execute();
    expect(audit).toEqual([{ summary: '查看学员「张三」的完整身份证号', username: 'admin' }]);
    // A staff edit sending the masked number back keeps the stored one.
    const edited = await t.call('training.trainees.save', { id: a.id, name: '张三', phone: '13800138000', idNumber: a.idNumber, role: 'R04' });
    expect(edited.role).toBe('R04');
    expect(await adminCall('training.trainees.revealIdNumber', { id: a.id })).toEqual({ idNumber: ID });
  });
});

describe('keyboard sign-in', () => {
  it('finds by initials and phone tail, signs in, computes lateness and refuses twice', async () => {
    const s = await newSession();
    // Four-character names: the demo trainees (two or three characters) cannot share these initials.
    const other = await t.call('training.trainees.save', { name: '诸葛思远', phone: '13900001111', role: 'R02' });
    const notRegistered = await t.call('training.trainees.save', { name: '诸葛顺远', phone: '13900002222', role: 'R02' });
    await t.call('training.registrations.add', { sessionId: s.id, traineeIds: [other.id] });
    const look = await t.call('training.signin.lookup', { sessionId: s.id, query: 'zgsy' });
    // Both match the initials; the registrant comes first and Enter takes them.
    expect(look.candidates.map((c) => c.id)).toEqual([other.id, notRegistered.id]);
    expect(look.candidates.map((c) => c.registered)).toEqual([true, false]);
    expect(look.pick).toBe(other.id);
    const byPhone = await t.call('training.signin.lookup', { sessionId: s.id, query: '0138000' });
    expect(byPhone.candidates.map((c) => c.name)).toEqual(['张三']);
    expect(byPhone.candidates[0].phoneTail).toBe('8000');
    const row = await t.call('training.signin.record', { sessionId: s.id, traineeId: other.id, clock: '09:20' });
    expect(row).toMatchObject({ status: 'late', lateMinutes: 20, creditedMinutes: 150, completed: true, registered: true });
    const twice = await refusal(t.core, 'training.signin.record', { sessionId: s.id, traineeId: other.id }, t.token);
    expect(twice.code).toBe('CONFLICT');
    const after = await t.call('training.signin.lookup', { sessionId: s.id, query: 'zgsy' });
    expect(after.candidates.find((c) => c.id === other.id)?.signedIn).toBe(true);
  });

  it('adds an unknown person on the spot, or finds them when they are known', async () => {
    const s = await newSession({ title: '党建引领社区治理' });
    const r = await t.call('training.signin.addPerson', { sessionId: s.id, name: '王小明', phone: '13512345678', role: 'R02', clock: '08:58' });
    expect(r).toMatchObject({ existing: false, row: { name: '王小明', status: 'present', creditedMinutes: 180 } });
    const again = await t.call('training.signin.addPerson', { sessionId: s.id, name: '张三', phone: '13800138000', role: 'R06', clock: '09:00' });
    expect(again.existing).toBe(true);
    expect(again.message).toBe('已有同名同电话的学员，已使用已有学员');
    const none = await refusal(t.core, 'training.signin.addPerson', { sessionId: s.id, name: '李四', role: 'R06' }, t.token);
    expect(none.code).toBe('VALIDATION');
  });
});

async function sheet(rows: unknown[][], name = 'signin.xlsx') {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('签到');
  ws.addRow(['XX培训签到表']);
  ws.addRow(['姓名', '手机号', '身份证号', '人员类别', '所属组织', '签到时间', '状态', '早退分钟', '备注']);
  for (const r of rows) ws.addRow(r);
  return { name, base64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
}

describe('sign-in sheet import', () => {
  it('previews with row errors, refuses "all" with errors, imports valid rows only, and is idempotent', async () => {
    const s = await newSession({ title: '应急与安全培训' });
    const file = await sheet([
      // 15 minutes late: beyond the 10-minute grace (5 minutes late would be on time, issue 18)
      ['张三', '13800138000', '', '', '', '09:15', '', '', ''],
      ['陈新', '13611112222', '', '社区志愿者', '阳光互助会', '08:50', '', '30', '提前离开'],
      ['错号', '1361111', '', '社区志愿者', '', '', '', '', ''],
      ['无名氏', '', '', '', '', '', '', '', ''],
      ['陈新', '13611112222', '', '', '', '', '', '', ''],
    ]);
    const preview = await t.call('training.signin.import', { sessionId: s.id, file, mode: 'preview' });
    expect(preview.committed).toBe(false);
    expect(preview.rows.map((r) => [r.row, r.name, r.action, r.status, r.creditedMinutes])).toEqual([
      [3, '张三', 'existing', 'late', 150],
      [4, '陈新', 'new', 'present', 150],
    ]);
    expect(preview.issues).toEqual([
      { row: 5, path: '手机号', message: '手机号码应为以13–19开头的11位数字，“1361111”有7位' },
      { row: 6, path: '手机号', message: '“无名氏”未报名本场培训，新学员请填写手机号或身份证号' },
      { row: 7, path: '姓名', message: '与第4行是同一人，同一场培训只能签到一次' },
    ]);
    expect((await t.call('training.attendance.list', { sessionId: s.id })).length).toBe(0);
    const all = await refusal(t.core, 'training.signin.import', { sessionId: s.id, file, mode: 'all' }, t.token);
    expect(all.code).toBe('VALIDATION');
    expect(all.issues).toHaveLength(3);
    expect((await t.call('training.attendance.list', { sessionId: s.id })).length).toBe(0);
    const done = await t.call('training.signin.import', { sessionId: s.id, file, mode: 'validOnly' });
    expect(done).toMatchObject({ committed: true, created: 1, recorded: 2 });
    const again = await t.call('training.signin.import', { sessionId: s.id, file, mode: 'validOnly' });
    expect(again).toMatchObject({ committed: true, created: 0, recorded: 2 });
    expect(again.rows.every((r) => r.replaces)).toBe(true);
    const list = await t.call('training.attendance.list', { sessionId: s.id });
    expect(list.map((r) => [r.name, r.status, r.earlyLeaveMinutes, r.source])).toEqual(
      expect.arrayContaining([
        ['张三', 'late', 0, 'import'],
        ['陈新', 'present', 30, 'import'],
      ]),
    );
    expect(list).toHaveLength(2);
  });
});

describe('sign-in sheet as CSV', () => {
  it('reads a GBK CSV as Excel saves it, with the same row numbers and Chinese refusals', async () => {
    const s = await newSession({ title: 'CSV签到表测试' });
    const csv = [
      '姓名,手机号,身份证号,人员类别,所属组织,签到时间,状态,早退分钟,备注',
      '林晓燕,13911112233,,社区社会工作者,,09:00,,,',
      '林晓燕二,13911112234,,不存在的类别,,09:00,,,',
      '周正,13911112235,,社区志愿者,,,请假,,家中有事',
    ].join('\r\n');
    const file = { name: '签到表.csv', base64: iconv.encode(csv, 'gbk').toString('base64') };
    const preview = await t.call('training.signin.import', { sessionId: s.id, file, mode: 'preview' });
    expect(preview.rows.map((r) => [r.row, r.name, r.action, r.status])).toEqual([
      [2, '林晓燕', 'new', 'present'],
      [4, '周正', 'new', 'excused'],
    ]);
    expect(preview.issues).toHaveLength(1);
    expect(preview.issues[0]).toMatchObject({ row: 3, path: '人员类别' });
    expect(preview.issues[0].message).toContain('不存在的类别');
    const done = await t.call('training.signin.import', { sessionId: s.id, file, mode: 'validOnly' });
    expect(done).toMatchObject({ committed: true, created: 2, recorded: 2 });
    const list = await t.call('training.attendance.list', { sessionId: s.id });
    expect(list.map((r) => [r.name, r.status, r.remark]).sort()).toEqual([
      ['周正', 'excused', '家中有事'],
      ['林晓燕', 'present', null],
    ]);
  });
});

describe('social-work exam', () => {
  it('registers candidates, passes 中级 over two years, refuses bad scores and twins, exports the list', async () => {
    const p = await t.call('training.trainees.save', { name: '考生甲', phone: '13500000021', role: 'R05' });
    const y1 = await t.call('training.exam.saveCandidate', {
      traineeId: p.id,
      year: 2025,
      level: 'intermediate',
      scores: [
        { subject: 'comprehensive', score: 66 },
        { subject: 'practice', score: 52 },
        { subject: 'law', score: 71 },
      ],
    });
    expect(y1).toMatchObject({ passed: false, missing: ['practice'] });
    const y2 = await t.call('training.exam.saveCandidate', { traineeId: p.id, year: 2026, level: 'intermediate', scores: [{ subject: 'practice', score: 63 }] });
    expect(y2).toMatchObject({ passed: true, passedYear: 2026, missing: [] });
    const bad = await refusal(t.core, 'training.exam.saveCandidate', { traineeId: p.id, year: 2027, level: 'assistant', scores: [{ subject: 'practice', score: 120 }] }, t.token);
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toBe('“社会工作实务”成绩应为0–100的整数');
    const twin = await refusal(t.core, 'training.exam.saveCandidate', { traineeId: p.id, year: 2026, level: 'intermediate', scores: [] }, t.token);
    expect(twin.code).toBe('CONFLICT');
    expect(twin.message).toBe('考生甲已登记为2026年社会工作师（中级）考生，请修改原记录');
    // Editing the record itself is not a twin.
    await expect(t.call('training.exam.saveCandidate', { id: y2.id, traineeId: p.id, year: 2026, level: 'intermediate', note: '补考', scores: [{ subject: 'practice', score: 63 }] })).resolves.toMatchObject({ note: '补考' });
    const list = await t.call('training.exam.list', { year: 2026 });
    expect(list.find((c) => c.id === y2.id)).toMatchObject({ traineeName: '考生甲', passed: true });
    const xlsx = await t.call('training.exam.export', { year: 2026 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => cells.push(r.values ? (r.values as unknown[]).join('|') : ''));
    expect(cells.some((c) => c.includes('考生甲') && c.includes('通过(2026)') && c.includes('63'))).toBe(true);
  });
});

describe('certificates and statistics', () => {
  it('issues unique serials to those who completed, prints them, and counts person-times against the plan', async () => {
    const before = await t.call('training.stats', { year: 2026 });
    await t.call('training.plan.save', {
      year: 2026,
      title: '2026年度社区社会组织人员培训计划',
      targetTotal: 20,
      targets: [
        { dimension: 'role', code: 'R06', personTimes: 5 },
        { dimension: 'category', code: 'C03', personTimes: 10 },
      ],
    });
    const s = await newSession({ title: '结业测试' });
    const a = await t.call('training.signin.addPerson', { sessionId: s.id, name: '孙甲', phone: '13700000001', role: 'R06', clock: '09:00' });
    const b = await t.call('training.signin.addPerson', { sessionId: s.id, name: '孙乙', phone: '13700000002', role: 'R06', clock: '10:00' });
    expect(b.row).toMatchObject({ status: 'late', lateMinutes: 60, creditedMinutes: 120, completed: false });
    // Not before the session is over (09:00 + 3 h; the clock stands at 10:00).
    const early = await refusal(t.core, 'training.certificates.issue', { sessionId: s.id }, t.token);
    expect([early.code, early.message]).toEqual(['RULE', '培训尚未结束（2026-03-05 12:00结束），结束后才能颁发结业证书']);
    // Issued at 00:30 China time the next day (still 3-05 in UTC), by a fresh login (the idle lock would
    // otherwise lock the test's session): the certificate is dated by the China day.
    clock = new Date('2026-03-05T16:30:00Z');
    const nextDay = caller(t.core, await loginAs(t.core, 'zhangli'));
    const issued = await nextDay('training.certificates.issue', { sessionId: s.id });
    const printedNextDay = await nextDay('training.certificates.print', { serials: [issued.issued[0].serial] });
    clock = NOW;
    expect(printedNextDay.html).toContain('2026年3月6日');
    expect(issued.issued.map((c) => c.traineeName)).toEqual(['孙甲']);
    expect(issued.issued[0].serial).toMatch(/^PX-2026-\d{6}$/);
    expect(issued.skipped).toBe(1);
    const again = await refusal(t.core, 'training.certificates.issue', { sessionId: s.id }, t.token);
    expect(again.code).toBe('RULE');
    const printed = await t.call('training.certificates.print', { serials: [issued.issued[0].serial] });
    expect(printed.html).toContain('孙甲');
    expect(printed.html).toContain(issued.issued[0].serial);
    expect(printed.html).toContain('结业证书');
    // A certified attendance cannot be downgraded.
    const down = await refusal(t.core, 'training.attendance.set', { sessionId: s.id, traineeId: a.row.traineeId, status: 'absent', lateMinutes: 0, earlyLeaveMinutes: 0 }, t.token);
    expect(down.code).toBe('RULE');

    const st = await t.call('training.stats', { year: 2026 });
    // The two sign-ins of this test come on top of what was there.
    const bt = before.total.personTimes;
    expect(st.total.personTimes).toBe(bt + 2);
    expect(st.byRole.reduce((x, c) => x + c.personTimes, 0)).toBe(st.total.personTimes);
    expect(st.byCategory.reduce((x, c) => x + c.personTimes, 0)).toBe(st.total.personTimes);
    expect(st.byMonth).toHaveLength(12);
    expect(st.byMonth[2].personTimes).toBe(before.byMonth[2].personTimes + 2);
    const totalRow = st.plan.find((p) => p.dimension === 'total')!;
    expect(totalRow).toMatchObject({ target: 20, actual: bt + 2, achieved: bt + 2 >= 20 });
    expect(st.plan.find((p) => p.dimension === 'role' && p.key === 'R06')).toMatchObject({ target: 5 });
    const xlsx = await t.call('training.stats.export', { year: 2026 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['计划完成情况', '按学员类别', '按培训类别', '按培训形式', '按月份', '按所属组织', '学员学时']);
  });

  it('a viewer reads but cannot write; staff sees masked numbers in lists', async () => {
    const viewer = caller(t.core, await loginAs(t.core, 'zhaoqiang'));
    await expect(viewer('training.stats', { year: 2026 })).resolves.toBeTruthy();
    await expect(viewer('training.trainees.save', { name: '某人', phone: '13000000000', role: 'R06' })).rejects.toBeInstanceOf(CallError);
    const list = await t.call('training.trainees.list', { startRow: 0, endRow: 50, search: 'zhangsan' });
    expect(list.rows.map((r) => r.name)).toEqual(['张三']);
    expect(list.rows[0].idNumber).toContain('********');
    // A viewer exports a trainee's record: totals, every session, the ID number masked as on screen.
    const file = await viewer('training.trainees.export', { id: list.rows[0].id });
    expect(file.fileName).toBe('张三培训档案.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['培训档案', '参训记录']);
    const info = new Map<string, unknown>();
    wb.worksheets[0].eachRow((r, i) => i > 2 && info.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(String(info.get('身份证号'))).toContain('********');
    const history = await t.call('training.trainees.get', { id: list.rows[0].id });
    expect(info.get('参训人次')).toBe(history.totals.personTimes);
    expect(wb.worksheets[1].rowCount).toBe(1 + history.history.length);
    expect(history.history.length).toBeGreaterThan(0);
  });
});
