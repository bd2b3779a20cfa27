import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { computeCreditCheckChar, computeOrgCodeCheckChar } from '@shared/organizations/creditCode';
import { periodOfDate, requirePeriod, type Period } from '@shared/submission/period';
import { chinaDateOf, addDays } from '@shared/dates/parse';
import { emptyPackageData, type PackageData } from '@shared/submission/records';
import type { Level } from '@shared/submission/region';
import type { SeedContext } from '../seed';
import type { SeededRandom } from '../seed/random';
import { generateHubKeyPair } from './package/keys';
import { buildSubmissionPackage } from './package/build';
import { verifyPackage } from './package/verify';
import { keptPackagePath, storeVerifiedPackage } from './importService';
import { writeFileAtomic } from '../safePath';
import { ensureHubKey } from './hubKey';

/**
 * Demo data of the submission area for the demo county hub (武侯区): it is the federation of four street hubs,
 * registered with their keys, whose signed packages for the last finished quarter have been imported — one
 * street sent a corrected package (the first is kept, superseded), two streets list the same registered
 * organization, one lists an organization the county itself keeps. Plus member organizations with dues.
 */

const STREETS: { code: string; name: string; rural: boolean }[] = [
  { code: '510107001', name: '浆洗街街道社会组织服务站', rural: false },
  { code: '510107003', name: '望江路街道社会组织服务站', rural: false },
  { code: '510107005', name: '玉林街道社区社会组织孵化园', rural: false },
  { code: '510107013', name: '簇桥街道社会组织服务中心', rural: true },
];
const COMMUNITIES = ['锦城', '桐梓林', '倪家桥', '芳草', '双楠', '红牌楼', '机投', '簇锦'];
const KINDS = ['舞蹈队', '志愿服务队', '读书会', '调解委员会', '书画社', '老年协会', '助残服务社', '亲子阅读会', '合唱团', '治安巡逻队'];
const FIELDS = [
  ['F01', '为民服务'],
  ['F02', '公益慈善'],
  ['F03', '邻里互助'],
  ['F04', '文体娱乐'],
];
const SOURCES = [
  ['gov_purchase', '政府购买服务'],
  ['venture', '公益创投'],
  ['donation', '社会捐赠'],
  ['community_fund', '社区基金(会)'],
];
const ROLES = [
  ['R02', '城乡社区工作者'],
  ['R04', '社区社会组织负责人'],
  ['R06', '社区志愿者'],
];
const CATEGORIES = [
  ['C01', '党的建设'],
  ['C02', '培育发展'],
  ['C03', '能力建设'],
];
const SERIES = [
  ['S01', '邻里守望'],
  ['S02', '共建共治共享'],
  ['S03', '共创平安'],
  ['S04', '文化铸魂'],
];

export function demoCreditCode(rng: SeededRandom, region = '510107'): string {
  const body = `MJ${String(rng.int(100000, 999999))}`;
  const org = body + computeOrgCodeCheckChar(body)!;
  const first17 = `52${region}${org}`;
  return first17 + computeCreditCheckChar(first17)!;
}

function dateIn(rng: SeededRandom, p: Period): string {
  const start = Date.parse(`${p.start}T00:00:00Z`);
  const end = Date.parse(`${p.end}T00:00:00Z`);
  return new Date(start + rng.int(0, Math.round((end - start) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}

/** One street hub's data for a period (deterministic). */
export function demoHubData(rng: SeededRandom, hubId: string, street: { code: string; rural: boolean }, p: Period, orgCount: number, shared: { name: string; creditCode: string }[]): PackageData {
  const d = emptyPackageData();
  const g = (x: string) => `${hubId}:${x}`;
  for (let i = 0; i < orgCount; i++) {
    const cls = rng.chance(0.2) ? 'registered' : rng.chance(0.45) ? 'filed' : 'guided';
    const community = rng.pick(COMMUNITIES);
    const [fieldCode, fieldLabel] = rng.pick(FIELDS);
    const stage = rng.chance(0.5) ? rng.pick(['applied', 'admitted', 'incubating', 'incubating', 'graduated'] as const) : null;
    d.organizations.push({
      gid: g(`org-${i}`),
      name: `${community}社区${rng.pick(KINDS)}${i > 9 ? i : ''}`,
      creditCode: cls === 'registered' ? demoCreditCode(rng) : null,
      managementClass: cls,
      fieldCode,
      fieldLabel,
      regionCode: `${street.code}${String(rng.int(1, 12)).padStart(3, '0')}`,
      regionName: `${community}社区`,
      urbanRural: street.rural && rng.chance(0.6) ? 'rural' : 'urban',
      stage,
      foundedOn: `20${rng.int(18, 25)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
      memberCount: rng.int(8, 60),
      volunteerCount: rng.int(0, 20),
      status: 'active',
    });
    if (stage === 'graduated' || stage === 'incubating') {
      d.incubation_events.push({ gid: g(`ie-${i}`), orgGid: g(`org-${i}`), fromStage: stage === 'graduated' ? 'incubating' : 'admitted', toStage: stage, date: dateIn(rng, p) });
    }
  }
  shared.forEach((s, k) => {
    d.organizations.push({ ...d.organizations[0], gid: g(`shared-${k}`), name: s.name, creditCode: s.creditCode, managementClass: 'registered', stage: 'graduated' });
  });
  for (let v = 0; v < 2; v++) {
    d.venues.push({ gid: g(`venue-${v}`), name: v === 0 ? '党群服务中心多功能厅' : '社区活动室', hostTypeLabel: '党群服务中心', capacity: v === 0 ? 80 : 30 });
    for (let b = 0; b < 12; b++) {
      const used = rng.chance(0.7);
      d.bookings.push({
        gid: g(`bk-${v}-${b}`),
        venueGid: g(`venue-${v}`),
        orgGid: g(`org-${rng.int(0, orgCount - 1)}`),
        date: dateIn(rng, p),
        minutes: rng.pick([60, 90, 120, 180]),
        status: used ? 'used' : rng.pick(['approved', 'cancelled', 'no_show'] as const),
        attendance: used ? rng.int(8, 60) : null,
      });
    }
  }
  for (let j = 0; j < 24; j++) {
    const [code, label] = rng.pick(SOURCES);
    const receipt = j < 8 || rng.chance(0.4);
    d.custody_entries.push({
      gid: g(`cj-${j}`),
      orgGid: g(`org-${rng.int(0, orgCount - 1)}`),
      date: j < 8 ? addDays(p.start, -rng.int(1, 60)) : dateIn(rng, p),
      kind: receipt ? 'receipt' : 'disbursement',
      sourceCode: code,
      sourceLabel: label,
      amountFen: receipt ? rng.int(50, 400) * 10000 : rng.int(5, 90) * 1000,
      voucherNo: `${j + 1}`,
    });
  }
  for (let s = 0; s < 3; s++) {
    const [code, label] = CATEGORIES[s];
    d.training_sessions.push({ gid: g(`ts-${s}`), title: `${label}专题培训`, categoryCode: code, categoryLabel: label, formatLabel: '示范培训', date: dateIn(rng, p), minutes: 120 });
    const n = rng.int(12, 30);
    for (let a = 0; a < n; a++) {
      const [rc, rl] = rng.pick(ROLES);
      d.attendances.push({ gid: g(`att-${s}-${a}`), sessionGid: g(`ts-${s}`), traineeGid: g(`tr-${a}`), roleCode: rc, roleLabel: rl, status: rng.chance(0.85) ? 'present' : rng.pick(['late', 'absent', 'excused'] as const) });
    }
  }
  for (let a = 0; a < 10; a++) {
    const [sc, sl] = rng.pick(SERIES);
    const major = a < 2;
    const date = dateIn(rng, p);
    d.activities.push({
      gid: g(`act-${a}`),
      orgGid: g(`org-${rng.int(0, orgCount - 1)}`),
      title: major ? `${sl}主题文艺汇演` : `${sl}活动${a}`,
      date,
      seriesCode: sc,
      seriesLabel: sl,
      kindLabel: major ? '文化演出' : '志愿服务',
      status: 'held',
      participants: major ? rng.int(120, 300) : rng.int(10, 60),
      volunteers: rng.int(2, 15),
      major,
      reportFiledOn: major && a === 0 ? addDays(date, -7) : null,
    });
  }
  return d;
}

export async function seedSubmission(s: SeedContext): Promise<void> {
  const { trx, rng } = s;
  // This hub's own key, as on any first run.
  ensureHubKey(s.core.dataDir);
  const today = chinaDateOf(s.now);
  const current = requirePeriod(periodOfDate(today, 'quarter'));
  const period = requirePeriod(current.quarter === 1 ? `${current.year - 1}-Q4` : `${current.year}-Q${current.quarter! - 1}`);
  const nowIso = s.now.toISOString();

  // Member organizations and their dues.
  const year = Number(today.slice(0, 4));
  const members = ['武侯区志愿者协会', '武侯区老年人体育协会', '武侯区社区文化促进会', '玉林社区发展基金会', '武侯区青少年服务中心', '簇桥邻里互助协会'];
  for (const [i, name] of members.entries()) {
    const id = randomUUID();
    const dues = [200000, 100000, 100000, 300000, 50000, 50000][i];
    await trx
      .insertInto('sub_member_orgs')
      .values({
        id,
        name,
        credit_code: demoCreditCode(rng),
        member_type: i === 0 ? 'standing' : i < 3 ? 'council' : 'unit',
        contact_name: ['王', '李', '张', '刘', '陈', '杨'][i] + ['老师', '会长', '主任'][i % 3],
        contact_phone: `138${String(rng.int(10000000, 99999999))}`,
        joined_on: `20${20 + (i % 5)}-0${(i % 9) + 1}-15`,
        annual_dues_fen: dues,
        status: 'active',
        left_on: null,
        note: '',
        created_at: nowIso,
        updated_at: nowIso,
      })
      .execute();
    if (i < 4) {
      await trx
        .insertInto('sub_member_dues')
        .values({ id: randomUUID(), member_org_id: id, year, amount_fen: i === 3 ? dues / 2 : dues, paid_on: `${year}-03-${10 + i}`, receipt_no: `HF${year}${String(i + 1).padStart(3, '0')}`, recorded_by: 'admin', recorded_at: nowIso })
        .execute();
    }
  }

  // Street hubs: register, build their signed packages, import. One of them also lists a current organization of
  // this hub (chosen by code, not by random id, so the demo is the same every time).
  const ownOrg = (await sql<{ name: string; credit_code: string }>`SELECT name, credit_code FROM organizations WHERE credit_code IS NOT NULL AND status = 'active' ORDER BY credit_code LIMIT 1`.execute(trx).catch(() => ({ rows: [] }))).rows[0];
  const sharedBoth = { name: '武侯区阳光助残服务中心', creditCode: demoCreditCode(rng) };
  const dir = mkdtempSync(join(tmpdir(), 'incubase-seed-'));
  try {
    for (const [i, street] of STREETS.entries()) {
      const key = generateHubKeyPair();
      const hubId = randomUUID();
      const regionCode = street.code.padEnd(12, '0');
      await trx
        .insertInto('sub_member_hubs')
        .values({
          id: randomUUID(),
          hub_id: hubId,
          name: street.name,
          region_code: regionCode,
          level: 'township',
          public_key_pem: key.publicKeyPem,
          fingerprint: key.fingerprint,
          contact: `${['赵', '钱', '孙', '周'][i]}站长`,
          note: '',
          active: 1,
          registered_at: nowIso,
          updated_at: nowIso,
        })
        .execute();
      const shared = [...(i === 1 || i === 2 ? [sharedBoth] : []), ...(i === 3 && ownOrg ? [{ name: ownOrg.name, creditCode: ownOrg.credit_code }] : [])];
      const versions = i === 2 ? 2 : 1; // 玉林 corrected its package once
      for (let v = 0; v < versions; v++) {
        const data = demoHubData(rng, hubId, street, period, Math.round((18 + i * 6 + v * 2) * s.scale), shared);
        const createdAt = new Date(Math.min(s.now.getTime() - (versions - v) * 86_400_000, Date.parse(`${period.end}T00:00:00+08:00`) + (10 + v * 3) * 86_400_000));
        const out = join(dir, `${i}-${v}.incubase`);
        await buildSubmissionPackage({
          outPath: out,
          hub: { hubId, hubName: street.name, regionCode, level: 'township' as Level },
          period: period.text,
          sources: data,
          privateKeyPem: key.privateKeyPem,
          now: createdAt,
        });
        const verified = await verifyPackage(out, { resolveKeys: (h) => (h === hubId ? [{ publicKeyPem: key.publicKeyPem }] : undefined), collect: true });
        await storeVerifiedPackage(trx, verified, { fileName: `${street.name}-${period.text}.incubase`, size: statSync(out).size, importedBy: 'admin', now: addIso(createdAt, 3600_000) });
        // Kept as received, like a package imported through the screen.
        writeFileAtomic(keptPackagePath(s.core.dataDir, verified.manifest.packageId), readFileSync(out));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function addIso(d: Date, ms: number): string {
  return new Date(d.getTime() + ms).toISOString();
}
