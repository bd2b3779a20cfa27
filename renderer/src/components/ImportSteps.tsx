import { useEffect, useState, type ReactNode } from 'react';
import type { TableColumnsType } from 'antd';
import { Alert, Button, Card, Checkbox, Select, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import type { ImportUnknownLabel, ImportVocabulary } from '@shared/importing/contract';
import { ApiError, call } from '../api/client';
import { useAction } from '../api/hooks';
import { readUpload } from '../lib/files';
import { LabelMappingCard, choicesOf, labelMapOf, type LabelChoices } from './LabelMappingCard';

/** What every importer's preview row carries (the organization import names its row `name`, the engine `label`). */
export interface ImportPreviewRow {
  rowNumber: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  issues: { column: string; message: string }[];
  changes: string[];
  warnings: string[];
}

/** What every importer's preview (a dry run) and commit answer. */
export interface ImportPreview<Row extends ImportPreviewRow> {
  encoding: string | null;
  sheetName: string | null;
  headerRowNumber: number;
  headers: string[];
  mapping: (string | null)[];
  mappingRemembered: boolean;
  mappingIssues: string[];
  footerRows?: number[];
  labels: ImportUnknownLabel[];
  vocabularies: ImportVocabulary[];
  /** Every row when they are few; else the first page and the error rows after it (the rest: `importing.previewRows`). */
  rows: Row[];
  rowCount: number;
  /** Set when the preview kept its rows in the core for paging. */
  previewId: string | null;
  counts: { create: number; update: number; unchanged: number; error: number };
  committed: boolean;
}

type Upload = { name: string; base64: string };
type PreviewInput = { file: Upload; mapping?: (string | null)[]; labelMap?: ReturnType<typeof labelMapOf>; previewId?: string };

const ACTION: Record<ImportPreviewRow['action'], { label: string; color: string }> = {
  create: { label: '新增', color: 'green' },
  update: { label: '更新', color: 'blue' },
  unchanged: { label: '未变', color: 'default' },
  error: { label: '有错误', color: 'red' },
};

/**
 * The state of one import: the file, the column mapping (remembered per layout), the label mapping step, the
 * preview — the real import run without writing — and the commit (全部导入 or 只导入无误的行).
 */
export function useImportSteps<R extends ImportPreview<ImportPreviewRow>>(calls: {
  preview: (input: PreviewInput) => Promise<R>;
  commit: (input: PreviewInput & { mode: 'all' | 'validOnly' }) => Promise<R>;
}) {
  const { run, busy } = useAction();
  const [file, setFile] = useState<Upload | null>(null);
  const [preview, setPreview] = useState<R | null>(null);
  const [mapping, setMapping] = useState<(string | null)[] | null>(null);
  const [choices, setChoices] = useState<LabelChoices>({});
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [done, setDone] = useState<R | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const check = async (f: Upload | null = file, m: (string | null)[] | undefined = mapping ?? undefined, c: LabelChoices | null = preview ? choices : null) => {
    if (!f) return;
    setFailure(null);
    const labelMap = c && preview ? labelMapOf(preview.labels, c) : undefined;
    // the previous preview's rows kept in the core go (a new file or mapping is a new preview)
    const r = await run(() => calls.preview({ file: f, mapping: m, labelMap, previewId: preview?.previewId ?? undefined }));
    if (r) {
      setPreview(r);
      setMapping(r.mapping);
      setChoices(choicesOf(r.labels));
      setErrorsOnly(r.counts.error > 0);
    }
  };

  const commit = async (mode: 'all' | 'validOnly') => {
    if (!file || !mapping) return;
    setFailure(null);
    try {
      setDone(await calls.commit({ file, mapping, mode, labelMap: preview ? labelMapOf(preview.labels, choices) : undefined, previewId: preview?.previewId ?? undefined }));
    } catch (e) {
      if (e instanceof ApiError) setFailure(e.message);
      else throw e;
    }
  };

  const pick = async (f: File) => {
    const u = await readUpload(f);
    setFile(u);
    setMapping(null);
    setPreview(null);
    setChoices({});
    await check(u, undefined, null);
  };

  const reset = () => {
    setDone(null);
    setFile(null);
    setPreview(null);
    setMapping(null);
    setChoices({});
  };

  return { file, preview, mapping, setMapping, choices, setChoices, errorsOnly, setErrorsOnly, done, failure, busy, check, commit, pick, reset };
}

export type ImportSteps<R extends ImportPreview<ImportPreviewRow>> = ReturnType<typeof useImportSteps<R>>;

/** Upload, column mapping, label mapping and the preview with each row's problems by column: one for every importer. */
export function ImportStepsView<R extends ImportPreview<ImportPreviewRow>, Row extends ImportPreviewRow = R['rows'][number]>(props: {
  steps: ImportSteps<R>;
  /** The fields a column can be mapped to. */
  fieldOptions: { value: string; label: string }[];
  /** The list's second column: what one row is (组织名称, 场地名称…) and how to read it from the row. */
  rowTitle: string;
  rowName: (row: Row) => string;
  accept: string;
  hint: ReactNode;
}) {
  const { steps: s } = props;
  const preview = s.preview;
  const mapping = s.mapping;
  const options = [{ value: '', label: '(忽略此列)' }, ...props.fieldOptions];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Upload.Dragger
        accept={props.accept}
        showUploadList={false}
        beforeUpload={(f) => {
          void s.pick(f);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        {props.hint}
      </Upload.Dragger>
      {s.file && <Typography.Text>文件:{s.file.name}</Typography.Text>}
      {preview && mapping && (
        <Card
          size="small"
          title={`列对应关系(表头在第 ${preview.headerRowNumber} 行${preview.sheetName ? `,工作表「${preview.sheetName}」` : ''}${preview.encoding ? `,编码 ${preview.encoding}` : ''})`}
          extra={preview.mappingRemembered && <Tag color="blue">已沿用上次的对应关系</Tag>}
        >
          <Space wrap>
            {preview.headers.map((h, i) => (
              <Space.Compact key={i} size="small">
                <Button size="small" disabled style={{ color: '#000', maxWidth: 180, overflow: 'hidden', textOverflow: 'ellipsis' }} title={h}>
                  {h || `第${i + 1}列`}
                </Button>
                <Select
                  size="small"
                  style={{ width: 150 }}
                  value={mapping[i] ?? ''}
                  options={options}
                  aria-label={`第 ${i + 1} 列对应的字段`}
                  onChange={(v) => s.setMapping((m) => m!.map((x, j) => (j === i ? v || null : x)))}
                />
              </Space.Compact>
            ))}
          </Space>
          <div style={{ marginTop: 8 }}>
            <Button onClick={() => s.check()} loading={s.busy} data-testid="import-recheck">按此对应重新检查</Button>
          </div>
          {preview.mappingIssues.map((m) => <Alert key={m} type="error" showIcon message={m} style={{ marginTop: 8 }} />)}
        </Card>
      )}
      {preview && preview.mappingIssues.length === 0 && (
        <LabelMappingCard
          labels={preview.labels}
          vocabularies={preview.vocabularies}
          choices={s.choices}
          busy={s.busy}
          onChange={(c) => {
            s.setChoices(c);
            void s.check(s.file, mapping ?? undefined, c);
          }}
        />
      )}
      {preview && preview.mappingIssues.length === 0 && (
        <Card size="small" title="预览(与正式导入使用同一套检查,尚未写入)">
          <Space size={32} style={{ display: 'flex', marginBottom: 8 }} wrap>
            <Statistic title="新增" value={preview.counts.create} />
            <Statistic title="更新" value={preview.counts.update} />
            <Statistic title="未变" value={preview.counts.unchanged} />
            <Statistic title="有错误" value={preview.counts.error} valueStyle={{ color: preview.counts.error ? '#cf1322' : undefined }} />
          </Space>
          {!!preview.footerRows?.length && <Typography.Paragraph type="secondary">表尾(不是数据,已跳过):第 {preview.footerRows.join('、')} 行</Typography.Paragraph>}
          {s.failure && <Alert type="error" showIcon style={{ marginBottom: 8 }} message={s.failure} />}
          <Space style={{ display: 'flex', marginBottom: 8 }} wrap>
            <Button type="primary" disabled={preview.counts.error > 0 || preview.counts.create + preview.counts.update === 0} onClick={() => s.commit('all')} data-testid="import-all">
              全部导入
            </Button>
            <Button disabled={preview.counts.create + preview.counts.update === 0} onClick={() => s.commit('validOnly')} data-testid="import-valid">
              只导入无误的行
            </Button>
            <Checkbox checked={s.errorsOnly} onChange={(e) => s.setErrorsOnly(e.target.checked)}>只看有错误的行</Checkbox>
          </Space>
          <PreviewRowsTable<Row>
            preview={preview as unknown as ImportPreview<Row>}
            errorsOnly={s.errorsOnly}
            columns={[
              { title: '行号', dataIndex: 'rowNumber', width: 70 },
              { title: props.rowTitle, key: 'name', width: 240, ellipsis: true, render: (_: unknown, r: Row) => props.rowName(r) },
              { title: '处理', dataIndex: 'action', width: 90, render: (a: Row['action']) => <Tag color={ACTION[a].color}>{ACTION[a].label}</Tag> },
              {
                title: '说明',
                render: (_: unknown, r: Row) => (
                  <Space direction="vertical" size={0}>
                    {r.issues.map((i, k) => <Typography.Text key={k} type="danger">「{i.column}」{i.message}</Typography.Text>)}
                    {r.changes.length > 0 && <Typography.Text>修改:{r.changes.join('、')}</Typography.Text>}
                    {r.warnings.map((w, k) => <Typography.Text key={`w${k}`} type="warning">{w}</Typography.Text>)}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

const PAGE = 50;

/**
 * The preview's rows, 50 a page: from the preview itself when it sent them all (or for the first page), else a page
 * at a time from the rows the preview kept in the core (`importing.previewRows`), all or only the error rows.
 */
function PreviewRowsTable<Row extends ImportPreviewRow>(props: { preview: ImportPreview<Row>; errorsOnly: boolean; columns: TableColumnsType<Row> }) {
  const { preview, errorsOnly } = props;
  const [page, setPage] = useState(1);
  const [fetched, setFetched] = useState<{ key: string; rows: Row[]; total: number } | null>(null);
  const local = preview.previewId === null;
  const localRows = local ? preview.rows.filter((r) => !errorsOnly || r.action === 'error') : [];
  // the first page of all rows is the preview's own first rows; the other pages (and the errors beyond the first
  // 1,000) come from the core
  const own = !local && page === 1 && !errorsOnly;
  const key = `${preview.previewId}|${errorsOnly}|${page}`;
  useEffect(() => setPage(1), [preview, errorsOnly]);
  useEffect(() => {
    if (local || own || fetched?.key === key) return;
    let live = true;
    void call('importing.previewRows', { previewId: preview.previewId!, offset: (page - 1) * PAGE, limit: PAGE, filter: errorsOnly ? 'error' : undefined }).then(
      (r) => live && setFetched({ key, rows: r.rows as unknown as Row[], total: r.total }),
      () => live && setFetched({ key, rows: [], total: 0 }),
    );
    return () => {
      live = false;
    };
  }, [key, local, own, preview.previewId, page, errorsOnly, fetched?.key]);
  const total = local ? localRows.length : errorsOnly ? preview.counts.error : preview.rowCount;
  const rows = local ? localRows.slice((page - 1) * PAGE, page * PAGE) : own ? preview.rows.slice(0, PAGE) : fetched?.key === key ? fetched.rows : [];
  return (
    <Table<Row>
      size="small"
      rowKey="rowNumber"
      dataSource={rows}
      loading={!local && !own && fetched?.key !== key}
      pagination={{ current: page, pageSize: PAGE, total, showSizeChanger: false, showTotal: (t) => `共 ${t} 行`, onChange: setPage }}
      columns={props.columns}
    />
  );
}
