import { describe, it } from 'vitest';
import fc from 'fast-check';
import type { OrganizationInputRaw } from '@shared/organizations/model';
import { MASS_ORGS, ORG_MARKS, PARTY_ORG_FORMS, REGISTERED_KINDS } from '@shared/organizations/model';
import { computeCreditCheckChar, computeOrgCodeCheckChar } from '@shared/organizations/creditCode';
import { checkExportImportIdentity, type IdentityHub } from '../../helpers/exportImportIdentity';
import { rawAll } from '../../helpers/engine';

/**
 * Text as people type it into a form field or a 台账 cell, not cleaned beforehand: Chinese, digits, markup
 * characters, quotes, full stops, full-width （）、，：, the ideographic space and runs of blanks. The form and the
 * import clean it by the same rule (ORG_TEXT_RULES), so the typed record is exactly what its export re-imports.
 */
const cellText = (max: number) =>
  fc
    .array(fc.constantFrom(...'社区邻里互助文体娱乐队会社中心服务老年人儿童志愿者甲乙丙丁ABCxyz0123456789ＡＢ１２&<>"\'·()（）、,，：。-/ \u3000'.split('')), { minLength: 1, maxLength: max })
    .map((cs) => cs.join(''))
    .filter((s) => s.trim().length > 0);

const KIND_CHAR: Record<(typeof REGISTERED_KINDS)[number], string> = { social_group: '1', social_service: '2', foundation: '3' };
const creditCode = (kind: (typeof REGISTERED_KINDS)[number], n: number) => {
  const org8 = `MJ${String(100000 + n).slice(-6)}`;
  const first17 = `5${KIND_CHAR[kind]}510107${org8}${computeOrgCodeCheckChar(org8)!}`;
  return first17 + computeCreditCheckChar(first17)!;
};

const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const mobile = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`);

const orgRecord = fc.record({
  kind: fc.constantFrom('guided', 'filed', ...REGISTERED_KINDS),
  shortName: fc.option(cellText(10), { nil: null }),
  street: fc.option(fc.constantFrom('玉林街道', '簇桥街道', '桂溪街道'), { nil: null }),
  community: fc.option(cellText(12), { nil: null }),
  areaType: fc.option(fc.constantFrom('urban', 'rural'), { nil: null }),
  field: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  people: fc.subarray([0, 1, 2, 3]),
  leaderName: fc.option(cellText(6), { nil: null }),
  leaderPhone: fc.option(mobile, { nil: null }),
  memberCount: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  volunteerCount: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  foundedDate: fc.option(date, { nil: null }),
  charter: fc.constantFrom('none', 'charter', 'party'),
  partyOrgForm: fc.constantFrom(...PARTY_ORG_FORMS),
  massOrgs: fc.subarray([...MASS_ORGS]),
  marks: fc.subarray([...ORG_MARKS]),
  fixedActivityPlace: fc.option(cellText(20), { nil: null }),
  remark: fc.option(fc.tuple(cellText(30), fc.option(cellText(20), { nil: null })).map(([a, b]) => (b ? `${a}\n${b}` : a)), { nil: null }),
});
type OrgRecord = typeof orgRecord extends fc.Arbitrary<infer T> ? T : never;

async function dict(hub: IdentityHub, kind: 'org_field' | 'people_served') {
  return (await hub.call('dict.list', { kind })).map((e) => e.code);
}

const ORG_SNAPSHOT_COLUMNS = [
  'name', 'short_name', 'credit_code', 'credit_code_confirmed', 'mgmt_class', 'registered_kind', 'region_code', 'street', 'community', 'area_type',
  'field_code', 'people_served', 'leader_name', 'leader_phone', 'contact_name', 'contact_phone', 'member_count', 'volunteer_count', 'founded_date',
  'charter_adopted', 'party_in_charter', 'party_org_form', 'party_instructor', 'mass_orgs', 'marks', 'fixed_activity_time', 'fixed_activity_place',
  'remark', 'incubation_stage', 'status',
];

describe('export → import is the identity', () => {
  it('organizations: random records exported as the app writes the 台账 are all 未变 on a dry run, and an empty hub gets the same records', async () => {
    await checkExportImportIdentity<OrgRecord>(
      {
        name: '组织台账',
        records: fc.array(orgRecord, { minLength: 1, maxLength: 12 }),
        async create(hub, records) {
          const fields = await dict(hub, 'org_field');
          const people = await dict(hub, 'people_served');
          let n = 0;
          for (const r of records) {
            n++;
            const registered = r.kind !== 'guided' && r.kind !== 'filed';
            const input: OrganizationInputRaw = {
              name: `往返组织${String(n).padStart(3, '0')}${r.shortName ?? ''}`.slice(0, 100),
              shortName: r.shortName,
              mgmtClass: registered ? 'registered' : (r.kind as 'guided' | 'filed'),
              registeredKind: registered ? (r.kind as (typeof REGISTERED_KINDS)[number]) : null,
              creditCode: registered ? creditCode(r.kind as (typeof REGISTERED_KINDS)[number], n) : null,
              street: r.street,
              community: r.community,
              areaType: r.areaType,
              fieldCode: r.field === null ? null : (fields[r.field % fields.length] ?? null),
              peopleServed: r.people.map((i) => people[i]).filter(Boolean),
              leaderName: r.leaderName,
              leaderPhone: r.leaderPhone,
              memberCount: r.memberCount,
              volunteerCount: r.volunteerCount,
              foundedDate: r.foundedDate,
              charterAdopted: r.charter !== 'none',
              partyInCharter: r.charter === 'party',
              partyOrgForm: r.partyOrgForm,
              massOrgs: r.massOrgs,
              marks: r.marks,
              fixedActivityPlace: r.fixedActivityPlace,
              remark: r.remark,
            };
            await hub.call('organizations.create', { input });
          }
        },
        exportFile: (hub) => hub.call('organizations.export', {}),
        preview: (hub, file) => hub.call('organizations.import.preview', { file }),
        commit: (hub, file) => hub.call('organizations.import.commit', { file, mode: 'all' }),
        async snapshot(hub) {
          return rawAll(hub.core, `SELECT ${ORG_SNAPSHOT_COLUMNS.join(', ')} FROM organizations ORDER BY name`);
        },
      },
      { numRuns: 6 },
    );
  }, 600_000);
});
