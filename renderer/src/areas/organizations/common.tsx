import { useMemo } from 'react';
import { Tag } from 'antd';
import type { DictionaryKind } from '@shared/admin/dictionaries';
import { INCUBATION_STAGE_LABELS, type IncubationStage } from '@shared/organizations/incubation';
import { useCall } from '../../api/hooks';

/** Code → label of one dictionary, loaded once per screen. */
export function useDict(kind: DictionaryKind) {
  const { data } = useCall('dict.list', { kind }, [kind]);
  return useMemo(() => {
    const entries = (data ?? []).filter((e) => e.kind === kind);
    const labels = new Map(entries.map((e) => [e.code, e.label]));
    return {
      entries,
      options: entries.filter((e) => e.active).map((e) => ({ value: e.code, label: e.label })),
      label: (code: string | null | undefined) => (code ? (labels.get(code) ?? code) : ''),
    };
  }, [data, kind]);
}

const STAGE_COLORS: Record<IncubationStage, string> = {
  applied: 'default',
  admitted: 'blue',
  incubating: 'processing',
  graduated: 'success',
  withdrawn: 'warning',
};

export function StageTag({ stage }: { stage: IncubationStage | null | undefined }) {
  if (!stage) return <Tag>无孵化记录</Tag>;
  return <Tag color={STAGE_COLORS[stage]}>{INCUBATION_STAGE_LABELS[stage]}</Tag>;
}

export const labelOf = <T extends string>(labels: Record<T, string>, v: string | null | undefined) => (v ? (labels[v as T] ?? v) : '');
