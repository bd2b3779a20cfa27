import { describe, expect, it } from 'vitest';
import { pinyinBoth, pinyinFull, pinyinInitials, pinyinSearchKey } from '../../../electron/core/text/pinyin';

describe('pinyin search keys', () => {
  it('gives initials of Chinese names', () => {
    expect(pinyinInitials('邻里守望志愿服务队')).toBe('llswzyfwd');
    expect(pinyinInitials('邻里守望志愿服务队').startsWith('llsw')).toBe(true);
    expect(pinyinInitials('夕阳红舞蹈队')).toBe('xyhwdd');
  });

  it('reads polyphonic characters in context', () => {
    expect(pinyinInitials('重庆')).toBe('cq');
    expect(pinyinFull('长寿')).toBe('changshou');
    expect(pinyinFull('银行')).toBe('yinhang');
  });

  it('keeps Latin letters and digits, drops punctuation, normalizes full-width', () => {
    expect(pinyinInitials('阳光3号ABC')).toBe('yg3habc');
    expect(pinyinInitials('（阳光）·服务')).toBe('ygfw');
    expect(pinyinInitials('ＡＢ社')).toBe('abs');
    expect(pinyinInitials('Happy Kids')).toBe('happykids');
    expect(pinyinInitials('')).toBe('');
    expect(pinyinInitials(null)).toBe('');
  });

  it('builds one search key from several texts', () => {
    expect(pinyinSearchKey('邻里守望志愿服务队', '邻里守望')).toBe('llswzyfwd linlishouwangzhiyuanfuwudui llsw linlishouwang');
    expect(pinyinSearchKey(null, '')).toBe('');
  });
});

describe('pinyinBoth (one pinyin-pro call for both keys)', () => {
  const samples = [
    '邻里守望志愿服务队', '重庆银行长寿乐队', '阳光3号ABC', '（阳光）·服务', 'ＡＢ社', 'Happy Kids', '基准导入12345号邻里互助会',
    '长城长乐行长', '𠀀𪚥社区', '〇一二三', '老年人、儿童', 'abc邻里', '邻里abc', '邻 里 守 望', '乐乐乐', '朝阳区朝气蓬勃',
    '𬌗𫗧合唱团', '玉林街道书画协会2024', 'ü女绿', '㐀㐁㐂', '豈更車', '重重重重', '银行行长行走', '单于单位', '曾经曾氏',
  ];
  it('gives exactly what the separate initials and full pinyin give', () => {
    for (const s of samples) expect(pinyinBoth(s), s).toEqual({ initials: pinyinInitials(s), full: pinyinFull(s) });
  });
  it('agrees on every CJK character alone and in pairs with its neighbour', () => {
    const chars: string[] = [];
    for (let c = 0x3400; c <= 0x4dbf; c += 7) chars.push(String.fromCodePoint(c));
    for (let c = 0x4e00; c <= 0x9fff; c++) chars.push(String.fromCodePoint(c));
    for (let c = 0xf900; c <= 0xfaff; c += 3) chars.push(String.fromCodePoint(c));
    for (let i = 0; i < chars.length; i++) {
      for (const s of [chars[i], chars[i] + (chars[i + 1] ?? 'x'), `A${chars[i]}1${chars[(i * 31) % chars.length]}`]) {
        const both = pinyinBoth(s);
        const initials = pinyinInitials(s);
        const full = pinyinFull(s);
        if (both.initials !== initials || both.full !== full) expect({ s, ...both }).toEqual({ s, initials, full });
      }
    }
  });
});
