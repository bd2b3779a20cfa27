/**
 * Demo organizations for the 武侯区 demo hub: every class and incubation stage, with incubation histories,
 * activities (including major activities with and without their reports), evaluations, work reports and
 * disclosures. `scale` multiplies the count (scale 1 ≈ 120 organizations; benchmarks use ~420 for 50,000).
 * Rows go through prepared statements on the seeding transaction's connection: fast enough for 50,000.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_DICTIONARIES } from '@shared/admin/dictionaries';
import { addDays, addMonths, todayInChina } from '@shared/dates/parse';
import { CREDIT_CODE_ALPHABET, computeCreditCheckChar, computeOrgCodeCheckChar } from '@shared/organizations/creditCode';
import { DEFAULT_MAJOR_KIND_CODES } from '@shared/organizations/activity';
import { DEFAULT_EVALUATION_CONFIG, gradeFor } from '@shared/organizations/evaluation';
import type { IncubationStage } from '@shared/organizations/incubation';
import { pinyinFull } from '../text/pinyin';
import type { SeedContext } from '../seed';
import type { SeededRandom } from '../seed/random';
import { buildSearchText } from './records';

const STREETS: Record<string, string[]> = {
  玉林街道: ['玉林北路社区', '玉林东路社区', '黉门街社区', '倪家桥社区'],
  浆洗街街道: ['洗面桥社区', '锦里社区', '文昌社区'],
  望江路街道: ['共和路社区', '望江楼社区', '新南门社区'],
  火车南站街道: ['桐梓林社区', '新城社区', '双楠社区'],
  红牌楼街道: ['红牌楼社区', '佳灵路社区', '长寿苑社区'],
  簇桥街道: ['七里社区', '簇桥社区', '高碑社区'],
  机投桥街道: ['果堰社区', '机投桥社区', '江安河社区'],
  晋阳街道: ['晋吉社区', '晋阳社区', '南桥社区'],
  金花桥街道: ['金花社区', '江安社区', '新苗社区'],
  簇锦街道: ['铁佛社区', '簇锦社区', '双凤社区'],
};
const RURAL = new Set(['金花桥街道', '机投桥街道']);
const THEMES = [
  ['邻里守望', 'F03'],
  ['夕阳红', 'F04'],
  ['银龄互助', 'F03'],
  ['爱心助老', 'F01'],
  ['四点半课堂', 'F01'],
  ['和谐调解', 'F01'],
  ['绿色家园', 'F02'],
  ['巾帼', 'F02'],
  ['阳光助残', 'F02'],
  ['书香', 'F04'],
  ['川剧票友', 'F04'],
  ['太极', 'F04'],
  ['平安巡逻', 'F01'],
  ['垃圾分类', 'F02'],
  ['花卉种植技术', 'F05'],
  ['青年志愿者', 'F02'],
  ['微心愿', 'F02'],
  ['红色记忆', 'F04'],
  ['健康养生', 'F01'],
  ['社区书画', 'F04'],
] as const;
const SUFFIXES = ['志愿服务队', '协会', '互助会', '服务社', '舞蹈队', '合唱团', '读书会', '工作室', '服务中心', '促进会'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'.split('');
const GIVEN = '丽芳敏静秀英华明强军伟洋勇杰娟霞平刚桂兰'.split('');

function person(rng: SeededRandom): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.5) ? rng.pick(GIVEN) : '');
}
function phone(rng: SeededRandom): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999999999)).padStart(9, '0')}`;
}

/** A credit code that passes both checks: civil affairs (5), the given kind, the demo hub's region. */
export function demoCreditCode(rng: SeededRandom, kindChar: string): string {
  const letters = CREDIT_CODE_ALPHABET.slice(10);
  let org8 = rng.pick(['MJ', 'MK', 'MH']);
  while (org8.length < 8) org8 += rng.chance(0.7) ? String(rng.int(0, 9)) : rng.pick(letters.split(''));
  const first17 = `5${kindChar}510107${org8}${computeOrgCodeCheckChar(org8)}`;
  return first17 + computeCreditCheckChar(first17);
}

/** A real early pilot code that fails the check: kept by confirmation. */
const PILOT_CODE = '91350211M00013FA1N';

const STAGE_PATH: IncubationStage[] = ['applied', 'admitted', 'incubating', 'graduated'];

export async function seedOrganizations(s: SeedContext, opts: { count?: number } = {}): Promise<void> {
  const rng = s.rng;
  const db = s.core.sqlite;
  const today = todayInChina(s.now);
  const nowIso = s.now.toISOString();
  const count = opts.count ?? Math.max(20, Math.round(120 * s.scale));
  const streets = Object.keys(STREETS);
  const people = DEFAULT_DICTIONARIES.people_served.map((e) => e.code);
  const series = DEFAULT_DICTIONARIES.activity_series.map((e) => e.code);
  const kinds = DEFAULT_DICTIONARIES.activity_kind.map((e) => e.code);
  const staff = '张丽(孵化专员)';

  const insOrg = db.prepare(`INSERT INTO organizations (id, name, name_pinyin, short_name, credit_code, credit_code_confirmed,
    credit_code_confirmed_by, credit_code_confirmed_at, mgmt_class, registered_kind, region_code, street, community, area_type,
    field_code, people_served, leader_name, leader_phone, contact_name, contact_phone, member_count, volunteer_count, founded_date,
    charter_adopted, party_in_charter, party_org_form, party_instructor, mass_orgs, marks, fixed_activity_time, fixed_activity_place,
    remark, incubation_stage, incubation_date, incubation_mode, admitted_date, mentor, agreement_end, status, withdrawn_date,
    withdrawn_reason, search_text, activity_count, last_activity_date, latest_grade, latest_eval_year, created_at, updated_at, version)
    VALUES (@id, @name, @name_pinyin, @short_name, @credit_code, @credit_code_confirmed, @credit_code_confirmed_by,
    @credit_code_confirmed_at, @mgmt_class, @registered_kind, @region_code, @street, @community, @area_type, @field_code,
    @people_served, @leader_name, @leader_phone, @contact_name, @contact_phone, @member_count, @volunteer_count, @founded_date,
    @charter_adopted, @party_in_charter, @party_org_form, @party_instructor, @mass_orgs, @marks, @fixed_activity_time,
    @fixed_activity_place, @remark, @incubation_stage, @incubation_date, @incubation_mode, @admitted_date, @mentor, @agreement_end,
    @status, @withdrawn_date, @withdrawn_reason, @search_text, @activity_count, @last_activity_date, @latest_grade,
    @latest_eval_year, @created_at, @updated_at, 1)`);
  const insEvent = db.prepare(`INSERT INTO org_incubation_events (id, org_id, from_stage, to_stage, date, decided_by, reason, mode,
    space, mentor, agreement_start, agreement_end, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insActivity = db.prepare(`INSERT INTO org_activities (id, org_id, title, series_code, kind_code, date, place,
    expected_attendance, actual_attendance, volunteer_count, people_served, status, is_major, report_filed_date, report_note,
    description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insEval = db.prepare(`INSERT INTO org_evaluations (id, org_id, year, basic_x10, activities_x10, contribution_x10,
    influence_x10, total_x10, grade, evaluator, remark, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insReport = db.prepare(`INSERT INTO org_reports (id, org_id, kind, date, title, content, recipient, created_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const updStats = db.prepare(`UPDATE organizations SET activity_count = (SELECT count(*) FROM org_activities WHERE org_id = ?
    AND status != 'cancelled'), last_activity_date = ? WHERE id = ?`);
  const updGrade = db.prepare('UPDATE organizations SET latest_grade = ?, latest_eval_year = ? WHERE id = ?');
  // Names and codes already in the database (a benchmark adds tens of thousands to a seeded hub).
  const existing = db.prepare('SELECT name, street, credit_code FROM organizations').all() as { name: string; street: string | null; credit_code: string | null }[];
  const usedNames = new Set<string>(existing.map((o) => `${o.name}|${o.street ?? ''}`));
  const usedCodes = new Set<string>(existing.flatMap((o) => (o.credit_code ? [o.credit_code] : [])));
  const thisYear = Number(today.slice(0, 4));
  for (let i = 0; i < count; i++) {
    const street = streets[i % streets.length];
    const community = rng.pick(STREETS[street]);
    const [theme, field] = rng.pick(THEMES);
    let name = `${community.replace(/社区$/, '')}${theme}${rng.pick(SUFFIXES)}`;
    for (let n = 2; usedNames.has(`${name}|${street}`); n++) name = `${community.replace(/社区$/, '')}${theme}${rng.pick(SUFFIXES)}${n > 3 ? n : ''}`;
    usedNames.add(`${name}|${street}`);
    // roughly the national picture: few registered, many filed, most guided
    const roll = rng.next();
    const mgmtClass = roll < 0.15 ? 'registered' : roll < 0.5 ? 'filed' : 'guided';
    const kindChar = rng.pick(['1', '2', '2', '3']);
    const registeredKind = mgmtClass === 'registered' ? ({ '1': 'social_group', '2': 'social_service', '3': 'foundation' } as const)[kindChar as '1' | '2' | '3'] : null;
    let creditCode: string | null = null;
    let confirmed = 0;
    if (mgmtClass === 'registered') {
      if (i === 7 && !usedCodes.has(PILOT_CODE)) {
        creditCode = PILOT_CODE;
        confirmed = 1;
      } else {
        do creditCode = demoCreditCode(rng, kindChar);
        while (usedCodes.has(creditCode));
      }
      usedCodes.add(creditCode);
    }
    const leader = person(rng);
    const leaderPhone = phone(rng);
    const members = mgmtClass === 'guided' ? rng.int(5, 40) : rng.int(8, 120);
    const founded = addDays(today, -rng.int(200, 3650));
    const charter = mgmtClass !== 'guided' || rng.chance(0.4);
    const partyForm = rng.pick(['standalone', 'joint', 'instructor', 'instructor', 'none'] as const);
    const marks: string[] = [];
    if (rng.chance(0.08)) marks.push('brand');
    if (rng.chance(0.06)) marks.push('pilot');
    if (RURAL.has(street) && rng.chance(0.1)) marks.push('rural_pilot');
    const shortName = rng.chance(0.3) ? `${theme}${rng.pick(['队', '会', '社'])}` : null;

    // incubation: about half are in the programme, spread over every stage
    let stage: IncubationStage | null = null;
    const events: { from: IncubationStage | null; to: IncubationStage; date: string }[] = [];
    let mentor: string | null = null;
    let agreementEnd: string | null = null;
    let admittedDate: string | null = null;
    const mode = rng.chance(0.6) ? 'physical' : 'virtual';
    if (rng.chance(0.55)) {
      const depth = rng.pick([0, 1, 2, 2, 2, 3]);
      const withdrawn = depth < 3 && rng.chance(0.12);
      let d = addDays(today, -rng.int(20, 1100));
      let from: IncubationStage | null = null;
      for (let k = 0; k <= depth; k++) {
        const to = STAGE_PATH[k];
        if (d > today) d = today;
        events.push({ from, to, date: d });
        if (to === 'admitted') admittedDate = d;
        if (to === 'incubating') {
          mentor = person(rng);
          agreementEnd = addMonths(d, 24);
        }
        from = to;
        d = addDays(d, rng.int(20, k === 2 ? 700 : 90));
      }
      if (withdrawn) events.push({ from, to: 'withdrawn', date: d > today ? today : d });
      stage = events[events.length - 1].to;
    }
    const orgWithdrawn = rng.chance(0.03);
    const id = randomUUID();
    const input = { name, shortName, creditCode, leaderName: leader, leaderPhone, contactName: null, contactPhone: null };
    const lastEvent = events[events.length - 1];
    insOrg.run({
      id,
      name,
      name_pinyin: pinyinFull(name),
      short_name: shortName,
      credit_code: creditCode,
      credit_code_confirmed: confirmed,
      credit_code_confirmed_by: confirmed ? staff : null,
      credit_code_confirmed_at: confirmed ? nowIso : null,
      mgmt_class: mgmtClass,
      registered_kind: registeredKind,
      region_code: `510107${String(1 + streets.indexOf(street)).padStart(3, '0')}${String(1 + STREETS[street].indexOf(community)).padStart(3, '0')}`,
      street,
      community,
      area_type: RURAL.has(street) ? 'rural' : 'urban',
      field_code: field,
      people_served: JSON.stringify(rng.sample(people, rng.int(1, 3))),
      leader_name: leader,
      leader_phone: leaderPhone,
      contact_name: null,
      contact_phone: null,
      member_count: members,
      volunteer_count: rng.int(0, members),
      founded_date: founded,
      charter_adopted: charter ? 1 : 0,
      party_in_charter: charter && partyForm !== 'none' && rng.chance(0.7) ? 1 : 0,
      party_org_form: partyForm,
      party_instructor: partyForm === 'instructor' ? person(rng) : null,
      mass_orgs: JSON.stringify(rng.chance(0.3) ? rng.sample(['union', 'youth', 'women'], rng.int(1, 2)) : []),
      marks: JSON.stringify(marks),
      fixed_activity_time: mgmtClass === 'filed' && rng.chance(0.85) ? `每周${rng.pick(['一', '三', '五', '六'])}${rng.pick(['上午', '下午', '晚上'])}` : null,
      fixed_activity_place: mgmtClass === 'filed' && rng.chance(0.85) ? `${community}党群服务中心` : null,
      remark: null,
      incubation_stage: stage,
      incubation_date: lastEvent?.date ?? null,
      incubation_mode: stage ? mode : null,
      admitted_date: admittedDate,
      mentor,
      agreement_end: agreementEnd,
      status: orgWithdrawn ? 'withdrawn' : 'active',
      withdrawn_date: orgWithdrawn ? addDays(today, -rng.int(1, 100)) : null,
      withdrawn_reason: orgWithdrawn ? rng.pick(['组织自行解散', '长期未开展活动', '合并至其他组织']) : null,
      search_text: buildSearchText(input),
      activity_count: 0,
      last_activity_date: null,
      latest_grade: null,
      latest_eval_year: null,
      created_at: nowIso,
      updated_at: nowIso,
    });
    for (const e of events) {
      insEvent.run(
        randomUUID(),
        id,
        e.from,
        e.to,
        e.date,
        '李明(主任)',
        { applied: '提交入驻申请', admitted: '评审通过,准予入驻', incubating: '签订孵化协议', graduated: '达到出壳标准', withdrawn: '组织申请退出孵化' }[e.to],
        e.to === 'admitted' ? mode : null,
        e.to === 'admitted' && mode === 'physical' ? `${rng.pick(['A', 'B'])}-${rng.int(1, 30)} 工位` : null,
        e.to === 'incubating' ? mentor : null,
        e.to === 'incubating' ? e.date : null,
        e.to === 'incubating' ? agreementEnd : null,
        staff,
        nowIso,
      );
    }

    // activities
    const nActs = orgWithdrawn ? 0 : rng.int(0, 5);
    let lastHeld: string | null = null;
    for (let k = 0; k < nActs; k++) {
      const date = addDays(today, rng.int(-700, 45));
      const kind = rng.pick(kinds);
      const expected = rng.chance(0.1) ? rng.int(101, 400) : rng.int(10, 90);
      const major = DEFAULT_MAJOR_KIND_CODES.includes(kind) || expected > 100;
      let report: string | null = null;
      if (major && rng.chance(0.8)) report = addDays(date, -rng.int(3, 20));
      if (report && report > today) report = today < date ? today : null;
      const past = date < today;
      const canHold = past && (!major || (report != null && report < date));
      const status = canHold ? (rng.chance(0.92) ? 'held' : 'cancelled') : 'planned';
      if (status === 'held') {
        if (!lastHeld || date > lastHeld) lastHeld = date;
      }
      const seriesCode = rng.pick(series);
      insActivity.run(
        randomUUID(),
        id,
        `${name.slice(0, 8)}${rng.pick(['邻里节', '议事会', '平安巡逻', '文艺汇演', '健康讲座', '趣味运动会', '端午包粽子', '重阳敬老', '读书分享'])}`,
        seriesCode,
        kind,
        date,
        `${community}${rng.pick(['活动室', '广场', '党群服务中心'])}`,
        expected,
        status === 'held' ? Math.max(1, expected + rng.int(-10, 10)) : null,
        rng.int(0, 20),
        JSON.stringify(rng.sample(people, 2)),
        status,
        major ? 1 : 0,
        report,
        report ? `已报${street}社区社会组织联合会备案` : null,
        null,
        nowIso,
        nowIso,
      );
    }
    updStats.run(id, lastHeld, id);

    // evaluations for about a third
    if (rng.chance(0.35)) {
      const year = thisYear - 1;
      const m = DEFAULT_EVALUATION_CONFIG.maxScores;
      const parts = [m.basic, m.activities, m.contribution, m.influence].map((max) => rng.int(Math.round(max * 5), max * 10));
      const total = parts.reduce((a, b) => a + b, 0);
      const grade = gradeFor(total / 10);
      insEval.run(randomUUID(), id, year, parts[0], parts[1], parts[2], parts[3], total, grade, '区社会组织评估委员会', null, nowIso, nowIso);
      updGrade.run(grade, year, id);
    }
    if (rng.chance(0.25)) {
      insReport.run(randomUUID(), id, 'work_report', addDays(today, -rng.int(10, 300)), `${thisYear}年上半年工作情况报告`, '开展活动情况、成员变化及下一步计划。', '村(社区)"两委"', staff, nowIso);
    }
    if (rng.chance(0.2)) {
      insReport.run(randomUUID(), id, 'disclosure', addDays(today, -rng.int(10, 300)), '活动经费收支公示', '在社区公示栏公示活动经费收支情况。', null, staff, nowIso);
    }
  }
}
