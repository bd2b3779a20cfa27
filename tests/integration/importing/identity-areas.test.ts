import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idCheckChar } from '@shared/training/idNumber';
import { checkExportImportIdentity, type IdentityHub } from '../../helpers/exportImportIdentity';
import { rawAll, rawGet } from '../../helpers/engine';

/**
 * Export → import is the identity for the venues, activity records and trainee roster exporters (issue 13), as for
 * the organization 台账 (identity.test.ts): random valid records are put into a fresh hub through the forms' calls,
 * exported in the importer's shape, and the dry run on the same hub shows every row 未变 while a fresh hub importing
 * the file gets the same records. Seeded, so a failure is the same failure on the next run.
 */

/** Text as typed into a form field or a cell: Chinese, digits, markup, quotes, full-width characters, runs of blanks. */
const cellText = (max: number) =>
  fc
    .array(fc.constantFrom(...'社区邻里活动室中心服务老年儿童志愿甲乙丙丁ABCxyz0123456789ＡＢ１２&<>"\'·()（）、,，：。-/ \u3000'.split('')), { minLength: 1, maxLength: max })
    .map((cs) => cs.join(''))
    .filter((s) => s.trim().length > 0);
const multiline = (max: number) => fc.tuple(cellText(max), fc.option(cellText(max), { nil: null })).map(([a, b]) => (b ? `${a}\n${b}` : a));
const pastDate = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

async function codes(hub: IdentityHub, kind: 'venue_host_type' | 'activity_series' | 'activity_kind' | 'people_served' | 'training_role') {
  const list = (await hub.call('dict.list', { kind })).filter((e) => e.active).map((e) => e.code);
  expect(list.length, `字典 ${kind} 应有可用项`).toBeGreaterThan(0);
  return list;
}

/** Organizations the records refer to, the same names in both hubs. */
const ORG_NAMES = ['往返测试老年协会', '往返测试邻里互助队', '往返测试文体队'];
async function organizations(hub: IdentityHub): Promise<void> {
  for (const name of ORG_NAMES) await hub.call('organizations.create', { input: { name, mgmtClass: 'guided' } });
}
const orgIdOf = async (hub: IdentityHub, name: string) => (await rawGet<{ id: string }>(hub.core, 'SELECT id FROM organizations WHERE name = ?', name))!.id;

// --- venues ---------------------------------------------------------------------------------------------------
const timeRange = fc
  .tuple(fc.integer({ min: 6, max: 12 }), fc.constantFrom(0, 30), fc.integer({ min: 1, max: 10 }))
  .map(([h, m, len]) => ({ start: `${String(h).padStart(2, '0')}:${m ? '30' : '00'}`, end: `${String(Math.min(24, h + len)).padStart(2, '0')}:${h + len >= 24 ? '00' : m ? '30' : '00'}` }));
const venueRecord = fc.record({
  suffix: fc.option(cellText(8), { nil: null }),
  hostType: fc.nat(),
  hostName: fc.option(cellText(20), { nil: null }),
  address: fc.option(cellText(30), { nil: null }),
  capacity: fc.integer({ min: 1, max: 2000 }),
  equipment: fc.subarray(['投影仪', '音响', '桌椅', '白板', 'LED屏', '空调', '钢琴（立式）']),
  bookable: fc.boolean(),
  approvalRequired: fc.boolean(),
  // a day closed, or one or two ranges (the second one later than the first)
  hours: fc.array(fc.option(fc.tuple(timeRange, fc.boolean()), { nil: null }), { minLength: 7, maxLength: 7 }),
  note: fc.option(multiline(20), { nil: null }),
});
type VenueRecord = typeof venueRecord extends fc.Arbitrary<infer T> ? T : never;

// --- activity records -----------------------------------------------------------------------------------------
const activityRecord = fc.record({
  org: fc.nat({ max: ORG_NAMES.length - 1 }),
  title: cellText(20),
  date: pastDate,
  series: fc.nat(),
  kind: fc.option(fc.nat(), { nil: null }),
  place: fc.option(cellText(20), { nil: null }),
  expected: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }),
  actual: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  volunteers: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  people: fc.subarray([0, 1, 2, 3]),
  status: fc.constantFrom('planned', 'held', 'cancelled'),
  description: fc.option(multiline(30), { nil: null }),
});
type ActivityRecord = typeof activityRecord extends fc.Arbitrary<infer T> ? T : never;

// --- trainees -------------------------------------------------------------------------------------------------
const idNumber = fc
  .tuple(fc.constantFrom('110101', '510107', '440305'), pastDate.map((d) => d.replace(/-/g, '').replace(/^20/, '19')), fc.integer({ min: 0, max: 999 }), fc.boolean())
  .map(([region, birth, seq, lower]) => {
    const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
    const id = first17 + idCheckChar(first17);
    return lower ? id.toLowerCase() : id;
  });
const traineeRecord = fc.record({
  name: fc.array(fc.constantFrom(...'王李张刘陈杨赵黄周吴芳丽明强静伟敏'.split('')), { minLength: 2, maxLength: 4 }).map((cs) => cs.join('')),
  idNumber: fc.option(idNumber, { nil: null }),
  phone: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`),
  role: fc.nat(),
  org: fc.option(fc.nat({ max: ORG_NAMES.length - 1 }), { nil: null }),
  unitName: fc.option(cellText(20), { nil: null }),
  note: fc.option(multiline(20), { nil: null }),
});
type TraineeRecord = typeof traineeRecord extends fc.Arbitrary<infer T> ? T : never;

const upload = (f: { fileName: string; base64: string }) => f;

describe('export → import is the identity (venues, activity records, trainee roster)', () => {
  it('venues: random venues exported in the import template shape are 未变 on a dry run, and a fresh hub gets the same venues', async () => {
    await checkExportImportIdentity<VenueRecord>(
      {
        name: '场地',
        records: fc.array(venueRecord, { minLength: 1, maxLength: 8 }),
        async create(hub, records) {
          const hostTypes = await codes(hub, 'venue_host_type');
          let n = 0;
          for (const r of records) {
            n++;
            const openingHours = r.hours.map((d) => {
              if (!d) return [];
              const [range, second] = d;
              const endH = Number(range.end.slice(0, 2));
              return second && endH <= 21 ? [range, { start: `${String(endH + 1).padStart(2, '0')}:00`, end: `${String(endH + 2).padStart(2, '0')}:30` }] : [range];
            });
            await hub.call('venues.create', {
              name: `往返场地${String(n).padStart(2, '0')}${r.suffix ?? ''}`,
              hostTypeCode: hostTypes[r.hostType % hostTypes.length],
              hostName: r.hostName ?? '',
              address: r.address ?? '',
              capacity: r.capacity,
              equipment: r.equipment,
              bookable: r.bookable,
              approvalRequired: r.approvalRequired,
              openingHours,
              note: r.note ?? '',
            });
          }
        },
        exportFile: (hub) => hub.call('venues.export', {}).then(upload),
        preview: (hub, file) => hub.call('venues.import.preview', { file }),
        commit: (hub, file) => hub.call('venues.import.commit', { file, mode: 'all' }),
        async snapshot(hub) {
          return rawAll(hub.core, 'SELECT name, host_type_code, host_name, address, capacity, equipment_json, bookable, approval_required, opening_hours_json, note, closed_json, quotas_json FROM venues ORDER BY name');
        },
      },
      { numRuns: 6, seed: 1301 },
    );
  }, 600_000);

  it('activity records: random records exported in the import template shape are 未变 on a dry run, and a fresh hub gets the same records', async () => {
    await checkExportImportIdentity<ActivityRecord>(
      {
        name: '活动记录',
        // one activity per organization, date and title (the importer's identity)
        records: fc.uniqueArray(activityRecord, { minLength: 1, maxLength: 10, selector: (r) => `${r.org}|${r.date}|${r.title.replace(/\s/g, '')}` }),
        async prepare(hub) {
          await organizations(hub);
        },
        async create(hub, records) {
          const series = await codes(hub, 'activity_series');
          const kinds = await codes(hub, 'activity_kind');
          const people = await codes(hub, 'people_served');
          for (const r of records) {
            const saved = await hub.call('organizations.activities.save', {
              orgId: await orgIdOf(hub, ORG_NAMES[r.org]),
              title: r.title,
              seriesCode: series[r.series % series.length],
              kindCode: r.kind === null ? null : kinds[r.kind % kinds.length],
              date: r.date,
              place: r.place,
              expectedAttendance: r.expected,
              actualAttendance: r.actual,
              volunteerCount: r.volunteers,
              peopleServed: r.people.map((i) => people[i % people.length]),
              description: r.description,
            });
            // a major activity needs its report before it can be marked held; those stay planned or are cancelled
            const status = r.status === 'held' && saved.isMajor ? 'cancelled' : r.status;
            if (status !== 'planned') await hub.call('organizations.activities.setStatus', { id: saved.id, status });
          }
        },
        exportFile: (hub) => hub.call('organizations.activities.export', {}).then(upload),
        preview: (hub, file) => hub.call('organizations.activities.import.preview', { file }),
        commit: (hub, file) => hub.call('organizations.activities.import.commit', { file, mode: 'all' }),
        async snapshot(hub) {
          return rawAll(hub.core, `SELECT o.name AS org, a.title, a.date, a.series_code, a.kind_code, a.place, a.expected_attendance, a.actual_attendance, a.volunteer_count,
                      a.people_served, a.status, a.is_major, a.report_filed_date, a.report_note, a.description
                 FROM org_activities a JOIN organizations o ON o.id = a.org_id ORDER BY o.name, a.date, a.title`);
        },
      },
      { numRuns: 6, seed: 1302 },
    );
  }, 600_000);

  it('trainee roster: random trainees exported in the import template shape are 未变 on a dry run, and a fresh hub gets the same people', async () => {
    await checkExportImportIdentity<TraineeRecord>(
      {
        name: '学员花名册',
        // one person per ID number and per phone (the importer's identity)
        records: fc.uniqueArray(traineeRecord, { minLength: 1, maxLength: 10, selector: (r) => r.phone }).filter((rs) => new Set(rs.map((r) => r.idNumber?.toUpperCase()).filter(Boolean)).size === rs.filter((r) => r.idNumber).length),
        async prepare(hub) {
          await organizations(hub);
        },
        async create(hub, records) {
          const roles = await codes(hub, 'training_role');
          for (const r of records) {
            await hub.call('training.trainees.save', {
              name: r.name,
              phone: r.phone,
              idNumber: r.idNumber,
              role: roles[r.role % roles.length],
              organizationId: r.org === null ? null : await orgIdOf(hub, ORG_NAMES[r.org]),
              unitName: r.unitName,
              note: r.note,
            });
          }
        },
        exportFile: (hub) => hub.call('training.trainees.exportRoster', {}).then(upload),
        preview: (hub, file) => hub.call('training.trainees.import.preview', { file }),
        commit: (hub, file) => hub.call('training.trainees.import.commit', { file, mode: 'all' }),
        async snapshot(hub) {
          return rawAll(hub.core, `SELECT t.name, t.name_key, t.phone, t.phone_digits, t.id_number, t.role, o.name AS org, t.unit_name, t.readings, t.note
                 FROM training_trainees t LEFT JOIN organizations o ON o.id = t.organization_id ORDER BY t.phone`);
        },
      },
      { numRuns: 6, seed: 1303 },
    );
  }, 600_000);
});
