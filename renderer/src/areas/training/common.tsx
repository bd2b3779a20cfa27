import { useMemo } from 'react';
import { Select, Tag } from 'antd';
import type { AttendanceStatus } from '@shared/training/attendance';
import { ATTENDANCE_STATUS_LABELS } from '@shared/training/attendance';
import { useCall } from '../../api/hooks';

export interface Dicts {
  roles: { value: string; label: string }[];
  categories: { value: string; label: string }[];
  formats: { value: string; label: string }[];
  role: (code: string | null | undefined) => string;
  category: (code: string | null | undefined) => string;
  format: (code: string | null | undefined) => string;
}

/** The three training dictionaries (hub-editable), as select options and label lookups. */
export function useTrainingDicts(): Dicts {
  const { data } = useCall('dict.list', {});
  return useMemo(() => {
    const of = (kind: string) => (data ?? []).filter((e) => e.kind === kind);
    const opts = (kind: string) => of(kind).filter((e) => e.active).map((e) => ({ value: e.code, label: e.label }));
    const lookup = (kind: string) => {
      const m = new Map(of(kind).map((e) => [e.code, e.label]));
      return (code: string | null | undefined) => (code ? (m.get(code) ?? code) : '');
    };
    return {
      roles: opts('training_role'),
      categories: opts('training_category'),
      formats: opts('training_format'),
      role: lookup('training_role'),
      category: lookup('training_category'),
      format: lookup('training_format'),
    };
  }, [data]);
}

export function hours(minutes: number | null | undefined): string {
  if (minutes == null) return '';
  return String(Math.round((minutes * 100) / 60) / 100);
}

const STATUS_COLORS: Record<AttendanceStatus, string> = { present: 'green', late: 'orange', excused: 'blue', absent: 'red' };

export function StatusTag({ status }: { status: AttendanceStatus | null }) {
  if (!status) return <Tag>未签到</Tag>;
  return <Tag color={STATUS_COLORS[status]}>{ATTENDANCE_STATUS_LABELS[status]}</Tag>;
}

export const thisYear = () => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

export function YearSelect({ value, onChange }: { value: number; onChange: (y: number) => void }) {
  const now = thisYear();
  const years = Array.from({ length: 8 }, (_, i) => now + 1 - i);
  return <Select value={value} onChange={onChange} style={{ width: 110 }} options={years.map((y) => ({ value: y, label: `${y}年` }))} aria-label="年度" />;
}
