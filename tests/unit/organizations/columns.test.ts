import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_DICTIONARIES } from '@shared/admin/dictionaries';
import {
  ORG_COLUMNS,
  autoMapHeaders,
  checkMapping,
  formatSheetRow,
  headerSignature,
  parseSheetRow,
  type OrgDictionaries,
  type OrgSheetRecord,
} from '@shared/organizations/columns';
import { zOrganizationInput } from '@shared/organizations/model';

const dicts: OrgDictionaries = { org_field: DEFAULT_DICTIONARIES.org_field, people_served: DEFAULT_DICTIONARIES.people_served };
const headers = ORG_COLUMNS.map((c) => c.header);

describe('workbook columns', () => {
  it('maps exported titles automatically, and aliases, each key once', () => {
    expect(autoMapHeaders(headers)).toEqual(ORG_COLUMNS.map((c) => c.key));
    expect(autoMapHeaders(['*名称', '电话', '负责人电话', '街道', '备注（选填）', '不相干'])).toEqual(['name', null, 'leaderPhone', 'street', 'remark', null]);
    expect(autoMapHeaders(['电话', '手机'])).toEqual(['leaderPhone', null]);
  });

  it('checks a mapping', () => {
    expect(checkMapping(['name', 'street'], ['名称', '街道'])).toEqual([]);
    expect(checkMapping(['street', null], ['街道', 'x'])).toEqual(['必须有一列对应"组织名称"']);
    expect(checkMapping(['name', 'name'], ['名称', '全称'])[0]).toBe('"组织名称"同时对应了第 1 列(名称)和第 2 列(全称)');
    expect(headerSignature(['*组织名称', ' 负责人 '])).toBe('组织名称|负责人');
  });

  it('parses labels, aliases, full-width text, the date forms and booleans', () => {
    const hs = ['组织名称', '管理类别', '登记类型', '活动领域', '服务对象', '成员人数', '成立日期', '已制定章程', '群团组织', '孵化阶段', '统一社会信用代码', '负责人电话'];
    const { record, issues } = parseSheetRow(
      7,
      ['邻里 守望　服务队', '登记', '民办非企业单位', '邻里互助', '老年人、儿童，老年人', '１２人', '2021年3月5日', '√', '工会/妇联', '孵化中', '５３６４００００mjx173672f', '138-0013-8000'],
      autoMapHeaders(hs),
      hs,
      dicts,
    );
    expect(issues).toEqual([]);
    expect(record).toEqual({
      name: '邻里守望服务队',
      mgmtClass: 'registered',
      registeredKind: 'social_service',
      fieldCode: 'F03',
      peopleServed: ['P01', 'P02'],
      memberCount: 12,
      foundedDate: '2021-03-05',
      charterAdopted: true,
      massOrgs: ['union', 'women'],
      incubationStage: 'incubating',
      creditCode: '53640000MJX173672F',
      leaderPhone: '13800138000',
    });
  });

  it('names the row and the file column of every bad cell', () => {
    const hs = ['名称', '类别', '成立时间', '人数', '领域', '章程', '服务对象'];
    const { issues } = parseSheetRow(12, ['甲', '大型', '2021-02-30', '十二', '养老', '也许', '老人'], autoMapHeaders(hs), hs, dicts);
    expect(issues).toEqual([
      { row: 12, column: '类别', message: '"大型"不是有效的选项(可填:依法登记、街道(乡镇)备案、社区(村)指导)' },
      { row: 12, column: '成立时间', message: '2021年2月没有30日(该月只有 28 天)' },
      { row: 12, column: '人数', message: '应为不小于 0 的整数,现为"十二"' },
      { row: 12, column: '领域', message: '"养老"不在活动领域字典中(可填:为民服务、公益慈善、邻里互助、文体娱乐、农村生产技术服务)' },
      { row: 12, column: '章程', message: '应填"是"或"否",现为"也许"' },
      { row: 12, column: '服务对象', message: '"老人"不在服务对象字典中' },
    ]);
  });

  it('property: formatting a record and parsing it back gives the same record', () => {
    const dictCodes = (k: keyof OrgDictionaries) => fc.constantFrom(...dicts[k].map((e) => e.code));
    const optName = fc.option(fc.stringMatching(/^[甲乙丙丁A-Za-z0-9][甲乙丙丁A-Za-z0-9()]{0,10}$/), { nil: null });
    const recordArb = fc.record({
      name: fc.stringMatching(/^[邻里守望服务队A-Z]{2,12}$/),
      shortName: optName,
      creditCode: fc.option(fc.constant('53640000MJX173672F'), { nil: null }),
      creditCodeConfirmed: fc.boolean(),
      mgmtClass: fc.constantFrom('registered', 'filed', 'guided'),
      registeredKind: fc.option(fc.constantFrom('social_group', 'social_service', 'foundation'), { nil: null }),
      regionCode: fc.option(fc.stringMatching(/^\d{12}$/), { nil: null }),
      street: optName,
      community: optName,
      areaType: fc.option(fc.constantFrom('urban', 'rural'), { nil: null }),
      fieldCode: fc.option(dictCodes('org_field'), { nil: null }),
      peopleServed: fc.uniqueArray(dictCodes('people_served'), { maxLength: 4 }),
      leaderName: optName,
      leaderPhone: fc.option(fc.stringMatching(/^1\d{10}$/), { nil: null }),
      memberCount: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
      volunteerCount: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
      foundedDate: fc.option(fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { nil: null }),
      charterAdopted: fc.boolean(),
      partyInCharter: fc.boolean(),
      partyOrgForm: fc.constantFrom('standalone', 'joint', 'instructor', 'none'),
      massOrgs: fc.uniqueArray(fc.constantFrom('union', 'youth', 'women'), { maxLength: 3 }),
      marks: fc.uniqueArray(fc.constantFrom('brand', 'pilot', 'rural_pilot'), { maxLength: 3 }),
      incubationStage: fc.option(fc.constantFrom('applied', 'admitted', 'incubating', 'graduated', 'withdrawn'), { nil: null }),
      incubationMode: fc.option(fc.constantFrom('physical', 'virtual'), { nil: null }),
      status: fc.constantFrom('active', 'withdrawn'),
      remark: optName,
    }) as fc.Arbitrary<OrgSheetRecord>;
    fc.assert(
      fc.property(recordArb, (record) => {
        const cells = formatSheetRow(record, dicts);
        const { record: back, issues } = parseSheetRow(2, cells, autoMapHeaders(headers), headers, dicts);
        expect(issues).toEqual([]);
        for (const [k, v] of Object.entries(record)) expect((back as Record<string, unknown>)[k], k).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });
});

describe('organization input schema', () => {
  it('requires a registered kind and a code for registered organizations', () => {
    const r = zOrganizationInput.safeParse({ name: '邻里守望', mgmtClass: 'registered' });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path.join('.'))).toEqual(['registeredKind', 'creditCode']);
    const ok = zOrganizationInput.parse({ name: ' 邻里守望 ', mgmtClass: 'guided', leaderPhone: '138 0013 8000', shortName: '  ' });
    expect(ok).toMatchObject({ name: '邻里守望', leaderPhone: '13800138000', shortName: null, partyOrgForm: 'none', peopleServed: [] });
    expect(zOrganizationInput.safeParse({ name: '甲乙', mgmtClass: 'guided', foundedDate: '2021-02-30' }).success).toBe(false);
    expect(zOrganizationInput.safeParse({ name: '甲乙', mgmtClass: 'guided', partyInCharter: true }).success).toBe(false);
  });
});
