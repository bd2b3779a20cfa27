/**
 * 居民身份证号 (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit sequence (odd = male),
 * and a check character over the first 17 digits (ISO 7064 MOD 11-2).
 */
import type { Role } from '../roles';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * First two digits of the region code (GB/T 2260 provinces); 71/81/82 are the codes printed on
 * 台湾/香港/澳门 residents' residence permits, which use the same 18-character layout.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Full-width digits, lower-case x and spaces are what people really type; anything else stays and is refused. */
export function normalizeIdNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s\u200b-\u200d\ufeff]/g, '').toUpperCase();
}

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export interface IdNumberInfo {
  /** Normalized: 18 characters, upper-case X. */
  value: string;
  regionCode: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'male' | 'female';
}

export type IdCheckResult = { ok: true; info: IdNumberInfo } | { ok: false; message: string };

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/**
 * Validates an 18-character ID number. `today` ('YYYY-MM-DD', China time) bounds the birth date; the
 * message names exactly what is wrong, in Chinese, so the form or the import row can show it as is.
 */
export function checkIdNumber(raw: string, today: string): IdCheckResult {
  const value = normalizeIdNumber(raw);
  if (value.length === 0) return { ok: false, message: '身份证号为空' };
  if (value.length === 15 && /^\d{15}$/.test(value)) {
    return { ok: false, message: '这是15位旧身份证号，请填写18位身份证号' };
  }
  if (value.length !== 18) return { ok: false, message: `身份证号应为18位，当前为${value.length}位` };
  for (let i = 0; i < 17; i++) {
    const c = value[i];
    if (c < '0' || c > '9') return { ok: false, message: `身份证号第${i + 1}位“${c}”不是数字（前17位必须是数字）` };
  }
  const last = value[17];
  if (!/[0-9X]/.test(last)) return { ok: false, message: `身份证号第18位“${last}”无效，只能是数字或X` };
  const province = value.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    return { ok: false, message: `身份证号前2位“${province}”不是有效的省级行政区划代码` };
  }
  const regionCode = value.slice(0, 6);
  // Every county code has a non-zero city part (Beijing 1101xx, 仙桃 4290xx); only the residence
  // permits of 台湾/香港/澳门 residents carry 710000/810000/820000.
  if (value.slice(2, 4) === '00' && !['71', '81', '82'].includes(province)) {
    return { ok: false, message: `身份证号第3-4位“00”不是有效的地市代码（地址码${regionCode}）` };
  }
  const ys = value.slice(6, 10);
  const ms = value.slice(10, 12);
  const ds = value.slice(12, 14);
  const y = Number(ys);
  const m = Number(ms);
  const d = Number(ds);
  if (y < 1900 || !isCalendarDate(y, m, d)) {
    return { ok: false, message: `身份证号第7-14位出生日期“${ys}${ms}${ds}”不是有效日期` };
  }
  const birthDate = `${ys}-${ms}-${ds}`;
  if (birthDate > today) return { ok: false, message: `身份证号中的出生日期${birthDate}晚于今天` };
  const expected = idCheckChar(value.slice(0, 17));
  if (expected !== last) {
    return { ok: false, message: `身份证号校验位错误：第18位应为“${expected}”，实际为“${last}”，请核对号码` };
  }
  const seq = value.charCodeAt(16) - 48;
  return { ok: true, info: { value, regionCode, birthDate, gender: seq % 2 === 1 ? 'male' : 'female' } };
}

/** 110105********123X — region code and last four kept, the birth date and sequence hidden. */
export function maskIdNumber(value: string): string {
  const v = normalizeIdNumber(value);
  if (v.length !== 18) return v.length <= 4 ? '*'.repeat(v.length) : '*'.repeat(v.length - 4) + v.slice(-4);
  return `${v.slice(0, 6)}********${v.slice(14)}`;
}

/**
 * Who may read a stored number in full: admins, and only through the explicit, audited 显示完整号码
 * (`training.trainees.revealIdNumber`). Lists, records, exports and the API show the masked form to
 * everyone, admins included (issue 18: the admin saw full numbers where every other screen masked them).
 */
export function canRevealIdNumber(roles: readonly Role[]): boolean {
  return roles.includes('admin');
}

/** Changing or removing a number already stored: admins only. */
export function canChangeIdNumber(roles: readonly Role[]): boolean {
  return roles.includes('admin');
}

/** The number as every screen shows it: masked whoever asks (the roles no longer unmask it). */
export function idNumberForRoles(value: string | null | undefined, _roles: readonly Role[]): string | null {
  if (value == null || value === '') return null;
  return maskIdNumber(value);
}

/** Builds a valid number from region, birth date and sequence (demo data and tests). */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  const seq = String(sequence).padStart(3, '0');
  const first17 = `${regionCode}${birthDate.replace(/-/g, '')}${seq}`;
  return first17 + idCheckChar(first17);
}
