/**
 * Opening hours as offices write them in a spreadsheet cell, and back: `周一至周五 08:30-12:00,14:00-21:00;周六
 * 09:00-17:00` (days not named are closed), `每天 09:00-17:00`, or only the times (every day). Day ranges may be
 * written 周一至周五, 周一-周五, 周一~周五 or 星期一到星期五; times 8:30-12:00, 08:30～12:00 or 8:30至12:00;
 * 休息/闭馆/不开放 closes the days named.
 */
import { toHalfWidth } from '../text/normalize';
import { checkRules, DEFAULT_RULES, emptyWeek, type TimeRange, type WeeklyHours } from './rules';
import { isTimeOfDay } from './time';

const DAY_NAMES: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6, 七: 6 };
const DAY = '(?:周|星期|礼拜)([一二三四五六日天七])';
const TIME = '(\\d{1,2})[:：.](\\d{2})';

const pad = (h: string, m: string) => `${h.padStart(2, '0')}:${m}`;

/** Parses the text into a week (Monday first), or gives the Chinese reason it cannot. */
export function parseWeeklyHoursText(input: string): { ok: true; hours: WeeklyHours } | { ok: false; message: string } {
  const text = toHalfWidth(input).replace(/\s+/g, ' ').trim();
  if (!text) return { ok: false, message: '开放时间为空' };
  const week = emptyWeek();
  const segments = text.split(/[;；\n]+/).map((s) => s.trim()).filter(Boolean);
  for (const seg of segments) {
    let rest = seg;
    let days: number[] = [];
    const range = new RegExp(`^${DAY}\\s*(?:至|到|-|~|～|—)\\s*${DAY}`).exec(rest);
    if (range) {
      const a = DAY_NAMES[range[1]];
      const b = DAY_NAMES[range[2]];
      if (b < a) return { ok: false, message: `「${seg}」的星期范围应从前往后写,如 周一至周五` };
      for (let d = a; d <= b; d++) days.push(d);
      rest = rest.slice(range[0].length);
    } else if (/^(每天|每日|全天|全周|周一至周日)/.test(rest)) {
      days = [0, 1, 2, 3, 4, 5, 6];
      rest = rest.replace(/^(每天|每日|全天|全周)/, '');
    } else {
      const list = new RegExp(`^(?:${DAY}[、,/和及]?\\s*)+`).exec(rest);
      if (list) {
        for (const m of list[0].matchAll(new RegExp(DAY, 'g'))) days.push(DAY_NAMES[m[1]]);
        rest = rest.slice(list[0].length);
      } else if (/^(工作日)/.test(rest)) {
        days = [0, 1, 2, 3, 4];
        rest = rest.replace(/^工作日/, '');
      } else if (/^(周末|双休日)/.test(rest)) {
        days = [5, 6];
        rest = rest.replace(/^(周末|双休日)/, '');
      } else days = [0, 1, 2, 3, 4, 5, 6];
    }
    rest = rest.replace(/^[\s:：]+/, '');
    if (/^(休息|闭馆|不开放|关闭|休馆)$/.test(rest)) {
      for (const d of days) week[d] = [];
      continue;
    }
    const ranges: TimeRange[] = [];
    const timeRe = new RegExp(`${TIME}\\s*(?:-|~|～|—|至|到)\\s*${TIME}`, 'g');
    let consumed = rest;
    for (const m of rest.matchAll(timeRe)) {
      const start = pad(m[1], m[2]);
      const end = pad(m[3], m[4]);
      if (!isTimeOfDay(start) || !isTimeOfDay(end, true)) return { ok: false, message: `「${m[0]}」不是有效的时间段,应写成 08:30-12:00` };
      ranges.push({ start, end });
      consumed = consumed.replace(m[0], '');
    }
    if (ranges.length === 0 || consumed.replace(/[\s,、和及]/g, '') !== '') {
      return { ok: false, message: `无法识别开放时间「${seg}」,请写成 周一至周五 08:30-12:00,14:00-21:00;周六 09:00-17:00` };
    }
    for (const d of days) week[d] = ranges.map((r) => ({ ...r }));
  }
  const issues = checkRules({ ...DEFAULT_RULES, openingHours: week }).filter((i) => i.path.startsWith('openingHours'));
  if (issues.length) return { ok: false, message: issues.map((i) => i.message).join(';') };
  return { ok: true, hours: week };
}

const LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** The week as text that `parseWeeklyHoursText` reads back to the same week (consecutive equal days joined). */
export function formatWeeklyHoursText(hours: WeeklyHours): string {
  const key = (d: number) => hours[d].map((r) => `${r.start}-${r.end}`).join(',');
  const parts: string[] = [];
  let d = 0;
  while (d < 7) {
    let e = d;
    while (e + 1 < 7 && key(e + 1) === key(d)) e++;
    const days = d === e ? LABELS[d] : `${LABELS[d]}至${LABELS[e]}`;
    parts.push(`${days} ${key(d) || '休息'}`);
    d = e + 1;
  }
  return parts.join(';');
}
