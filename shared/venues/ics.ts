/**
 * iCalendar (RFC 5545) export of bookings, as pure string building.
 * Times are local China time with `TZID=Asia/Shanghai` and a VTIMEZONE (UTC+8, no daylight saving),
 * lines end with CRLF and are folded at 75 octets without splitting a UTF-8 character, TEXT values escape
 * backslash, semicolon, comma and newlines.
 */
import type { LocalDateTime } from './time';
import type { BookingState } from './state';

export const ICS_TZID = 'Asia/Shanghai';
const CRLF = '\r\n';

export interface IcsEvent {
  /** Globally unique and stable: re-exporting the same booking updates it in the user's calendar. */
  uid: string;
  start: LocalDateTime;
  end: LocalDateTime;
  summary: string;
  location?: string;
  description?: string;
  state: BookingState;
  /** Increases when the booking changes (RFC 5545 SEQUENCE). */
  sequence?: number;
  /** ISO UTC timestamp of the last change. */
  updatedAt?: string;
}

export interface IcsCalendar {
  name: string;
  /** ISO UTC timestamp of the export (DTSTAMP): passed in so the output is deterministic. */
  stamp: string;
  events: readonly IcsEvent[];
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Folds one content line so no physical line exceeds 75 octets (excluding CRLF); continuation lines start
 * with one space, which counts toward their 75 octets (RFC 5545 §3.1).
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = utf8Length(ch.codePointAt(0)!);
    if (octets + n > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space takes one octet
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** '2026-03-05T19:00' → '20260305T190000'. */
export function icsLocal(dt: LocalDateTime): string {
  return `${dt.slice(0, 4)}${dt.slice(5, 7)}${dt.slice(8, 10)}T${dt.slice(11, 13)}${dt.slice(14, 16)}00`;
}

/** ISO UTC '2026-11-23T09:03:22.123Z' → '20261123T090322Z'. */
export function icsUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`无效的时间戳:${iso}`);
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const STATUS: Record<BookingState, string> = {
  requested: 'TENTATIVE',
  approved: 'CONFIRMED',
  used: 'CONFIRMED',
  no_show: 'CONFIRMED',
  cancelled: 'CANCELLED',
};

export const VTIMEZONE_SHANGHAI = [
  'BEGIN:VTIMEZONE',
  `TZID:${ICS_TZID}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export function buildIcs(cal: IcsCalendar): string {
  const stamp = icsUtc(cal.stamp);
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Incubase//Venues//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    `X-WR-TIMEZONE:${ICS_TZID}`,
    ...VTIMEZONE_SHANGHAI,
  ];
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;TZID=${ICS_TZID}:${icsLocal(e.start)}`,
      `DTEND;TZID=${ICS_TZID}:${icsLocal(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    lines.push(`STATUS:${STATUS[e.state]}`);
    if (e.sequence !== undefined) lines.push(`SEQUENCE:${e.sequence}`);
    if (e.updatedAt) lines.push(`LAST-MODIFIED:${icsUtc(e.updatedAt)}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
