/**
 * 统一社会信用代码 (GB 32100-2015) checks.
 *
 * Layout (1-based positions):
 *   1      registering authority (登记管理部门, `5` = 民政)
 *   2      kind of organization within that authority (民政: 1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他)
 *   3–8    administrative region code (GB/T 2260)
 *   9–17   organization code (GB 11714), position 17 being its own check character
 *   18     check character of the whole code
 *
 * Outcomes (`status`):
 *   - `valid`        well-formed and both check characters agree;
 *   - `checkFailed`  18 characters from the right alphabet, but a check character disagrees. Some early pilot codes
 *                    really printed on certificates are like this (e.g. 91350211M00013FA1N), so a caller may keep
 *                    such a code only after the user confirms it against the certificate (`canStoreCreditCode`);
 *   - `invalid`      malformed (empty, wrong length, a character outside the alphabet): always refused.
 * Every problem names the position in Chinese, e.g. "第18位校验码应为 F".
 *
 * Verified against the listed examples: 53640000MJX173672F, 52420000MJH233402K and 91350100M000100Y43 pass both
 * checks; 91350211M00013FA1N passes the organization-code check and fails the 18th-position check (expects 3).
 */
import { normalizeCode } from '../text/normalize';

/** The 31 characters of GB 32100 (no I, O, S, V, Z); a character's value is its index. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714 weights over the first 8 characters of the organization code. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Registering authorities (position 1), GB 32100 appendix and later additions. */
export const CREDIT_CODE_AUTHORITIES: Record<string, string> = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '工商(市场监管)',
  A: '中央军委改革和编制办公室',
  N: '农业',
  Y: '其他',
};

/** Kinds (position 2) per authority, where the standard lists them. */
export const CREDIT_CODE_KINDS: Record<string, Record<string, string>> = {
  '1': { '1': '机关', '2': '事业单位', '3': '群众团体', '9': '其他' },
  '5': { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' },
  '9': { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' },
  Y: { '1': '其他' },
};

/** The civil-affairs kinds in the form records store them (for the organization's registered kind). */
export const CIVIL_AFFAIRS_KIND_BY_CHAR = {
  '1': 'social_group',
  '2': 'social_service',
  '3': 'foundation',
  '9': 'other',
} as const;
export type CivilAffairsKind = (typeof CIVIL_AFFAIRS_KIND_BY_CHAR)[keyof typeof CIVIL_AFFAIRS_KIND_BY_CHAR];

export type CreditCodeStatus = 'valid' | 'checkFailed' | 'invalid';

export type CreditCodeProblemKind =
  | 'empty'
  | 'length'
  | 'charset' // a character outside the alphabet
  | 'checkChar' // position 18
  | 'orgCodeCheck' // position 17 (GB 11714)
  | 'authority' // position 1 is not a known authority (warning)
  | 'kind' // position 2 unknown for the authority (warning)
  | 'region'; // positions 3–8 are not six digits (warning)

export interface CreditCodeProblem {
  kind: CreditCodeProblemKind;
  /** 1-based position of the wrong character, when one position is to blame. */
  position?: number;
  /** `error` refuses (or, for check characters, needs a confirmation); `warning` is shown but never blocks. */
  severity: 'error' | 'warning';
  /** Chinese, fit to show as is. */
  message: string;
  /** For check characters: the character the computation expects. */
  expected?: string;
}

export interface CreditCodeResult {
  /** The code after normalization (full-width → half-width, blanks removed, upper case). */
  code: string;
  status: CreditCodeStatus;
  /** True when the code may be stored after the user confirms it against the certificate (status checkFailed). */
  confirmable: boolean;
  problems: CreditCodeProblem[];
  /** The first error's message, or null when there is none (warnings do not count). */
  message: string | null;
  /** Decoded parts; present when the code has 18 characters. */
  parts?: CreditCodeParts;
}

export interface CreditCodeParts {
  authority: string;
  /** Chinese name of the authority, or null when unknown. */
  authorityLabel: string | null;
  kind: string;
  kindLabel: string | null;
  /** True for codes given by civil affairs (position 1 = 5). */
  civilAffairs: boolean;
  /** For civil-affairs codes: the record kind (social_group / social_service / foundation / other). */
  civilAffairsKind: CivilAffairsKind | null;
  /** Positions 3–8. */
  regionCode: string;
  /** Positions 9–17 (GB 11714 organization code), e.g. MJX17367-2 is shown as `MJX173672`. */
  orgCode: string;
  checkChar: string;
}

/** The check character (position 18) for the first 17 characters; null when a character is outside the alphabet. */
export function computeCreditCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[c === 31 ? 0 : c];
}

/** GB 11714 value of a character: digits 0–9, letters A=10 … Z=35. */
function orgCharValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  return -1;
}

/** The GB 11714 check character for the first 8 characters of an organization code ('0'–'9' or 'X'). */
export function computeOrgCodeCheckChar(first8: string): string | null {
  if (first8.length !== 8) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = orgCharValue(first8[i]);
    if (v < 0) return null;
    sum += v * ORG_CODE_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function describeBadChar(ch: string): string {
  if ('IOSVZ'.includes(ch)) return `字母 ${ch}(统一社会信用代码不使用 I、O、S、V、Z${ch === 'O' ? ',是否应为数字 0' : ch === 'I' ? ',是否应为数字 1' : ''})`;
  if (/[a-z]/.test(ch)) return `小写字母 ${ch}`;
  return `"${ch}"`;
}

/**
 * Checks one code. Input is normalized first (full-width, blanks, case), so `９１３５…` and ` 91350100m000100y43 `
 * are checked as what they mean; the normalized form is returned in `code` and is what should be stored.
 */
export function checkCreditCode(input: string | null | undefined): CreditCodeResult {
  const code = normalizeCode(input);
  const problems: CreditCodeProblem[] = [];
  const result = (status: CreditCodeStatus, parts?: CreditCodeParts): CreditCodeResult => {
    const firstError = problems.find((p) => p.severity === 'error');
    return { code, status, confirmable: status === 'checkFailed', problems, message: firstError?.message ?? null, parts };
  };

  if (code === '') {
    problems.push({ kind: 'empty', severity: 'error', message: '统一社会信用代码为空' });
    return result('invalid');
  }
  const chars = [...code];
  const badIndex = chars.findIndex((ch) => !CREDIT_CODE_ALPHABET.includes(ch));
  if (badIndex >= 0 && badIndex < 18) {
    problems.push({
      kind: 'charset',
      position: badIndex + 1,
      severity: 'error',
      message: `第${badIndex + 1}位不能是${describeBadChar(chars[badIndex])}`,
    });
  }
  if (chars.length !== 18) {
    problems.push({
      kind: 'length',
      severity: 'error',
      message: `统一社会信用代码应为 18 位,现为 ${chars.length} 位`,
    });
  }
  if (problems.length > 0) return result('invalid');

  const authority = code[0];
  const kind = code[1];
  const authorityLabel = CREDIT_CODE_AUTHORITIES[authority] ?? null;
  const kindLabel = CREDIT_CODE_KINDS[authority]?.[kind] ?? null;
  const civilAffairs = authority === '5';
  const parts: CreditCodeParts = {
    authority,
    authorityLabel,
    kind,
    kindLabel,
    civilAffairs,
    civilAffairsKind: civilAffairs ? (CIVIL_AFFAIRS_KIND_BY_CHAR[kind as keyof typeof CIVIL_AFFAIRS_KIND_BY_CHAR] ?? null) : null,
    regionCode: code.slice(2, 8),
    orgCode: code.slice(8, 17),
    checkChar: code[17],
  };

  const expected18 = computeCreditCheckChar(code.slice(0, 17))!;
  // Every character of the alphabet has a GB 11714 value, so both computations succeed once the charset passed.
  const expected17 = computeOrgCodeCheckChar(code.slice(8, 16))!;
  if (expected17 !== code[16]) {
    problems.push({
      kind: 'orgCodeCheck',
      position: 17,
      severity: 'error',
      expected: expected17,
      message: `第17位(组织机构代码校验码)应为 ${expected17}`,
    });
  }
  if (expected18 !== code[17]) {
    problems.push({
      kind: 'checkChar',
      position: 18,
      severity: 'error',
      expected: expected18,
      message: `第18位校验码应为 ${expected18}`,
    });
  }
  // Check failures first in `problems` order: the overall check (18) is what users compare with the certificate.
  problems.sort((a, b) => (b.position ?? 0) - (a.position ?? 0));

  if (!authorityLabel) {
    problems.push({ kind: 'authority', position: 1, severity: 'warning', message: `第1位登记管理部门代码 ${authority} 不在标准列表中` });
  } else if (CREDIT_CODE_KINDS[authority] && !kindLabel) {
    problems.push({
      kind: 'kind',
      position: 2,
      severity: 'warning',
      message: `第2位机构类别代码 ${kind} 不是${authorityLabel}登记的类别(${Object.entries(CREDIT_CODE_KINDS[authority])
        .map(([k, v]) => `${k} ${v}`)
        .join('、')})`,
    });
  }
  if (!/^\d{6}$/.test(parts.regionCode)) {
    problems.push({ kind: 'region', position: 3, severity: 'warning', message: '第3–8位应为 6 位数字的行政区划代码' });
  }

  const hasError = problems.some((p) => p.severity === 'error');
  return result(hasError ? 'checkFailed' : 'valid', parts);
}

/** True when the code is well-formed and both check characters agree. */
export function isValidCreditCode(input: string | null | undefined): boolean {
  return checkCreditCode(input).status === 'valid';
}

export type CreditCodeStoreDecision =
  | { ok: true; code: string; /** Stored only because the user confirmed it: mark the record. */ confirmed: boolean }
  | { ok: false; message: string; /** The same code could be kept with a confirmation. */ needsConfirmation: boolean };

/**
 * Whether a code may be written. A valid code always; a `checkFailed` code only when `confirmed` (the user compared
 * it with the certificate — record who and when, and mark the code); an invalid code never.
 */
export function canStoreCreditCode(input: string | null | undefined, confirmed = false): CreditCodeStoreDecision {
  const r = checkCreditCode(input);
  if (r.status === 'valid') return { ok: true, code: r.code, confirmed: false };
  if (r.status === 'checkFailed' && confirmed) return { ok: true, code: r.code, confirmed: true };
  if (r.status === 'checkFailed') {
    return {
      ok: false,
      needsConfirmation: true,
      message: `${r.message};如证书上确实印的是此代码(早期试点代码),请核对证书后确认保存`,
    };
  }
  return { ok: false, needsConfirmation: false, message: r.message ?? '统一社会信用代码无效' };
}
