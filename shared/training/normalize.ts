/** Phone numbers and names as people type them, brought to one form for storage, dedupe and lookup. */

export type PhoneKind = 'mobile' | 'landline';
export type PhoneResult =
  | { ok: true; kind: PhoneKind; /** Stored form: 13800138000, 010-12345678, 0755-1234567-801. */ value: string; /** Digits only, for tail lookup. */ digits: string }
  | { ok: false; message: string };

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Mainland mobile: 11 digits starting 13–19, with an optional +86/0086/86 prefix. Landline: area code
 * (010 and 020–029 are three digits, every other starts 03–09 and has four) then a 7–8 digit local
 * number, optionally an extension (转801, -801, ext 801). A local number without its area code is
 * accepted only when the hub's own area code is given.
 */
export function normalizePhone(raw: string, opts: { defaultAreaCode?: string } = {}): PhoneResult {
  let s = raw.normalize('NFKC').trim();
  if (s === '') return { ok: false, message: '电话号码为空' };
  let ext = '';
  const explicit = /^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i.exec(s);
  if (explicit) {
    s = explicit[1];
    ext = explicit[2];
  } else {
    // 0755-12345678-801: a third group after a complete area code and local number is an extension.
    const dashed = /^(0\d{2,3})[\s-](\d{7,8})-(\d{1,6})$/.exec(s);
    if (dashed) {
      s = dashed[1] + dashed[2];
      ext = dashed[3];
    }
  }
  let digits = s.replace(/[\s\-()（）.]/g, '');
  if (/[^\d+]/.test(digits)) return { ok: false, message: `电话号码“${raw.trim()}”含有非数字字符` };
  if (digits.startsWith('+')) {
    if (!digits.startsWith('+86')) return { ok: false, message: `电话号码“${raw.trim()}”不是中国大陆号码` };
    digits = digits.slice(3);
  } else if (digits.startsWith('0086')) {
    digits = digits.slice(4);
  } else if (digits.length === 13 && digits.startsWith('86') && MOBILE.test(digits.slice(2))) {
    digits = digits.slice(2);
  }
  if (digits.includes('+')) return { ok: false, message: `电话号码“${raw.trim()}”格式不正确` };
  if (digits.startsWith('1')) {
    if (ext) return { ok: false, message: `手机号码“${raw.trim()}”不能带分机号` };
    if (!MOBILE.test(digits)) {
      return { ok: false, message: `手机号码应为以13–19开头的11位数字，“${raw.trim()}”有${digits.length}位` };
    }
    return { ok: true, kind: 'mobile', value: digits, digits };
  }
  let area: string;
  let local: string;
  if (digits.startsWith('0')) {
    const areaLen = digits.startsWith('010') || digits.startsWith('02') ? 3 : 4;
    area = digits.slice(0, areaLen);
    local = digits.slice(areaLen);
  } else {
    if (!opts.defaultAreaCode) return { ok: false, message: `座机号码“${raw.trim()}”缺少区号，请写成“区号-号码”` };
    area = opts.defaultAreaCode;
    local = digits;
  }
  if (!/^0\d{2,3}$/.test(area)) return { ok: false, message: `区号“${area}”不正确` };
  if (!/^[2-9]\d{6,7}$/.test(local)) {
    return { ok: false, message: `座机号码“${raw.trim()}”的本地号码应为7–8位且不以0或1开头` };
  }
  const value = `${area}-${local}${ext ? `-${ext}` : ''}`;
  return { ok: true, kind: 'landline', value, digits: area + local };
}

const DOT_VARIANTS = /[·•・‧∙⋅.．。]/g;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

export type NameResult = { ok: true; value: string; key: string } | { ok: false; message: string };

/**
 * Full-width letters and spaces folded (NFKC), spaces between Chinese characters removed ("张 三"),
 * the dots of transliterated names unified to "·" (阿卜杜拉·艾买提), runs of spaces collapsed in
 * Latin names. `key` is what dedupe compares: the value in lower case.
 */
export function normalizeName(raw: string): NameResult {
  let s = raw.normalize('NFKC').replace(/[\u200b-\u200d\ufeff]/g, '').trim();
  s = s.replace(/\s+/g, ' ');
  // Remove spaces that touch a Chinese character on either side.
  s = s.replace(/\s+(?=[\u3400-\u9fff\uf900-\ufaff·])|(?<=[\u3400-\u9fff\uf900-\ufaff·])\s+/g, '');
  if (CJK.test(s)) s = s.replace(DOT_VARIANTS, '·').replace(/\s*·\s*/g, '·');
  if (s === '') return { ok: false, message: '姓名为空' };
  if (/\d/.test(s)) return { ok: false, message: `姓名“${s}”含有数字` };
  if (/[^\p{L}\p{M}·' -]/u.test(s)) return { ok: false, message: `姓名“${s}”含有不允许的符号` };
  if ([...s].length > 40) return { ok: false, message: `姓名过长（最多40个字）` };
  if (s.startsWith('·') || s.endsWith('·')) return { ok: false, message: `姓名“${s}”的间隔号位置不对` };
  return { ok: true, value: s, key: s.toLowerCase() };
}
