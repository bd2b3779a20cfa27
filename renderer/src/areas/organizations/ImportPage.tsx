import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Result, Select, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { ImportResult, ImportRowResult } from '@shared/contract/organizations';
import { ORG_COLUMNS } from '@shared/organizations/columns';
import { ApiError, call } from '../../api/client';
import { useAction } from '../../api/hooks';
import { readUpload } from '../../lib/files';
import { LabelMappingCard, choicesOf, labelMapOf, type LabelChoices } from '../../components/LabelMappingCard';

const ACTION: Record<ImportRowResult['action'], { label: string; color: string }> = {
  create: { label: '新增', color: 'green' },
  update: { label: '更新', color: 'blue' },
  unchanged: { label: '未变', color: 'default' },
  error: { label: '有错误', color: 'red' },
};

/**
 * 台账导入: pick a file, check the column mapping (remembered per file layout), read the preview — the real import
 * run without writing — then import everything (only when there is no error) or only the valid rows.
 */
export function ImportPage() {
  const navigate = useNavigate();
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [mapping, setMapping] = useState<(string | null)[] | null>(null);
  const [choices, setChoices] = useState<LabelChoices>({});
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const { run, busy } = useAction();

  const check = async (f = file, m = mapping ?? undefined, c: LabelChoices | null = preview ? choices : null) => {
    if (!f) return;
    setFailure(null);
    const labelMap = c && preview ? labelMapOf(preview.labels, c) : undefined;
    const r = await run(() => call('organizations.import.preview', { file: f, mapping: m, labelMap }));
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
      const r = await call('organizations.import.commit', { file, mapping, mode, labelMap: preview ? labelMapOf(preview.labels, choices) : undefined });
      setDone(r);
    } catch (e) {
      if (e instanceof ApiError) setFailure(e);
      else throw e;
    }
  };

  if (done) {
    return (
      <Result
        status="success"
        title="导入完成"
        subTitle={`新增 ${done.counts.create} 个、更新 ${done.counts.update} 个、未变 ${done.counts.unchanged} 个${done.counts.error ? `,跳过有错误的 ${done.counts.error} 行` : ''}`}
        extra={[
          <Button type="primary" key="list" onClick={() => navigate('/organizations/list')}>查看台账</Button>,
          <Button key="again" onClick={() => { setDone(null); setFile(null); setPreview(null); setMapping(null); }}>继续导入</Button>,
        ]}
      />
    );
  }

  const rows = (preview?.rows ?? []).filter((r) => !errorsOnly || r.action === 'error');
  const options = [{ value: '', label: '(忽略此列)' }, ...ORG_COLUMNS.map((c) => ({ value: c.key, label: c.header }))];
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Upload.Dragger
          accept=".xlsx,.xls,.et,.ods,.csv,.tsv,.txt,.htm,.html,.xml"
          showUploadList={false}
          beforeUpload={(f) => {
            void (async () => {
              const u = await readUpload(f);
              setFile(u);
              setMapping(null);
              setPreview(null);
              setChoices({});
              await check(u, undefined, null);
            })();
            return false;
          }}
        >
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p>点击或拖入台账文件(.xlsx / .xls 工作簿,WPS 表格,或 UTF-8 / GBK 编码的 CSV)</p>
          <p style={{ color: '#8c8c8c' }}>与导出文件标题相同的列会自动对应;表头上方的标题行会被跳过;日期可写 2021-03-05、2021/3/5、2021年3月5日</p>
        </Upload.Dragger>
        {file && <Typography.Text>文件:{file.name}</Typography.Text>}
        {preview && mapping && (
          <Card
            size="small"
            title={`列对应关系(表头在第 ${preview.headerRowNumber} 行${preview.sheetName ? `,工作表「${preview.sheetName}」` : ''}${preview.encoding ? `,编码 ${preview.encoding}` : ''})`}
            extra={preview.mappingRemembered && <Tag color="blue">已沿用上次的对应关系</Tag>}
          >
            <Space wrap>
              {preview.headers.map((h, i) => (
                <Space.Compact key={i} size="small">
                  <Button size="small" disabled style={{ color: '#000' }}>{h || `第${i + 1}列`}</Button>
                  <Select
                    size="small"
                    style={{ width: 150 }}
                    value={mapping[i] ?? ''}
                    options={options}
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
            <Space size={32} style={{ marginBottom: 8 }}>
              <Statistic title="新增" value={preview.counts.create} />
              <Statistic title="更新" value={preview.counts.update} />
              <Statistic title="未变" value={preview.counts.unchanged} />
              <Statistic title="有错误" value={preview.counts.error} valueStyle={{ color: preview.counts.error ? '#cf1322' : undefined }} />
            </Space>
            {failure && (
              <Alert type="error" showIcon style={{ marginBottom: 8 }} message={failure.message} />
            )}
            <Space style={{ marginBottom: 8 }}>
              <Button type="primary" disabled={preview.counts.error > 0} onClick={() => commit('all')} data-testid="import-all">全部导入</Button>
              <Button disabled={preview.counts.create + preview.counts.update === 0} onClick={() => commit('validOnly')} data-testid="import-valid">只导入无误的行</Button>
              <Checkbox checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)}>只看有错误的行</Checkbox>
            </Space>
            <Table<ImportRowResult>
              size="small"
              rowKey="rowNumber"
              dataSource={rows}
              pagination={{ pageSize: 50, showSizeChanger: false }}
              columns={[
                { title: '行号', dataIndex: 'rowNumber', width: 70 },
                { title: '组织名称', dataIndex: 'name', width: 240 },
                { title: '处理', dataIndex: 'action', width: 90, render: (a: ImportRowResult['action']) => <Tag color={ACTION[a].color}>{ACTION[a].label}</Tag> },
                {
                  title: '说明',
                  render: (_: unknown, r: ImportRowResult) => (
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
    </div>
  );
}
