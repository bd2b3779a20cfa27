import { Alert, Card, Select, Table, Tag, Typography } from 'antd';
import type { ImportLabelChoice, ImportUnknownLabel, ImportVocabulary } from '@shared/importing/contract';

/** The choices of the mapping step, by `labelChoiceKey`: the entry's code, or null = leave the rows as errors. */
export type LabelChoices = Record<string, string | null>;

export const labelChoiceKey = (l: { vocabulary: string; label: string }) => `${l.vocabulary}\u0000${l.label}`;

/** The choices a preview came back with (what was chosen, or remembered from an earlier file of this hub). */
export function choicesOf(labels: readonly ImportUnknownLabel[]): LabelChoices {
  return Object.fromEntries(labels.map((l) => [labelChoiceKey(l), l.code]));
}

/** The `labelMap` input of an import call. */
export function labelMapOf(labels: readonly ImportUnknownLabel[], choices: LabelChoices): ImportLabelChoice[] {
  return labels.map((l) => ({ vocabulary: l.vocabulary, label: l.label, code: choices[labelChoiceKey(l)] ?? null }));
}

const LEAVE = '';

/**
 * The mapping step of every import preview: the labels of the file that the hub's lists do not know (文艺 for
 * 文体娱乐 in 服务领域, a 人员类别 or 登记类型 written another way), each with the rows it occurs in and a choice of
 * the list's entry it means — or none, so those rows stay errors. The choice is remembered for the next file
 * when the import is made.
 */
export function LabelMappingCard(props: {
  labels: readonly ImportUnknownLabel[];
  vocabularies: readonly ImportVocabulary[];
  choices: LabelChoices;
  onChange(choices: LabelChoices): void;
  busy?: boolean;
}) {
  const { labels, vocabularies, choices, onChange } = props;
  if (labels.length === 0) return null;
  const open = labels.filter((l) => (choices[labelChoiceKey(l)] ?? null) === null).length;
  return (
    <Card size="small" title={`选项对应(文件中有 ${labels.length} 个名称不在系统的选项中)`} data-testid="label-mapping">
      <Alert
        type={open ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 8 }}
        message={
          open
            ? `还有 ${open} 个名称未对应:请为每个名称选择系统中的选项,不对应的行将作为错误行`
            : '所有名称都已对应;导入后会记住这些对应关系,下次导入的文件自动沿用'
        }
      />
      <Table<ImportUnknownLabel>
        size="small"
        rowKey={labelChoiceKey}
        dataSource={[...labels]}
        pagination={labels.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        tableLayout="fixed"
        columns={[
          { title: '列', dataIndex: 'column', width: 140, ellipsis: true },
          { title: '文件中的名称', dataIndex: 'label', width: 200, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          {
            title: '出现在',
            width: 200,
            render: (_: unknown, l: ImportUnknownLabel) => (
              <Typography.Text type="secondary">
                {l.rowCount} 行(第 {l.rows.join('、')}{l.rowCount > l.rows.length ? '…' : ''} 行)
              </Typography.Text>
            ),
          },
          {
            title: '对应为',
            render: (_: unknown, l: ImportUnknownLabel) => {
              const v = vocabularies.find((x) => x.vocabulary === l.vocabulary);
              const value = choices[labelChoiceKey(l)] ?? LEAVE;
              return (
                <Select
                  size="small"
                  style={{ width: '100%', maxWidth: 260 }}
                  value={value}
                  disabled={props.busy}
                  aria-label={`「${l.label}」对应为`}
                  data-testid={`label-choice-${l.label}`}
                  options={[{ value: LEAVE, label: '(不对应,作为错误)' }, ...(v?.options ?? []).map((o) => ({ value: o.code, label: o.label }))]}
                  onChange={(code: string) => onChange({ ...choices, [labelChoiceKey(l)]: code === LEAVE ? null : code })}
                />
              );
            },
          },
          {
            title: '',
            width: 110,
            render: (_: unknown, l: ImportUnknownLabel) => {
              const code = choices[labelChoiceKey(l)] ?? null;
              if (code === null) return <Tag color="red">未对应</Tag>;
              if (l.source === 'remembered' && code === l.code) return <Tag color="blue">沿用上次</Tag>;
              return <Tag color="green">本次选择</Tag>;
            },
          },
        ]}
      />
    </Card>
  );
}
