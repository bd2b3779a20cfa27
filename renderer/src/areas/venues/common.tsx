import { Space, Tag } from 'antd';
import { BOOKING_STATE_COLORS, BOOKING_STATE_LABELS, BOOKING_STATES, stateLabel, type BookingState } from '@shared/venues/state';
import type { LocalDateTime } from '@shared/venues/time';

/**
 * The calendar library works with JS Dates in the PC's zone; our times are China wall-clock strings. A Date
 * built from the same wall-clock fields and read back the same way keeps the string exact on any PC.
 */
export function toDate(dt: LocalDateTime): Date {
  return new Date(+dt.slice(0, 4), +dt.slice(5, 7) - 1, +dt.slice(8, 10), +dt.slice(11, 13), +dt.slice(14, 16));
}

const pad = (n: number) => String(n).padStart(2, '0');

export function fromDate(d: Date): LocalDateTime {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function StateTag({ state, rejected }: { state: BookingState; rejected?: boolean }) {
  return (
    <Tag color={rejected && state === 'cancelled' ? '#8c8c8c' : BOOKING_STATE_COLORS[state]} style={{ marginInlineEnd: 0 }}>
      {stateLabel(state, rejected)}
    </Tag>
  );
}

export function StateLegend() {
  return (
    <Space size={4} wrap data-testid="state-legend">
      {BOOKING_STATES.map((s) => (
        <StateTag key={s} state={s} />
      ))}
    </Space>
  );
}

/** '2026-03-05 19:00–21:00' */
export function showInterval(start: string, end: string): string {
  return start.slice(0, 10) === end.slice(0, 10) ? `${start.replace('T', ' ')}–${end.slice(11)}` : `${start.replace('T', ' ')}–${end.replace('T', ' ')}`;
}

export const hours = (minutes: number) => Math.round(minutes / 6) / 10;
