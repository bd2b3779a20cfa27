import { describe, expect, it } from 'vitest';
import { encodedNameReadings, nameReadings } from '@shared/training/pinyinKeys';
import {
  decodeReadings,
  lookupKeyPrefixes,
  parseLookupQuery,
  pickOnEnter,
  rankCandidates,
  searchIndexKeys,
  type SearchCandidate,
} from '@shared/training/signinMatch';

function person(id: string, name: string, phone: string | null, extra: Partial<SearchCandidate> = {}): SearchCandidate {
  return { id, name, nameKey: name.toLowerCase(), readings: encodedNameReadings(name), phoneDigits: phone, ...extra };
}

const people = [
  person('1', '张三', '13800138000'),
  person('2', '张帅', '13900001234'),
  person('3', '赵四', '13711112222'),
  person('4', '张三丰', '13600001234'),
  person('5', '单田芳', '01062345678'),
  person('6', '吕乐', null),
  person('7', '李珊', '13512345678'),
];

const ids = (q: string, list = people) => rankCandidates(parseLookupQuery(q), list).map((r) => r.candidate.id);

describe('pinyin readings', () => {
  it('uses surname readings first and adds the variants people type', () => {
    expect(nameReadings('单田芳')[0]).toEqual(['shan', 'tian', 'fang']);
    expect(nameReadings('单田芳').map((r) => r.join(''))).toContain('dantianfang');
    expect(nameReadings('吕乐')[0]).toEqual(['lv', 'le']);
    expect(nameReadings('吕乐').map((r) => r.join(''))).toContain('lule');
    expect(nameReadings('阿卜杜拉·艾买提')[0]).toEqual(['a', 'bu', 'du', 'la', 'ai', 'mai', 'ti']);
    expect(nameReadings('John')).toEqual([['john']]);
    expect(decodeReadings(encodedNameReadings('张三'))).toEqual([['zhang', 'san']]);
  });
});

describe('parseLookupQuery', () => {
  it('classifies what staff type', () => {
    expect(parseLookupQuery(' ZS ')).toEqual({ kind: 'letters', letters: 'zs' });
    expect(parseLookupQuery("zhang'san")).toEqual({ kind: 'letters', letters: 'zhangsan' });
    expect(parseLookupQuery('１２３４')).toEqual({ kind: 'digits', digits: '1234' });
    expect(parseLookupQuery('123')).toEqual({ kind: 'invalid', message: '请至少输入手机号后4位' });
    expect(parseLookupQuery('张三')).toEqual({ kind: 'chinese', text: '张三' });
    expect(parseLookupQuery('张s')).toMatchObject({ kind: 'invalid' });
    expect(parseLookupQuery('')).toEqual({ kind: 'empty' });
  });
});

describe('rankCandidates', () => {
  it('initials: exact initials before longer names', () => {
    // 张三, 张帅 and 赵四 all have initials zs; ties go by name in pinyin order.
    expect(ids('zs')).toEqual(['1', '2', '3', '4']);
    expect(ids('zsf')).toEqual(['4']);
  });

  it('full and mixed pinyin', () => {
    expect(ids('zhangsan')[0]).toBe('1');
    expect(ids('zhangsan')).toContain('4'); // 张三丰 starts with zhangsan
    expect(ids('zsan')[0]).toBe('1');
    expect(ids('zhs')).toEqual(['1', '2', '3', '4']); // zh-ang s-an, zh-ang s-huai, zh-ao s-i
    expect(ids('zhas')).toEqual(['1', '2', '3', '4']);
    expect(ids('zhaos')).toEqual(['3']);
    expect(ids('zhangshuai')).toEqual(['2']);
  });

  it('polyphonic surnames match both readings, the usual one first', () => {
    expect(ids('shantianfang')).toEqual(['5']);
    expect(ids('dtf')).toEqual(['5']);
    expect(ids('lvle')).toEqual(['6']);
    expect(ids('lule')).toEqual(['6']);
  });

  it('the given name alone ranks below matches from the surname', () => {
    const r = rankCandidates(parseLookupQuery('shan'), people);
    expect(r.map((x) => x.candidate.id)).toEqual(['5', '7']); // 单(shan)… first, then 李珊(shan)
    expect(r[1].matchedBy).toBe('given_name');
  });

  it('Chinese characters: exact, then prefix, then contained', () => {
    expect(ids('张三')).toEqual(['1', '4']);
    expect(ids('三')).toEqual(['1', '4']);
  });

  it('phone tail of at least 4 digits', () => {
    expect(ids('1234')).toEqual(['4', '2']); // equal tails: by name
    expect(ids('5678')).toEqual(['5', '7']);
    expect(ids('13800138000')).toEqual(['1']);
    expect(ids('123')).toEqual([]);
  });

  it('registered people come first, those already signed in after the others', () => {
    const list = [person('2', '张帅', null), person('1', '张三', null, { registered: true })];
    expect(ids('zs', list)).toEqual(['1', '2']);
    const list2 = [person('1', '张三', null, { registered: true, signedIn: true }), person('9', '张森', null, { registered: true })];
    expect(ids('zs', list2)).toEqual(['9', '1']);
  });

  it('deduplicates a person found twice and keeps the better score', () => {
    const a = person('1', '张三', null);
    const r = rankCandidates(parseLookupQuery('zs'), [a, { ...a, registered: true }]);
    expect(r).toHaveLength(1);
    expect(r[0].candidate.registered).toBe(true);
  });
});

describe('pickOnEnter', () => {
  it('picks only a clear best', () => {
    expect(pickOnEnter(rankCandidates(parseLookupQuery('zsf'), people))?.candidate.id).toBe('4');
    expect(pickOnEnter(rankCandidates(parseLookupQuery('zs'), people))).toBeNull(); // 张三 and 张帅 tie
    expect(pickOnEnter(rankCandidates(parseLookupQuery('zs'), [person('1', '张三', null, { registered: true }), person('2', '张帅', null)]))?.candidate.id).toBe('1');
    expect(pickOnEnter([])).toBeNull();
  });
});

describe('index keys agree with the matcher', () => {
  it('every indexable query finds its person through a key prefix', () => {
    const cases: [string, string][] = [
      ['zs', '1'], ['zhangsan', '1'], ['zhangs', '1'], ['san', '1'], ['8000', '1'], ['张三', '1'],
      ['dtf', '5'], ['shan', '7'], ['5678', '7'], ['lule', '6'],
    ];
    for (const [q, id] of cases) {
      const p = people.find((x) => x.id === id)!;
      const keys = searchIndexKeys(p);
      const prefixes = lookupKeyPrefixes(parseLookupQuery(q));
      expect(prefixes.some((pre) => keys.some((k) => k.startsWith(pre))), `${q} → ${p.name}`).toBe(true);
    }
  });

  it('builds the documented key kinds', () => {
    expect(searchIndexKeys(people[0]).sort()).toEqual(['f:zhangsan', 'g:san', 'gi:s', 'i:zs', 'n:张三', 'p:00083100831'].sort());
  });
});
