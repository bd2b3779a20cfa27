import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTENDANCE_POLICY } from '@shared/training/attendance';
import { DEFAULT_TRAINEE_ROLES } from '@shared/training/dictionaries';
import { makeIdNumber } from '@shared/training/idNumber';
import { mapSigninHeaders, parseSigninSheet, type SigninSheetOptions } from '@shared/training/signinSheet';

/** Rows as the reader gives them, starting right below a header in row 1. */
const sheet = (rows: unknown[][]) => rows.map((cells, i) => ({ rowNumber: i + 2, cells }));

const opts: SigninSheetOptions = {
  sessionMinutes: 180,
  startClock: '09:00',
  policy: DEFAULT_ATTENDANCE_POLICY,
  roles: DEFAULT_TRAINEE_ROLES,
  today: '2026-11-23',
};
const ID1 = makeIdNumber('510104', '1985-06-01', 21);
const headers = ['序号', '姓名', '手机号码', '身份证号', '人员类别', '所在单位', '签到时间', '状态', '早退(分钟)', '备注'];

describe('mapSigninHeaders', () => {
  it('finds columns by their usual names, ignoring widths and brackets', () => {
    const { columns, issues } = mapSigninHeaders(headers);
    expect(columns).toEqual({ name: 1, phone: 2, idNumber: 3, role: 4, organization: 5, signInTime: 6, status: 7, earlyLeaveMinutes: 8, remark: 9 });
    expect(issues).toEqual([]);
  });
  it('requires a name column and reports repeated headers', () => {
    expect(mapSigninHeaders(['手机', '电话']).issues).toEqual([
      { row: 1, path: '电话', message: '表头“电话”重复，只使用第一列' },
      { row: 1, path: '姓名', message: '签到表缺少“姓名”列' },
    ]);
  });
});

describe('parseSigninSheet', () => {
  it('normalizes good rows and derives lateness from the sign-in time', () => {
    const r = parseSigninSheet(
      headers,
      sheet([
        [1, '张 三', '138-0013-8000', ID1.toLowerCase(), '社区志愿者', '阳光互助会', '08:55', '', '', ''],
        [2, '李四', 13900139000, '', '社区社会组织负责人', '', '09:20', '', '30', '家中有事'],
        [3, '王五', '', '', '', '', '', '请假', '', '病假'],
        ['', '', '', '', '', '', '', '', '', ''],
      ]),
      opts,
    );
    expect(r.issues).toEqual([]);
    expect(r.dataRows).toBe(3);
    expect(r.rows).toEqual([
      { row: 2, name: '张三', nameKey: '张三', phone: '13800138000', phoneDigits: '13800138000', idNumber: ID1, roleCode: 'R06', organizationName: '阳光互助会', status: 'present', lateMinutes: 0, earlyLeaveMinutes: 0, remark: null },
      { row: 3, name: '李四', nameKey: '李四', phone: '13900139000', phoneDigits: '13900139000', idNumber: null, roleCode: 'R04', organizationName: null, status: 'late', lateMinutes: 20, earlyLeaveMinutes: 30, remark: '家中有事' },
      { row: 4, name: '王五', nameKey: '王五', phone: null, phoneDigits: null, idNumber: null, roleCode: null, organizationName: null, status: 'excused', lateMinutes: 0, earlyLeaveMinutes: 0, remark: '病假' },
    ]);
  });

  it('reports every bad cell with its row and column, and leaves those rows out', () => {
    const r = parseSigninSheet(
      headers,
      sheet([
        [1, '赵六', '1380013800', '', '', '', '', '', '', ''],
        [2, '钱七', '', '110105194912310021', '居委会主任', '', '', '也许', '', ''],
        [3, '', '13800138001', '', '', '', '', '', '', ''],
        [4, '孙八', '', '', '', '', '9点', '', 'abc', ''],
        [5, '周九', '', '', '', '', '', '缺勤', '10', ''],
      ]),
      opts,
    );
    expect(r.rows).toEqual([]);
    expect(r.issues).toEqual([
      { row: 2, path: '手机号', message: '手机号码应为以13–19开头的11位数字，“1380013800”有10位' },
      { row: 3, path: '身份证号', message: '身份证号校验位错误：第18位应为“X”，实际为“1”，请核对号码' },
      { row: 3, path: '人员类别', message: '人员类别“居委会主任”不在字典中' },
      { row: 3, path: '状态', message: '状态“也许”无法识别，应为出勤、迟到、请假或缺勤' },
      { row: 4, path: '姓名', message: '姓名为空' },
      { row: 5, path: '签到时间', message: '签到时间“9点”无法识别，应为 时:分' },
      { row: 5, path: '早退分钟', message: '早退分钟“abc”应为整数' },
      { row: 6, path: '状态', message: '缺勤的记录不能有迟到或早退时间' },
    ]);
  });

  it('refuses the same person twice in one sheet (by ID or by name and phone)', () => {
    const r = parseSigninSheet(
      headers,
      sheet([
        [1, '张三', '13800138000', ID1, '', '', '', '', '', ''],
        [2, '张三', '13800138000', '', '', '', '', '', '', ''],
        [3, '张叁', '', ID1, '', '', '', '', '', ''],
        [4, '张三', '13800138009', '', '', '', '', '', '', ''], // another 张三
      ]),
      opts,
    );
    expect(r.rows.map((x) => x.row)).toEqual([2, 5]);
    expect(r.issues).toEqual([
      { row: 3, path: '姓名', message: '与第2行是同一人，同一场培训只能签到一次' },
      { row: 4, path: '姓名', message: '与第2行是同一人，同一场培训只能签到一次' },
    ]);
  });

  it('an explicit 迟到 takes its minutes from the time; an explicit 出勤 stays on time', () => {
    const r = parseSigninSheet(['姓名', '签到时间', '状态'], sheet([['甲', '09:40', '迟到'], ['乙', '09:40', '出勤'], ['丙', new Date(Date.UTC(1899, 11, 30, 9, 40)), '']]), opts);
    expect(r.rows.map((x) => [x.status, x.lateMinutes])).toEqual([['late', 40], ['present', 0], ['late', 40]]);
  });

  it('refuses an ID number that Excel turned into a number', () => {
    const r = parseSigninSheet(['姓名', '身份证号'], sheet([['甲', 110105194912310020]]), opts);
    expect(r.issues).toEqual([{ row: 2, path: '身份证号', message: '身份证号被存成了数字，末几位已丢失，请把该列设为“文本”格式后重新填写' }]);
  });

  it('returns nothing but the header problem when there is no name column', () => {
    expect(parseSigninSheet(['电话'], sheet([['13800138000']]), opts)).toEqual({ rows: [], issues: [{ row: 1, path: '姓名', message: '签到表缺少“姓名”列' }], dataRows: 0 });
  });
});
