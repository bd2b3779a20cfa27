import { describe, expect, it } from 'vitest';
import { checkRegionCode, parseLevel, regionAtLevel, regionChain, regionContains } from '@shared/submission/region';
import { comparePeriods, parsePeriod, periodLabel, periodOfDate, requirePeriod } from '@shared/submission/period';
import { gidOrigin, isGid, makeGid, parseGid } from '@shared/submission/globalId';
import { formatFingerprint, isFingerprint, sameFingerprint } from '@shared/submission/fingerprint';
import { isAllowedPayloadEntry, tableOfEntry, unsafeEntryNameReason } from '@shared/submission/entryName';

describe('region codes', () => {
  it('pads short codes and checks the level', () => {
    expect(checkRegionCode('51', 'province')).toEqual({ ok: true, code: '510000000000' });
    expect(checkRegionCode('5101', 'city')).toEqual({ ok: true, code: '510100000000' });
    expect(checkRegionCode('510104', 'county')).toEqual({ ok: true, code: '510104000000' });
    expect(checkRegionCode('510104002', 'township')).toEqual({ ok: true, code: '510104002000' });
    expect(checkRegionCode('510104002003', 'village')).toEqual({ ok: true, code: '510104002003' });
  });
  it('refuses codes finer than the level, empty own segment, bad characters and lengths', () => {
    const finer = checkRegionCode('510104', 'city');
    expect(finer.ok).toBe(false);
    if (!finer.ok) expect(finer.message).toContain('比市级更细');
    const empty = checkRegionCode('510100', 'county');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.message).toContain('第 5–6 位不能全为 0');
    expect(checkRegionCode('51A1', 'city').ok).toBe(false);
    expect(checkRegionCode('51010', 'city').ok).toBe(false);
  });
  it('parses Chinese level labels', () => {
    expect(parseLevel('乡镇')).toBe('township');
    expect(parseLevel('街道')).toBe('township');
    expect(parseLevel('社区')).toBe('village');
    expect(parseLevel('county')).toBe('county');
    expect(parseLevel('州')).toBeNull();
  });
  it('builds the chain from the province down', () => {
    expect(regionChain('510104002003', 'village').map((s) => `${s.level}:${s.code}`)).toEqual([
      'province:510000000000',
      'city:510100000000',
      'county:510104000000',
      'township:510104002000',
      'village:510104002003',
    ]);
    expect(regionAtLevel('510104002003', 'county')).toBe('510104000000');
    expect(regionContains('510100000000', 'city', '510104002003', 'village')).toBe(true);
    expect(regionContains('510100000000', 'city', '510204002003', 'village')).toBe(false);
    expect(regionContains('510104002003', 'village', '510100000000', 'city')).toBe(false);
  });
});

describe('periods', () => {
  it('parses years and quarters with their date ranges', () => {
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', start: '2026-01-01', end: '2026-12-31' });
    expect(parsePeriod('2026-Q1')).toMatchObject({ kind: 'quarter', start: '2026-01-01', end: '2026-03-31' });
    expect(parsePeriod('2026-Q2')).toMatchObject({ start: '2026-04-01', end: '2026-06-30' });
    expect(parsePeriod('2026-Q3')).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
    expect(parsePeriod('2026-Q4')).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
  });
  it('refuses malformed periods with a Chinese message', () => {
    for (const bad of ['2026-Q5', '2026Q3', '26', '2026-03', '', '2026-q3']) expect(parsePeriod(bad)).toBeNull();
    expect(() => requirePeriod('2026-13')).toThrow(/报送期“2026-13”格式错误/);
  });
  it('labels, finds and orders periods', () => {
    expect(periodLabel('2026-Q3')).toBe('2026年第3季度');
    expect(periodLabel('2026')).toBe('2026年');
    expect(periodOfDate('2026-08-15', 'quarter')).toBe('2026-Q3');
    expect(periodOfDate('2026-08-15', 'year')).toBe('2026');
    expect(['2026-Q2', '2026', '2025-Q4', '2026-Q1'].sort(comparePeriods)).toEqual(['2025-Q4', '2026', '2026-Q1', '2026-Q2']);
  });
});

describe('global ids', () => {
  it('joins and splits hub id and local id at the first colon', () => {
    const gid = makeGid('hub-5101', 'org:42');
    expect(gid).toBe('hub-5101:org:42');
    expect(parseGid(gid)).toEqual({ hubId: 'hub-5101', localId: 'org:42' });
    expect(gidOrigin(gid)).toBe('hub-5101');
    expect(isGid('nohub')).toBe(false);
    expect(isGid(':x')).toBe(false);
    expect(isGid('hub 1:x')).toBe(false);
    expect(() => makeGid('a:b', '1')).toThrow(/上报单位编号/);
    expect(() => makeGid('hub1', 'has space')).toThrow(/记录编号/);
  });
});

describe('fingerprints', () => {
  it('groups by four and compares loosely', () => {
    const hex = 'ab12cd34'.repeat(8);
    const f = formatFingerprint(hex);
    expect(f.split(' ')).toHaveLength(16);
    expect(f.startsWith('AB12 CD34 AB12')).toBe(true);
    expect(isFingerprint(f)).toBe(true);
    expect(isFingerprint('AB12')).toBe(false);
    expect(sameFingerprint(f, hex)).toBe(true);
  });
});

describe('entry names', () => {
  it.each([
    ['../evil', '..'],
    ['data/../../evil', '..'],
    ['/etc/passwd', '绝对路径'],
    ['C:/Windows/evil', '盘符'],
    ['c:evil', '盘符'],
    ['data\\..\\evil', '反斜杠'],
    ['data/', '文件夹'],
    ['data//x.jsonl', '空段'],
    ['./manifest.json', '“.”段'],
    ['a\u0000b', '控制字符'],
    ['', '为空'],
  ])('refuses %j', (name, reason) => {
    expect(unsafeEntryNameReason(name)).toContain(reason);
  });
  it('accepts the package layout', () => {
    for (const ok of ['manifest.json', 'manifest.sig', 'tables.xlsx', 'data/organizations.jsonl']) {
      expect(unsafeEntryNameReason(ok)).toBeNull();
    }
    expect(tableOfEntry('data/custody_entries.jsonl')).toBe('custody_entries');
    expect(tableOfEntry('data/Orgs.jsonl')).toBeNull();
    expect(isAllowedPayloadEntry('data/x.jsonl')).toBe(true);
    expect(isAllowedPayloadEntry('readme.txt')).toBe(false);
  });
});
