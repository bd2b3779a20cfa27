import { describe, expect, it } from 'vitest';
import { pinyinFull, pinyinInitials, pinyinSearchKey } from '../../../electron/core/text/pinyin';

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
