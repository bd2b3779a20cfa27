import { Tag } from 'antd';
import type { Rule } from 'antd/es/form';
import { formatFen, parseYuanToFen } from '@shared/money';
import { VOUCHER_STATUS_LABELS, type VoucherStatus } from '@shared/custody/workflow';
import { VOUCHER_KIND_LABELS, type VoucherKind } from '@shared/custody/voucher';
import { useCall } from '../../api/hooks';

export const KIND_LABELS: Record<string, string> = { ...VOUCHER_KIND_LABELS, opening: '期初余额' };

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as VoucherKind] ?? kind;
}

const STATUS_COLORS: Record<VoucherStatus, string> = { draft: 'default', submitted: 'gold', approved: 'blue', posted: 'green' };

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status as VoucherStatus]}>{VOUCHER_STATUS_LABELS[status as VoucherStatus] ?? status}</Tag>;
}

/** Amounts typed as text (1234.5, 1,234.50, ￥1234.50, full-width) are parsed on the digits; ambiguous input is refused. */
export const moneyRules = (required = true, allowZero = false, allowNegative = false): Rule[] => [
  { required, message: '请输入金额' },
  {
    validator: async (_r, value: string | undefined) => {
      if (!value || !value.trim()) return;
      const p = parseYuanToFen(value);
      if (!p.ok) throw new Error(p.error);
      if (!allowNegative && p.fen < 0) throw new Error('金额不能为负');
      if (!allowZero && p.fen === 0) throw new Error('金额必须大于零');
    },
  },
];

/** Text typed in a money field → fen (call only after validation passed). */
export function fenOf(text: string | undefined): number {
  if (!text || !text.trim()) return 0;
  const p = parseYuanToFen(text);
  if (!p.ok) throw new Error(p.error);
  return p.fen;
}

export function Money({ fen, strong }: { fen: number | null | undefined; strong?: boolean }) {
  if (fen === null || fen === undefined) return null;
  const text = formatFen(fen);
  return <span style={{ fontVariantNumeric: 'tabular-nums', color: fen < 0 ? '#cf1322' : undefined, fontWeight: strong ? 600 : undefined }}>{text}</span>;
}

export const fenFormatter = (p: { value: number | null | undefined }) => (p.value === null || p.value === undefined ? '' : formatFen(p.value));

export function useCustodyOverview() {
  return useCall('custody.overview', {});
}

export function thisMonth(): { from: string; to: string; period: string } {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}`, period: `${y}-${mm}` };
}

export function monthRange(period: string): { from: string; to: string } {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}
