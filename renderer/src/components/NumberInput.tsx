import { InputNumber, type InputNumberProps } from 'antd';
import type { Rule } from 'antd/es/form';

/**
 * A number field that never changes what was typed. antd's InputNumber moves a value outside `min`/`max` to the
 * bound on blur and rounds to `precision` (150 became 100, −5 became 0); here the bounds are only a hint and an
 * out-of-range or fractional value stays as typed and is refused with a message (by `numberRule` in the form,
 * and by the contract's schema before sending and in the core).
 */
export function NumberInput({
  min,
  max,
  integer,
  precision: _precision,
  ...props
}: Omit<InputNumberProps<number>, 'min' | 'max'> & { min?: number; max?: number; integer?: boolean }) {
  const value = props.value;
  const out = typeof value === 'number' && (numberProblem(value, { min, max, integer }) !== null);
  const hint = min !== undefined && max !== undefined ? `${min}–${max}` : min !== undefined ? `≥ ${min}` : max !== undefined ? `≤ ${max}` : undefined;
  return <InputNumber<number> placeholder={hint} status={out ? 'error' : props.status} {...props} />;
}

export function numberProblem(v: number | null | undefined, o: { min?: number; max?: number; integer?: boolean }): string | null {
  if (v === null || v === undefined) return null;
  if (!Number.isFinite(v)) return '请填写数字';
  if (o.integer && !Number.isInteger(v)) return '应为整数';
  if (o.min !== undefined && v < o.min) return `不能小于 ${o.min}`;
  if (o.max !== undefined && v > o.max) return `不能大于 ${o.max}`;
  return null;
}

/** The Form.Item rule for a NumberInput: refuses a value out of range with the reason. */
export const numberRule = (o: { min?: number; max?: number; integer?: boolean; label?: string }): Rule => ({
  validator: async (_r, v: number | null | undefined) => {
    const p = numberProblem(v, o);
    if (p) throw new Error(o.label ? `${o.label}${p}` : p);
  },
});
