/**
 * Demo venues and a realistic season of bookings: eight venues in the hub's facilities (scale multiplies them),
 * weekly practices of the regular organizations, one-off activities, past bookings recorded as used or no-show,
 * future ones approved or waiting for approval, a few cancelled with reasons. Slots are laid on each venue's
 * opening hours, so no two held bookings overlap (the database triggers would refuse them anyway).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_RULES, openingMinutesOfDate, type ClosedPeriod, type Quota, type WeeklyHours } from '@shared/venues/rules';
import type { BookingState } from '@shared/venues/state';
import { addDays, chinaDate, chinaDateTime, dateToDay, dayToDate, fromMinutes, weekdayOf } from '@shared/venues/time';
import type { SeedContext } from '../seed';

interface DemoVenue {
  name: string;
  host: string;
  hostName: string;
  address: string;
  capacity: number;
  equipment: string[];
  hours: WeeklyHours;
  approval: boolean;
  quotas: Quota[];
  /** Slot length in minutes for generated bookings. */
  slot: number;
}

const weekdays = (ranges: [string, string][], sat: [string, string][] = [], sun: [string, string][] = []): WeeklyHours => [
  ...Array.from({ length: 5 }, () => ranges.map(([start, end]) => ({ start, end }))),
  sat.map(([start, end]) => ({ start, end })),
  sun.map(([start, end]) => ({ start, end })),
];

const DEMO_VENUES: DemoVenue[] = [
  {
    name: '玉林党群服务中心·多功能厅',
    host: 'H03',
    hostName: '玉林街道党群服务中心',
    address: '武侯区玉林北路 2 号 3 楼',
    capacity: 80,
    equipment: ['投影仪', '音响', '话筒 4 支', '折叠桌椅'],
    hours: weekdays([['08:30', '12:00'], ['14:00', '21:00']], [['09:00', '17:00']]),
    approval: true,
    quotas: [{ period: 'week', unit: 'bookings', limit: 3 }],
    slot: 120,
  },
  {
    name: '玉林党群服务中心·活动室',
    host: 'H03',
    hostName: '玉林街道党群服务中心',
    address: '武侯区玉林北路 2 号 2 楼',
    capacity: 30,
    equipment: ['白板', '电视'],
    hours: weekdays([['08:30', '12:00'], ['14:00', '21:00']], [['09:00', '17:00']]),
    approval: true,
    quotas: [],
    slot: 90,
  },
  {
    name: '浆洗街社区综合服务中心·舞蹈排练厅',
    host: 'H01',
    hostName: '洗面桥社区综合服务中心',
    address: '武侯区洗面桥街 18 号',
    capacity: 40,
    equipment: ['练功镜', '音响', '木地板'],
    hours: weekdays([['09:00', '21:30']], [['09:00', '21:30']], [['09:00', '17:00']]),
    approval: true,
    quotas: [{ period: 'month', unit: 'hours', limit: 24 }],
    slot: 120,
  },
  {
    name: '浆洗街社区综合服务中心·书画室',
    host: 'H01',
    hostName: '洗面桥社区综合服务中心',
    address: '武侯区洗面桥街 18 号',
    capacity: 20,
    equipment: ['书画桌 10 张', '展架'],
    hours: weekdays([['09:00', '12:00'], ['14:00', '18:00']], [['09:00', '12:00']]),
    approval: false,
    quotas: [],
    slot: 120,
  },
  {
    name: '簇桥社工站·小组活动室',
    host: 'H02',
    hostName: '簇桥街道社会工作服务站',
    address: '武侯区簇桥街道七里路 66 号',
    capacity: 16,
    equipment: ['沙盘', '桌游', '坐垫'],
    hours: weekdays([['09:00', '12:00'], ['13:30', '17:30']], [['09:00', '16:00']]),
    approval: true,
    quotas: [],
    slot: 90,
  },
  {
    name: '簇桥社工站·个案会谈室',
    host: 'H02',
    hostName: '簇桥街道社会工作服务站',
    address: '武侯区簇桥街道七里路 66 号',
    capacity: 6,
    equipment: ['沙发', '录音设备'],
    hours: weekdays([['09:00', '12:00'], ['13:30', '17:30']]),
    approval: false,
    quotas: [],
    slot: 60,
  },
  {
    name: '红牌楼党群服务中心·报告厅',
    host: 'H03',
    hostName: '红牌楼街道党群服务中心',
    address: '武侯区红牌楼路 9 号',
    capacity: 150,
    equipment: ['LED 屏', '音响', '同声录像'],
    hours: weekdays([['09:00', '12:00'], ['14:00', '18:00']], [['09:00', '12:00'], ['14:00', '18:00']]),
    approval: true,
    quotas: [{ period: 'month', unit: 'bookings', limit: 4 }],
    slot: 180,
  },
  {
    name: '金花桥社区综合服务中心·院坝',
    host: 'H01',
    hostName: '金花社区综合服务中心',
    address: '武侯区金花桥街道金花社区',
    capacity: 200,
    equipment: ['遮阳棚', '移动音箱'],
    hours: weekdays([['08:00', '20:00']], [['08:00', '20:00']], [['08:00', '20:00']]),
    approval: true,
    quotas: [],
    slot: 120,
  },
];

const PURPOSES = ['合唱排练', '广场舞排练', '书法交流', '议事协商会', '志愿者培训', '亲子阅读', '健康讲座', '手工编织', '调解工作会', '棋艺比赛', '太极拳练习', '四点半课堂'];
const CANCEL_REASONS = ['活动延期', '天气原因改期', '负责人临时有事', '人数不足取消'];

/** Mid-autumn and National Day closures around the demo season, and a repair day. */
function closuresFor(year: number, i: number): ClosedPeriod[] {
  const list: ClosedPeriod[] = [
    { from: `${year}-10-01`, to: `${year}-10-07`, reason: '国庆节假期' },
    { from: `${year + 1}-01-01`, to: `${year + 1}-01-01`, reason: '元旦' },
    { from: `${year}-05-01`, to: `${year}-05-05`, reason: '劳动节假期' },
  ];
  if (i % 3 === 1) list.push({ from: `${year}-11-12`, to: `${year}-11-13`, reason: '空调维修' });
  return list;
}

export async function seedVenues(s: SeedContext): Promise<void> {
  const db = s.core.sqlite;
  const { rng } = s;
  const today = chinaDate(s.now);
  const year = +today.slice(0, 4);
  const nowIso = s.now.toISOString();
  const orgs = (db.prepare("SELECT id FROM organizations WHERE status = 'active' ORDER BY id").all() as { id: string }[]).map((r) => r.id);
  const staff = s.users.zhangli ?? null;
  const approver = s.users.liming ?? null;

  const insertVenue = db.prepare(`INSERT INTO venues (id, name, host_type_code, host_name, address, capacity, equipment_json, bookable,
    opening_hours_json, closed_json, min_length_minutes, max_length_minutes, min_notice_minutes, max_notice_days, approval_required,
    quotas_json, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)`);
  const insertSeries = db.prepare(`INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, until_date, skip_json,
    created_by, created_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?)`);
  const insertBooking = db.prepare(`INSERT INTO venue_bookings (id, series_id, occ_index, venue_id, organization_id, start_at, end_at, state,
    purpose, activity_series_code, activity_kind_code, expected_attendance, source, cancel_reason, decided_by, decided_at, sequence,
    created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'venues', ?, ?, ?, 0, ?, ?, ?)`);

  const setSkips = db.prepare('UPDATE venue_booking_series SET skip_json = ? WHERE id = ?');
  const nowLocal = chinaDateTime(s.now);
  const from = addDays(today, -70);
  const to = addDays(today, 35);
  const copies = Math.max(1, Math.round(s.scale));
  for (let c = 0; c < copies; c++) {
    for (let i = 0; i < DEMO_VENUES.length; i++) {
      const v = DEMO_VENUES[i];
      const id = randomUUID();
      const name = copies > 1 ? `${v.name}(${c + 1})` : v.name;
      const closed = closuresFor(year, i);
      insertVenue.run(
        id, name, v.host, v.hostName, v.address, v.capacity, JSON.stringify(v.equipment), JSON.stringify(v.hours), JSON.stringify(closed),
        DEFAULT_RULES.minLengthMinutes, 4 * 60, 60, 90, v.approval ? 1 : 0, JSON.stringify(v.quotas), nowIso, nowIso,
      );
      if (!orgs.length) continue;
      const rules = { openingHours: v.hours, closed };
      // Regular weekly practices: (weekday, slot start) → organization, each one series over the whole season.
      const regular = new Map<string, { org: string; series: string; purpose: string; index: number; skipped: string[] }>();
      for (let wd = 1; wd <= 7; wd++) {
        for (const r of v.hours[wd - 1]) {
          const [hs, hm] = r.start.split(':').map(Number);
          const [es, em] = r.end.split(':').map(Number);
          for (let t = hs * 60 + hm; t + v.slot <= es * 60 + em; t += v.slot) {
            if (!rng.chance(0.3)) continue;
            const reg = { org: rng.pick(orgs), series: randomUUID(), purpose: rng.pick(PURPOSES), index: 0, skipped: [] as string[] };
            insertSeries.run(reg.series, id, reg.org, 'weekly', to, staff, nowIso);
            regular.set(`${wd}-${t}`, reg);
          }
        }
      }
      for (let day = dateToDay(from); day <= dateToDay(to); day++) {
        const date = dayToDate(day);
        const wd = weekdayOf(date);
        const open = openingMinutesOfDate(rules, date);
        if (!open.length) {
          // a closed day: the regular practices skip it
          for (const [key, reg] of regular) if (key.startsWith(`${wd}-`)) (reg.skipped.push(date), reg.index++);
          continue;
        }
        for (const [os, oe] of open) {
          for (let t = os; t + v.slot <= oe; t += v.slot) {
            const reg = regular.get(`${wd}-${t}`);
            let org: string;
            let series: string;
            let purpose: string;
            let index = 0;
            if (reg) {
              ({ org, series, purpose } = reg);
              index = reg.index++;
            } else {
              if (!rng.chance(0.12)) continue;
              org = rng.pick(orgs);
              series = randomUUID();
              purpose = rng.pick(PURPOSES);
              insertSeries.run(series, id, org, 'once', null, staff, nowIso);
            }
            const start = fromMinutes(day * 1440 + t);
            const end = fromMinutes(day * 1440 + t + v.slot);
            let state: BookingState;
            const r = rng.next();
            if (start < nowLocal) state = r < 0.88 ? 'used' : r < 0.94 ? 'no_show' : 'cancelled';
            else if (!v.approval) state = r < 0.95 ? 'approved' : 'cancelled';
            else state = r < 0.68 ? 'approved' : r < 0.95 ? 'requested' : 'cancelled';
            const reason = state === 'cancelled' ? rng.pick(CANCEL_REASONS) : null;
            const decided = state === 'requested' ? null : approver;
            const attendance = rng.int(Math.ceil(v.capacity / 4), v.capacity);
            insertBooking.run(
              randomUUID(), series, index, id, org, start, end, state, purpose, rng.pick(['S01', 'S02', 'S03', 'S04']), null, attendance,
              reason, decided, decided ? nowIso : null, staff, nowIso, nowIso,
            );
          }
        }
      }
      for (const reg of regular.values()) if (reg.skipped.length) setSkips.run(JSON.stringify(reg.skipped), reg.series);
    }
  }

  // A short waiting list: other organizations waiting for a few approved slots of the coming two weeks.
  if (orgs.length > 1) {
    const taken = db
      .prepare(`SELECT venue_id, organization_id, start_at, end_at, expected_attendance FROM venue_bookings
        WHERE state = 'approved' AND start_at > ? AND start_at < ? ORDER BY start_at, venue_id LIMIT 40`)
      .all(nowLocal, `${addDays(today, 14)}T00:00`) as { venue_id: string; organization_id: string; start_at: string; end_at: string; expected_attendance: number }[];
    const insertWait = db.prepare(`INSERT INTO venue_waitlist (id, venue_id, organization_id, start_at, end_at, purpose, expected_attendance,
      state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)`);
    const venuesUsed = new Set<string>();
    for (const b of taken) {
      if (venuesUsed.has(b.venue_id) || venuesUsed.size >= 4) continue;
      venuesUsed.add(b.venue_id);
      let org = rng.pick(orgs);
      while (org === b.organization_id) org = rng.pick(orgs);
      insertWait.run(randomUUID(), b.venue_id, org, b.start_at, b.end_at, rng.pick(PURPOSES), Math.max(1, Math.floor(b.expected_attendance / 2)), staff, nowIso, nowIso);
    }
  }
}
