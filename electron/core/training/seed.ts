/**
 * Demo data of the training area — a year of trainings — and the generator the benchmark uses for
 * 100,000 trainees. Writes with prepared statements on the core's connection, inside the seed's
 * transaction; every derived value goes through the same shared rules as the services (keys, credited
 * hours, serials), so the data is what the app itself would have written.
 */
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_ATTENDANCE_POLICY, creditAttendance, type AttendanceStatus } from '@shared/training/attendance';
import { formatCertificateSerial } from '@shared/training/certificate';
import { DEFAULT_DICTIONARIES } from '@shared/admin/dictionaries';
import { DEFAULT_EXAM_RULES, type ExamLevel } from '@shared/training/exam';
import { makeIdNumber } from '@shared/training/idNumber';
import { normalizeName } from '@shared/training/normalize';
import { encodedNameReadings } from '@shared/training/pinyinKeys';
import { searchIndexKeys } from '@shared/training/signinMatch';
import { todayInChina } from '@shared/dates/parse';
import type { SeedContext } from '../seed';
import type { SeededRandom } from '../seed/random';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单'.split('');
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红梅鑫波宇浩凯健俊帆帅旭宁婷雪琳晨欣悦佳怡睿嘉子涵梓轩雨萱思源博文诗雅乐行重长'.split('');
const TRAINERS = ['刘晓燕', '陈建国', '王雪梅', '李志强', '周敏', '四川省社会工作协会讲师团', '赵立新', '黄蓉'];
const TOPICS: Record<string, string[]> = {
  C01: ['党建引领社区社会组织发展', '社会组织党建工作实务', '学习贯彻党的二十大精神专题'],
  C02: ['社区社会组织孵化培育路径', '社区社会组织备案与登记指引', '品牌项目打造与推广'],
  C03: ['项目策划与申报书撰写', '公益创投项目管理', '志愿者招募与激励'],
  C04: ['社会组织财务管理实务', '档案管理与信息公开', '会议组织与换届选举'],
  C05: ['社会工作基础知识', '社区工作方法与技巧', '个案工作实务'],
  C06: ['社区应急管理与安全培训', '消防安全与疏散演练', '大型活动安全管理'],
};
const PLACES = ['武侯区社会组织服务中心多功能厅', '玉林街道党群服务中心会议室', '线上直播（腾讯会议）', '浆洗街社区活动室', '簇桥街道社工站'];
const UNITS = ['玉林街道办事处', '浆洗街街道办事处', '簇桥街道办事处', '红牌楼街道办事处', '望江路社区居委会', '长寿苑社区居委会'];

export interface TrainingGenOptions {
  trainees: number;
  sessions: number;
  /** Average attendances per past session (registrations are a little more). */
  perSession: number;
  /** Sessions fall from `from` to `to` (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Sessions over by this instant (ISO) get sign-ins; later ones only registrations. */
  asOf: string;
  organizationIds: readonly string[];
  /** Issue certificates for completed attendances of past sessions. */
  certificates: boolean;
  userId: string | null;
  nowIso: string;
}

function dateAdd(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Inserts trainees, sessions, registrations, attendance and certificates; returns the counts. */
export function generateTraining(db: BetterSqlite3.Database, rng: SeededRandom, o: TrainingGenOptions) {
  const roles = DEFAULT_DICTIONARIES.training_role.map((r) => r.code);
  const roleWeights = [1, 4, 1, 3, 2, 6];
  const weightedRole = () => {
    let x = rng.int(1, roleWeights.reduce((a, b) => a + b, 0));
    for (let i = 0; i < roles.length; i++) if ((x -= roleWeights[i]) <= 0) return roles[i];
    return roles[roles.length - 1];
  };
  const categories = DEFAULT_DICTIONARIES.training_category.map((c) => c.code);
  const formats = DEFAULT_DICTIONARIES.training_format.map((c) => c.code);

  const insTrainee = db.prepare(`INSERT INTO training_trainees (id, name, name_key, phone, phone_digits, id_number, role, organization_id, unit_name, readings, note, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`);
  const insKey = db.prepare('INSERT OR IGNORE INTO training_trainee_keys (key, trainee_id) VALUES (?, ?)');
  const trainees: { id: string; role: string; org: string | null }[] = [];
  // Phones and ID numbers already in the hub (and those drawn here) are not drawn again: one person each.
  const usedPhones = new Set((db.prepare('SELECT phone_digits p FROM training_trainees WHERE phone_digits IS NOT NULL').all() as { p: string }[]).map((r) => r.p));
  const usedIds = new Set((db.prepare('SELECT id_number n FROM training_trainees WHERE id_number IS NOT NULL').all() as { n: string }[]).map((r) => r.n));
  const readingsCache = new Map<string, string>();
  for (let i = 0; i < o.trainees; i++) {
    const raw = rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.7) ? rng.pick(GIVEN) : '');
    const n = normalizeName(raw);
    if (!n.ok) continue;
    let phone: string;
    do phone = `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    while (usedPhones.has(phone));
    usedPhones.add(phone);
    let idNumber: string | null = null;
    if (rng.chance(0.4)) {
      do idNumber = makeIdNumber('510107', dateAdd('1960-01-01', rng.int(0, 16000)), i % 1000);
      while (usedIds.has(idNumber));
      usedIds.add(idNumber);
    }
    const role = weightedRole();
    const org = o.organizationIds.length && rng.chance(role === 'R04' || role === 'R06' ? 0.85 : 0.3) ? rng.pick(o.organizationIds) : null;
    let readings = readingsCache.get(n.value);
    if (readings === undefined) readingsCache.set(n.value, (readings = encodedNameReadings(n.value)));
    const id = randomUUID();
    insTrainee.run(id, n.value, n.key, phone, phone, idNumber, role, org, org ? null : rng.pick(UNITS), readings, o.nowIso, o.nowIso);
    for (const k of searchIndexKeys({ nameKey: n.key, readings, phoneDigits: phone })) insKey.run(k, id);
    trainees.push({ id, role, org });
  }

  const insSession = db.prepare(`INSERT INTO training_sessions (id, title, category, format, date, start_time, minutes, trainer, capacity, venue_id, booking_id, organizer_id, location, status, note, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 'planned', NULL, ?, ?)`);
  const insReg = db.prepare('INSERT OR IGNORE INTO training_registrations (session_id, trainee_id, registered_at) VALUES (?, ?, ?)');
  const insAtt = db.prepare(`INSERT INTO training_attendance (session_id, trainee_id, status, late_minutes, early_leave_minutes, credited_minutes, completed, remark, source,
    signed_in_at, session_date, category, format, role, organization_id, attended, recorded_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insCert = db.prepare('INSERT INTO training_certificates (serial, year, sequence, session_id, trainee_id, issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const seqByYear = new Map<number, number>();
  const span = Math.max(0, daysBetween(o.from, o.to));
  let attendances = 0;
  let certificates = 0;
  let sessions = 0;
  for (let s = 0; s < o.sessions; s++) {
    const date = dateAdd(o.from, Math.floor((span * s) / Math.max(1, o.sessions - 1)));
    const category = rng.pick(categories);
    const format = rng.pick(formats);
    const minutes = rng.pick([90, 120, 150, 180]);
    const start = rng.pick(['09:00', '09:30', '14:00', '14:30', '19:00']);
    const capacity = rng.pick([40, 50, 60, 80, 100]);
    const id = randomUUID();
    insSession.run(id, rng.pick(TOPICS[category] ?? ['专题培训']), category, format, date, start, minutes, rng.pick(TRAINERS), capacity, format === 'M02' ? PLACES[2] : rng.pick(PLACES), o.nowIso, o.nowIso);
    sessions++;
    if (trainees.length === 0) continue;
    const want = Math.min(capacity, trainees.length, Math.max(1, Math.round(o.perSession * (0.6 + rng.next() * 0.8))));
    const base = rng.int(0, trainees.length - 1);
    const step = 1 + rng.int(0, 6);
    const people = new Set<number>();
    for (let k = 0; people.size < want && k < want * 3; k++) people.add((base + k * step) % trainees.length);
    // Attendance only for sessions already over: a session later today has registrations, not sign-ins.
    const past = Date.parse(`${date}T${start}:00+08:00`) + minutes * 60_000 <= Date.parse(o.asOf);
    const year = Number(date.slice(0, 4));
    for (const idx of people) {
      const t = trainees[idx];
      insReg.run(id, t.id, o.nowIso);
      if (!past) continue;
      const roll = rng.next();
      const status: AttendanceStatus = roll < 0.72 ? 'present' : roll < 0.86 ? 'late' : roll < 0.93 ? 'excused' : 'absent';
      const late = status === 'late' ? rng.int(5, 45) : 0;
      const early = status === 'present' && rng.chance(0.06) ? rng.int(10, 40) : 0;
      const c = creditAttendance({ status, lateMinutes: late, earlyLeaveMinutes: early }, minutes, DEFAULT_ATTENDANCE_POLICY);
      const attended = status === 'present' || status === 'late';
      insAtt.run(
        id, t.id, status, late, early, c.creditedMinutes, c.completed ? 1 : 0,
        status === 'excused' ? rng.pick(['工作冲突', '病假', '家中有事']) : null,
        rng.chance(0.7) ? 'keyboard' : 'import',
        attended ? new Date(`${date}T${start}:00+08:00`).toISOString() : null,
        date, category, format, t.role, t.org, attended ? 1 : 0, o.userId, o.nowIso,
      );
      attendances++;
      if (o.certificates && c.completed) {
        const seq = (seqByYear.get(year) ?? 0) + 1;
        seqByYear.set(year, seq);
        insCert.run(formatCertificateSerial(year, seq), year, seq, id, t.id, o.nowIso, o.userId);
        certificates++;
      }
    }
  }
  return { trainees: trainees.length, sessions, attendances, certificates, traineeIds: trainees.map((t) => t.id) };
}

/** The demo hub: a year of trainings up to a month ahead, a plan for this year, exam candidates. */
export async function seedTraining(s: SeedContext): Promise<void> {
  const db = s.core.sqlite;
  const today = todayInChina(s.now);
  const year = Number(today.slice(0, 4));
  const orgs = (db.prepare("SELECT id FROM organizations WHERE status = 'active' ORDER BY id").all() as { id: string }[]).map((r) => r.id);
  const scale = Math.max(1, s.scale);
  const r = generateTraining(db, s.rng, {
    trainees: Math.round(300 * scale),
    sessions: Math.round(52 * scale),
    perSession: 28,
    from: dateAdd(today, -365),
    to: dateAdd(today, 30),
    asOf: s.now.toISOString(),
    organizationIds: orgs,
    certificates: true,
    userId: s.users.zhangli ?? null,
    nowIso: s.now.toISOString(),
  });
  const nowIso = s.now.toISOString();
  const planId = randomUUID();
  db.prepare('INSERT INTO training_plans (id, year, title, target_total, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    planId, year, `${year}年度社区社会组织人员培训计划`, Math.round(1600 * scale), '按《培育发展社区社会组织专项行动方案》要求，每年至少培训一次社区社会组织负责人', nowIso, nowIso,
  );
  const insTarget = db.prepare('INSERT INTO training_plan_targets (plan_id, dimension, code, person_times) VALUES (?, ?, ?, ?)');
  const roleTargets = [60, 300, 60, 260, 160, 460];
  DEFAULT_DICTIONARIES.training_role.forEach((e, i) => insTarget.run(planId, 'role', e.code, Math.round(roleTargets[i] * scale)));
  const catTargets = [260, 260, 300, 260, 240, 240];
  DEFAULT_DICTIONARIES.training_category.forEach((e, i) => insTarget.run(planId, 'category', e.code, Math.round(catTargets[i] * scale)));

  // Social-work exam: candidates last year and this year, some sitting twice (intermediate: two-year window).
  const insCand = db.prepare('INSERT INTO training_exam_candidates (id, trainee_id, year, level, note, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)');
  const insScore = db.prepare('INSERT INTO training_exam_scores (candidate_id, subject, score) VALUES (?, ?, ?)');
  const pool = s.rng.sample(r.traineeIds, Math.min(r.traineeIds.length, Math.round(24 * scale)));
  pool.forEach((traineeId, i) => {
    const level: ExamLevel = i % 3 === 0 ? 'intermediate' : 'assistant';
    for (const y of i % 4 === 0 ? [year - 1, year] : [year - 1 + (i % 2)]) {
      const id = randomUUID();
      insCand.run(id, traineeId, y, level, nowIso, nowIso);
      if (y === year && today < `${year}-10-01`) continue; // this year's exam not yet held
      for (const sub of DEFAULT_EXAM_RULES[level].subjects) insScore.run(id, sub.code, s.rng.chance(0.05) ? null : s.rng.int(42, 88));
    }
  });
}
