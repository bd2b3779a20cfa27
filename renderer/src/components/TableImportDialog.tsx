import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Modal, Result, Select, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { CallName } from '@shared/contract';
import { importSummaryLine, type TableImportResult, type TableImportRow } from '@shared/importing/contract';
import { ApiError, call } from '../api/client';
import { useAction } from '../api/hooks';
import { downloadBase64, readUpload } from '../lib/files';
import { LabelMappingCard, choicesOf, labelMapOf, type LabelChoices } from './LabelMappingCard';

/** The calls of one importer on the core's import engine (`<area>.….import.preview/commit/template`). */
type PreviewName = { [N in CallName]: N extends `${string}.import.preview` ? N : never }[CallName];
type CommitName = { [N in CallName]: N extends `${string}.import.commit` ? N : never }[CallName];
type TemplateName = { [N in CallName]: N extends `${string}.import.template` ? N : never }[CallName];

const ACTION: Record<TableImportRow['action'], { label: string; color: string }> = {
  create: { label: '新增', color: 'green' },
  update: { label: '更新', color: 'blue' },
  unchanged: { label: '未变', color: 'default' },
  error: { label: '有错误', color: 'red' },
};

type Upload = { name: string; base64: string };

/** Untyped access to the importer's three calls: they all share the engine's input and output shapes. */
const callAny = call as unknown as (name: string, input: unknown) => Promise<unknown>;

/**
 * The import dialog of every importer on the import engine: upload (any format the intake layer reads), the column
 * mapping step (remembered per file layout), the preview — the real import run without writing, with each row's
 * problems by column — then 全部导入 (only when nothing is wrong) or 只导入无误的行, and the result.
 */
export function TableImportDialog(props: {
  title: string;
  /** What one row is, for the list's first column (组织 · 活动, 场地名称…). */
  rowLabel: string;
  calls: { preview: PreviewName; commit: CommitName; template: TemplateName };
  onClose: (imported: boolean) => void;
}) {
  const { run, busy } = useAction();
  const [file, setFile] = useState<Upload | null>(null);
  const [preview, setPreview] = useState<TableImportResult | null>(null);
  const [mapping, setMapping] = useState<(string | null)[] | null>(null);
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [done, setDone] = useState<TableImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [choices, setChoices] = useState<LabelChoices>({});

  const check = async (f: Upload | null = file, m: (string | null)[] | undefined = mapping ?? undefined, c: LabelChoices | null = preview ? choices : null) => {
    if (!f) return;
    setFailure(null);
    const labelMap = c && preview ? labelMapOf(preview.labels, c) : undefined;
    const r = (await run(() => callAny(props.calls.preview, { file: f, mapping: m, labelMap }))) as TableImportResult | undefined;
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
      setDone((await callAny(props.calls.commit, { file, mapping, mode, labelMap: preview ? labelMapOf(preview.labels, choices) : undefined })) as TableImportResult);
    } catch (e) {
      if (e instanceof ApiError) setFailure(e.message);
      else throw e;
    }
  };

  const options = [{ value: '', label: '(忽略此列)' }, ...(preview?.fields ?? []).map((f) => ({ value: f.key, label: f.required ? `${f.title}(必填)` : f.title }))];
  const rows = (preview?.rows ?? []).filter((r) => !errorsOnly || r.action === 'error');
  return (
    <Modal
      open
      width={1040}
      title={props.title}
      onCancel={() => props.onClose(!!done)}
      footer={done ? <Button type="primary" onClick={() => props.onClose(true)}>完成</Button> : <Button onClick={() => props.onClose(false)}>关闭</Button>}
      styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflow: 'auto' } }}
      data-testid="table-import"
    >
      {done ? (
        <Result status="success" title="导入完成" subTitle={importSummaryLine(done)} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => run(async () => downloadBase64((await callAny(props.calls.template, {})) as { fileName: string; mimeType: string; base64: string }))}>
              下载模板
            </Button>
            {file && <Typography.Text>文件:{file.name}</Typography.Text>}
          </Space>
          <Upload.Dragger
            accept=".xlsx,.xls,.et,.ods,.csv,.txt,.htm,.html,.xml"
            showUploadList={false}
            beforeUpload={(f) => {
              void (async () => {
                const u = await readUpload(f);
                setFile(u);
                setMapping(null);
                setPreview(null);
                await check(u, undefined);
              })();
              return false;
            }}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p>点击或拖入文件(Excel .xlsx/.xls、WPS、CSV,GBK 或 UTF-8 均可)</p>
            <p style={{ color: '#8c8c8c' }}>与模板标题相同或相近的列会自动对应;表头上方的标题行和表尾的填表人、合计行会被跳过</p>
          </Upload.Dragger>
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
                      onChange={(v) => setMapping((m) => m!.map((x, j) => (j === i ? v || null : x)))}
                    />
                  </Space.Compact>
                ))}
              </Space>
              <div style={{ marginTop: 8 }}>
                <Button onClick={() => check()} loading={busy} data-testid="import-recheck">按此对应重新检查</Button>
              </div>
              {preview.mappingIssues.map((m) => <Alert key={m} type="error" showIcon message={m} style={{ marginTop: 8 }} />)}
            </Card>
          )}
          {preview && preview.mappingIssues.length === 0 && (
            <LabelMappingCard
              labels={preview.labels}
              vocabularies={preview.vocabularies}
              choices={choices}
              busy={busy}
              onChange={(c) => {
                setChoices(c);
                void check(file, mapping ?? undefined, c);
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
              {preview.footerRows.length > 0 && <Typography.Paragraph type="secondary">表尾(不是数据,已跳过):第 {preview.footerRows.join('、')} 行</Typography.Paragraph>}
              {failure && <Alert type="error" showIcon style={{ marginBottom: 8 }} message={failure} />}
              <Space style={{ display: 'flex', marginBottom: 8 }} wrap>
                <Button type="primary" disabled={preview.counts.error > 0 || preview.counts.create + preview.counts.update === 0} onClick={() => commit('all')} data-testid="import-all">
                  全部导入
                </Button>
                <Button disabled={preview.counts.create + preview.counts.update === 0} onClick={() => commit('validOnly')} data-testid="import-valid">
                  只导入无误的行
                </Button>
                <Checkbox checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)}>只看有错误的行</Checkbox>
              </Space>
              <Table<TableImportRow>
                size="small"
                rowKey="rowNumber"
                dataSource={rows}
                pagination={{ pageSize: 50, showSizeChanger: false }}
                columns={[
                  { title: '行号', dataIndex: 'rowNumber', width: 70 },
                  { title: props.rowLabel, dataIndex: 'label', width: 240, ellipsis: true },
                  { title: '处理', dataIndex: 'action', width: 90, render: (a: TableImportRow['action']) => <Tag color={ACTION[a].color}>{ACTION[a].label}</Tag> },
                  {
                    title: '说明',
                    render: (_: unknown, r: TableImportRow) => (
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
      )}
    </Modal>
  );
}
