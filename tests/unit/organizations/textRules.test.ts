import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORG_TEXT_RULES, zOrganizationInput } from '@shared/organizations/model';
import { ORG_COLUMN_BY_KEY, type OrgDictionaries } from '@shared/organizations/columns';

const dicts: OrgDictionaries = { org_field: [], people_served: [] };
/** Fields the form and the import both take as free text, with a value the rest of the schema accepts. */
const TEXT_FIELDS = ['name', 'shortName', 'street', 'community', 'leaderName', 'contactName', 'partyInstructor', 'fixedActivityTime', 'fixedActivityPlace', 'remark'] as const;
const typed = fc
  .array(fc.constantFrom(...'社区邻里 互助（）()，,：:、ＡＢ１２ab12\u3000\u00a0\u200b\t\n-·'.split('')), { minLength: 2, maxLength: 30 })
  .map((cs) => `邻里${cs.join('')}队`);

describe('one text rule for the organization form and the 台账 import (issue 13)', () => {
  it('a text typed into the form is stored as the import stores the same text typed into a cell', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXT_FIELDS), typed, (field, value) => {
        const form = zOrganizationInput.parse({ name: '往返组织', mgmtClass: 'guided', [field]: value });
        const cell = ORG_COLUMN_BY_KEY.get(field)!.parse(value, dicts);
        expect(cell).toEqual({ value: form[field] });
        expect(form[field]).toBe(ORG_TEXT_RULES[field](value));
      }),
      { numRuns: 300 },
    );
  });

  it('cleans the form’s text as the import does: half-width, single spaces, no spaces between Chinese characters in places and names', () => {
    const v = zOrganizationInput.parse({
      name: '  玉林  社区（老年）\u3000协会 ',
      mgmtClass: 'guided',
      community: '玉林  社区',
      fixedActivityPlace: '活动室（二楼）  １０２',
      leaderPhone: '１３８-0013 8000',
      creditCode: null,
      remark: ' 第一行  \r\n\n 第二行　 ',
    });
    expect(v.name).toBe('玉林社区(老年) 协会');
    expect(v.community).toBe('玉林社区');
    expect(v.fixedActivityPlace).toBe('活动室(二楼) 102');
    expect(v.leaderPhone).toBe('13800138000');
    expect(v.remark).toBe('第一行\n\n第二行');
  });

  it('a value that is only blanks is empty in both', () => {
    const form = zOrganizationInput.parse({ name: '往返组织', mgmtClass: 'guided', community: '\u3000 \u200b' });
    expect(form.community).toBeNull();
    expect(ORG_COLUMN_BY_KEY.get('community')!.parse('\u3000 \u200b', dicts)).toEqual({ value: null });
  });
});
