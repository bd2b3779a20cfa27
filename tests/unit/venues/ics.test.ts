import { describe, expect, it } from 'vitest';
import { buildIcs, escapeText, foldLine, icsLocal, icsUtc } from '@shared/venues/ics';

const octets = (s: string) => new TextEncoder().encode(s).length;

describe('ics export', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a UTF-8 character, and unfolds to the original', () => {
    const line = `SUMMARY:${'银龄合唱团排练,'.repeat(12)}end`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const p of physical) expect(octets(p)).toBeLessThanOrEqual(75);
    physical.slice(1).forEach((p) => expect(p.startsWith(' ')).toBe(true));
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    // ASCII: exactly 75 then 74 + the space
    const ascii = foldLine('X'.repeat(200)).split('\r\n');
    expect(ascii.map((p) => octets(p))).toEqual([75, 75, 52]);
    expect(foldLine('short')).toBe('short');
  });

  it('formats times', () => {
    expect(icsLocal('2026-03-05T19:00')).toBe('20260305T190000');
    expect(icsUtc('2026-11-23T09:03:22.123Z')).toBe('20261123T090322Z');
  });

  it('builds a calendar with VTIMEZONE, CRLF endings and one VEVENT per booking', () => {
    const ics = buildIcs({
      name: '党群服务中心 多功能厅',
      stamp: '2026-03-01T02:00:00Z',
      events: [
        {
          uid: 'b-1@incubase',
          start: '2026-03-05T19:00',
          end: '2026-03-05T21:00',
          summary: '银龄合唱团:周四排练',
          location: '幸福路 12 号, 二楼',
          description: '用途:排练;人数 30\n负责人:王阿姨',
          state: 'approved',
          sequence: 2,
          updatedAt: '2026-02-28T08:00:00Z',
        },
        { uid: 'b-2@incubase', start: '2026-03-06T09:00', end: '2026-03-06T10:00', summary: '待批', state: 'requested' },
        { uid: 'b-3@incubase', start: '2026-03-07T09:00', end: '2026-03-07T10:00', summary: '取消的', state: 'cancelled' },
      ],
    });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, '').split('\r\n');
    expect(unfolded.slice(0, 4)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Incubase//Venues//ZH', 'CALSCALE:GREGORIAN']);
    expect(unfolded).toContain('BEGIN:VTIMEZONE');
    expect(unfolded).toContain('TZID:Asia/Shanghai');
    expect(unfolded).toContain('TZOFFSETTO:+0800');
    expect(unfolded.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(3);
    expect(unfolded).toContain('DTSTART;TZID=Asia/Shanghai:20260305T190000');
    expect(unfolded).toContain('DTEND;TZID=Asia/Shanghai:20260305T210000');
    expect(unfolded).toContain('DTSTAMP:20260301T020000Z');
    expect(unfolded).toContain('LOCATION:幸福路 12 号\\, 二楼');
    expect(unfolded).toContain('DESCRIPTION:用途:排练\\;人数 30\\n负责人:王阿姨');
    expect(unfolded).toContain('SEQUENCE:2');
    expect(unfolded).toContain('LAST-MODIFIED:20260228T080000Z');
    expect(unfolded.filter((l) => l.startsWith('STATUS:'))).toEqual(['STATUS:CONFIRMED', 'STATUS:TENTATIVE', 'STATUS:CANCELLED']);
    // every BEGIN has its END, properly nested
    const stack: string[] = [];
    for (const l of unfolded) {
      if (l.startsWith('BEGIN:')) stack.push(l.slice(6));
      if (l.startsWith('END:')) expect(stack.pop()).toBe(l.slice(4));
    }
    expect(stack).toEqual([]);
  });
});
