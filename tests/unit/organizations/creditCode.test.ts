import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CREDIT_CODE_ALPHABET,
  canStoreCreditCode,
  checkCreditCode,
  computeCreditCheckChar,
  computeOrgCodeCheckChar,
  isValidCreditCode,
} from '@shared/organizations/creditCode';

describe('统一社会信用代码', () => {
  it('accepts the listed valid codes with both checks passing', () => {
    for (const code of ['53640000MJX173672F', '52420000MJH233402K', '91350100M000100Y43']) {
      const r = checkCreditCode(code);
      expect(r.status, code).toBe('valid');
      expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(r.message).toBeNull();
      expect(isValidCreditCode(code)).toBe(true);
    }
  });

  it('decodes authority, kind and region', () => {
    const social = checkCreditCode('53640000MJX173672F').parts!;
    expect(social).toMatchObject({
      authority: '5',
      authorityLabel: '民政',
      kind: '3',
      kindLabel: '基金会',
      civilAffairs: true,
      civilAffairsKind: 'foundation',
      regionCode: '640000',
      orgCode: 'MJX173672',
      checkChar: 'F',
    });
    const group = checkCreditCode('52420000MJH233402K').parts!;
    expect(group.kindLabel).toBe('民办非企业单位');
    expect(group.civilAffairsKind).toBe('social_service');
    expect(group.regionCode).toBe('420000');
    const company = checkCreditCode('91350100M000100Y43').parts!;
    expect(company).toMatchObject({ authorityLabel: '工商(市场监管)', kindLabel: '企业', civilAffairs: false, civilAffairsKind: null, regionCode: '350100' });
  });

  it('treats the real pilot code that fails the check as confirmable, naming position 18', () => {
    const r = checkCreditCode('91350211M00013FA1N');
    expect(r.status).toBe('checkFailed');
    expect(r.confirmable).toBe(true);
    expect(r.message).toBe('第18位校验码应为 3');
    expect(r.problems[0]).toMatchObject({ kind: 'checkChar', position: 18, expected: '3' });
    // its embedded organization code is itself fine
    expect(r.problems.some((p) => p.kind === 'orgCodeCheck')).toBe(false);

    const refused = canStoreCreditCode('91350211M00013FA1N');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.needsConfirmation).toBe(true);
      expect(refused.message).toContain('第18位校验码应为 3');
    }
    expect(canStoreCreditCode('91350211M00013FA1N', true)).toEqual({ ok: true, code: '91350211M00013FA1N', confirmed: true });
  });

  it('names the wrong check character of a mistyped code', () => {
    const r = checkCreditCode('53640000MJX173672G');
    expect(r.status).toBe('checkFailed');
    expect(r.message).toBe('第18位校验码应为 F');
  });

  it('checks the embedded GB 11714 organization code (position 17)', () => {
    // change position 17 and recompute position 18 so only the organization-code check fails
    const first17 = '53640000MJX173673';
    const code = first17 + computeCreditCheckChar(first17);
    const r = checkCreditCode(code);
    expect(r.status).toBe('checkFailed');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'orgCodeCheck', position: 17, expected: '2' });
    expect(r.message).toBe('第17位(组织机构代码校验码)应为 2');
  });

  it('computes GB 11714 check characters including X and 0', () => {
    expect(computeOrgCodeCheckChar('MJX17367')).toBe('2');
    expect(computeOrgCodeCheckChar('M000100Y')).toBe('4');
    // well-known textbook example: D2143569-X
    expect(computeOrgCodeCheckChar('D2143569')).toBe('X');
    // find an 8-char prefix whose remainder is 0 to exercise the 11 → '0' branch
    const zero = ['00000000', '10000001', '10000000'].find((p) => computeOrgCodeCheckChar(p) === '0');
    expect(zero).toBe('00000000');
  });

  it('refuses malformed codes with the position', () => {
    expect(checkCreditCode('').message).toBe('统一社会信用代码为空');
    expect(checkCreditCode(null).status).toBe('invalid');
    const short = checkCreditCode('5364000MJX173672F');
    expect(short.status).toBe('invalid');
    expect(short.confirmable).toBe(false);
    expect(short.message).toBe('统一社会信用代码应为 18 位,现为 17 位');
    const withO = checkCreditCode('53640000MJXO73672F');
    expect(withO.status).toBe('invalid');
    expect(withO.message).toContain('第12位不能是字母 O');
    expect(withO.message).toContain('数字 0');
    expect(checkCreditCode('5364000#MJX173672F').message).toBe('第8位不能是"#"');
    const refused = canStoreCreditCode('5364000#MJX173672F', true);
    expect(refused).toMatchObject({ ok: false, needsConfirmation: false });
  });

  it('normalizes full-width characters, blanks and lower case before checking', () => {
    const r = checkCreditCode(' ５３６４００００ｍｊｘ173672f　');
    expect(r.status).toBe('valid');
    expect(r.code).toBe('53640000MJX173672F');
  });

  it('warns, without refusing, about an unknown civil-affairs kind or a non-numeric region', () => {
    const first17 = '57640000MJX173672';
    const r = checkCreditCode(first17 + computeCreditCheckChar(first17));
    expect(r.status).toBe('valid');
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'kind', position: 2, severity: 'warning' })]);
    expect(r.problems[0].message).toContain('1 社会团体');
    const region = '51AB0000MJX173672';
    const r2 = checkCreditCode(region + computeCreditCheckChar(region));
    expect(r2.status).toBe('valid');
    expect(r2.problems.map((p) => p.kind)).toEqual(['region']);
  });

  it('property: every code built with correct check characters is valid; any single substitution is caught', () => {
    const alphabetChar = fc.constantFrom(...CREDIT_CODE_ALPHABET.split(''));
    fc.assert(
      fc.property(fc.array(alphabetChar, { minLength: 8, maxLength: 8 }), fc.array(fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'.split('')), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (head, org8, pos, shift) => {
        const orgCheck = computeOrgCodeCheckChar(org8.join(''))!;
        const first17 = head.join('') + org8.join('') + orgCheck;
        const code = first17 + computeCreditCheckChar(first17);
        expect(checkCreditCode(code).problems.filter((p) => p.severity === 'error')).toEqual([]);
        // substitute one character by another of the alphabet: the position-18 check must notice
        // (weights are all non-zero mod 31 and 31 is prime, so any single change alters the sum)
        const chars = code.split('');
        const idx = CREDIT_CODE_ALPHABET.indexOf(chars[pos]);
        chars[pos] = CREDIT_CODE_ALPHABET[(idx + shift) % 31];
        const r = checkCreditCode(chars.join(''));
        expect(r.status).toBe('checkFailed');
        expect(r.problems.some((p) => p.kind === 'checkChar' || p.kind === 'orgCodeCheck')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
