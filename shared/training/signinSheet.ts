/**
 * Reading a sign-in sheet (签到表) once the file is a table of cells: find the columns by their
 * headers, normalize every cell, and report each bad cell with its row and column. The database side
 * then matches each row to a trainee (ID number, then name + phone, then a unique registrant of the
 * session by name) and runs the same rules as the keyboard sign-in, as a dry run for the preview.
 */
import type { ErrorIssue } from '../errors';
import { attendanceProblems, parseAttendanceStatus, parseClock, statusAtSignIn, type AttendancePolicy, type AttendanceStatus } from './attendance';
import { groupSamePerson } from './dedupe';
import type { DictEntry } from './dictionaries';
import { resolveDictValue } from './dictionaries';
import { checkIdNumber } from './idNumber';
import { normalizeName, normalizePhone } from './normalize';

export const SIGNIN_COLUMNS = {
  name: ['姓名', '名字', '学员姓名', '参训人员', 'name'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', '联系方式', 'phone'],
  idNumber: ['身份证号', '身份证', '身份证号码', '公民身份号码', 'id', 'id_number'],
  role: ['人员类别', '学员类别', '类别', '身份', '角色', 'role'],
  organization: ['单位', '所在单位', '所属组织', '组织', '工作单位', 'organization'],
  status: ['状态', '出勤', '出勤情况', '签到情况', 'status'],
  signInTime: ['签到时间', '到达时间', 'signin_time'],
  lateMinutes: ['迟到分钟', '迟到(分钟)', '迟到分钟数', 'late_minutes'],
  earlyLeaveMinutes: ['早退分钟', '早退(分钟)', '早退分钟数', 'early_leave_minutes'],
  remark: ['备注', '说明', 'remark'],
} as const;
export type SigninColumn = keyof typeof SIGNIN_COLUMNS;

export const SIGNIN_COLUMN_LABELS: Record<SigninColumn, string> = {
  name: '姓名',
  phone: '手机号',
  idNumber: '身份证号',
  role: '人员类别',
  organization: '所属组织',
  status: '状态',
  signInTime: '签到时间',
  lateMinutes: '迟到分钟',
  earlyLeaveMinutes: '早退分钟',
  remark: '备注',
};

const fold = (s: string) => s.normalize('NFKC').replace(/[\s()（）]/g, '').toLowerCase();

/** Column index per known field, from the header row. Unknown headers are ignored. */
export function mapSigninHeaders(headers: readonly string[], headerRow = 1): { columns: Partial<Record<SigninColumn, number>>; issues: ErrorIssue[] } {
  const columns: Partial<Record<SigninColumn, number>> = {};
  const issues: ErrorIssue[] = [];
  headers.forEach((h, i) => {
    const f = fold(String(h ?? ''));
    if (!f) return;
    for (const [col, aliases] of Object.entries(SIGNIN_COLUMNS) as [SigninColumn, readonly string[]][]) {
      if (aliases.some((a) => fold(a) === f)) {
        if (columns[col] === undefined) columns[col] = i;
        else issues.push({ row: headerRow, path: String(h), message: `表头“${h}”重复，只使用第一列` });
      }
    }
  });
  if (columns.name === undefined) issues.push({ row: headerRow, path: '姓名', message: '签到表缺少“姓名”列' });
  return { columns, issues };
}

export interface SigninSheetRow {
  /** 1-based row number in the file (the header is row 1 unless told otherwise). */
  row: number;
  name: string;
  nameKey: string;
  phone: string | null;
  phoneDigits: string | null;
  idNumber: string | null;
  roleCode: string | null;
  organizationName: string | null;
  status: AttendanceStatus;
  lateMinutes: number;
  earlyLeaveMinutes: number;
  remark: string | null;
}

export interface SigninSheetResult {
  rows: SigninSheetRow[];
  /** Rows with at least one problem are not in `rows`. */
  issues: ErrorIssue[];
  /** Number of data rows read (blank rows skipped). */
  dataRows: number;
}

export interface SigninSheetOptions {
  sessionMinutes: number;
  /** 'HH:MM' start of the session, to derive lateness from a sign-in time. */
  startClock: string | null;
  policy: AttendancePolicy;
  roles: readonly DictEntry[];
  today: string;
  defaultAreaCode?: string;
  /** Row number of the header row, for header problems (default 1). */
  headerRowNumber?: number;
}

/** One data row as the file reader gives it: the row number the user sees, and the raw cells. */
export interface SheetRow {
  rowNumber: number;
  cells: readonly unknown[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const cellText = (v: unknown): string => {
  if (v == null) return '';
  // Excel time cells arrive as dates on 1899-12-30 in UTC: keep date and clock as the sheet shows them.
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad2(v.getUTCMonth() + 1)}-${pad2(v.getUTCDate())} ${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}`;
  return String(v).trim();
};

function parseMinutes(raw: string): number | null {
  const s = raw.normalize('NFKC').trim().replace(/分钟|分|min$/i, '');
  if (s === '') return 0;
  return /^\d{1,4}$/.test(s) ? Number(s) : null;
}

/**
 * Parses the data rows. A blank status means present (the sheet lists those who came), unless a
 * sign-in time after the start makes it late. The same person twice in one sheet is an error on the
 * later row, never two attendances.
 */
export function parseSigninSheet(
  headers: readonly string[],
  data: readonly SheetRow[],
  opts: SigninSheetOptions,
): SigninSheetResult {
  const { columns, issues } = mapSigninHeaders(headers, opts.headerRowNumber ?? 1);
  if (columns.name === undefined) return { rows: [], issues, dataRows: 0 };
  const get = (cells: readonly unknown[], col: SigninColumn) => (columns[col] === undefined ? '' : cellText(cells[columns[col]!]));
  const parsed: SigninSheetRow[] = [];
  let dataRows = 0;
  data.forEach(({ rowNumber: row, cells }) => {
    if (cells.every((c) => cellText(c) === '')) return;
    dataRows++;
    const rowIssues: ErrorIssue[] = [];
    const bad = (col: SigninColumn, message: string) => rowIssues.push({ row, path: SIGNIN_COLUMN_LABELS[col], message });

    const name = normalizeName(get(cells, 'name'));
    if (!name.ok) bad('name', name.message);

    let phone: string | null = null;
    let phoneDigits: string | null = null;
    const phoneRaw = get(cells, 'phone');
    if (phoneRaw) {
      const p = normalizePhone(phoneRaw, { defaultAreaCode: opts.defaultAreaCode });
      if (p.ok) {
        phone = p.value;
        phoneDigits = p.digits;
      } else bad('phone', p.message);
    }

    let idNumber: string | null = null;
    const idRaw = get(cells, 'idNumber');
    if (columns.idNumber !== undefined && typeof cells[columns.idNumber] === 'number' && idRaw.length > 15) {
      bad('idNumber', '身份证号被存成了数字，末几位已丢失，请把该列设为“文本”格式后重新填写');
    } else if (idRaw) {
      const r = checkIdNumber(idRaw, opts.today);
      if (r.ok) idNumber = r.info.value;
      else bad('idNumber', r.message);
    }

    let roleCode: string | null = null;
    const roleRaw = get(cells, 'role');
    if (roleRaw) {
      const r = resolveDictValue(opts.roles, roleRaw);
      if (r) roleCode = r.code;
      else bad('role', `人员类别“${roleRaw}”不在字典中`);
    }

    let status: AttendanceStatus = 'present';
    let lateMinutes = 0;
    const statusRaw = get(cells, 'status');
    if (statusRaw) {
      const s = parseAttendanceStatus(statusRaw);
      if (s) status = s;
      else bad('status', `状态“${statusRaw}”无法识别，应为出勤、迟到、请假或缺勤`);
    }
    const timeRaw = get(cells, 'signInTime');
    if (timeRaw) {
      const clock = /\d{1,2}[:：]\d{2}/.exec(timeRaw)?.[0];
      if (!clock || parseClock(clock) == null) bad('signInTime', `签到时间“${timeRaw}”无法识别，应为 时:分`);
      else if (!statusRaw || status === 'late') {
        // Blank status: the time decides. "迟到" with a time: the time gives the minutes. An explicit
        // "出勤" is the staff's decision and stays on time.
        const derived = statusAtSignIn(opts.startClock, clock, opts.policy);
        if (!statusRaw) status = derived.status;
        lateMinutes = derived.lateMinutes;
      }
    }
    const lateRaw = get(cells, 'lateMinutes');
    if (lateRaw) {
      const m = parseMinutes(lateRaw);
      if (m == null) bad('lateMinutes', `迟到分钟“${lateRaw}”应为整数`);
      else {
        lateMinutes = m;
        if (m > opts.policy.lateGraceMinutes && status === 'present' && !statusRaw) status = 'late';
      }
    }
    let earlyLeaveMinutes = 0;
    const earlyRaw = get(cells, 'earlyLeaveMinutes');
    if (earlyRaw) {
      const m = parseMinutes(earlyRaw);
      if (m == null) bad('earlyLeaveMinutes', `早退分钟“${earlyRaw}”应为整数`);
      else earlyLeaveMinutes = m;
    }
    if (rowIssues.length === 0) {
      for (const p of attendanceProblems({ status, lateMinutes, earlyLeaveMinutes }, opts.sessionMinutes)) bad('status', p);
    }
    const remark = get(cells, 'remark') || null;
    if (remark && remark.length > 200) bad('remark', '备注最多200字');
    const org = get(cells, 'organization') || null;

    if (rowIssues.length) {
      issues.push(...rowIssues);
      return;
    }
    if (!name.ok) return;
    parsed.push({
      row,
      name: name.value,
      nameKey: name.key,
      phone,
      phoneDigits,
      idNumber,
      roleCode,
      organizationName: org,
      status,
      lateMinutes,
      earlyLeaveMinutes,
      remark,
    });
  });

  // The same person twice: keep the first row, report the later ones.
  const groups = groupSamePerson(parsed);
  const rows: SigninSheetRow[] = [];
  parsed.forEach((r, i) => {
    if (groups[i] !== i) {
      issues.push({ row: r.row, path: SIGNIN_COLUMN_LABELS.name, message: `与第${parsed[groups[i]].row}行是同一人，同一场培训只能签到一次` });
    } else rows.push(r);
  });
  issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { rows, issues, dataRows };
}
