import { useRef, useState } from 'react';
import { Alert, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { ImportResult, PackageRow } from '@shared/contract/submission';
import { periodLabel } from '@shared/submission/period';
import { LEVEL_LABELS } from '@shared/submission/region';
import { PACKAGE_EXTENSION } from '@shared/submission/manifest';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { readUpload } from '../../lib/files';
import { formatBytes, formatDateTime } from '../../lib/format';
import { periodOptions } from './periods';
import { ListExportButton } from '../../components/ListExport';

const BATCH_BYTES = 32 * 1024 * 1024;

const STATUS: Record<ImportResult['status'], { color: string; label: string }> = {
  imported: { color: 'green', label: '已导入' },
  superseded: { color: 'default', label: '已导入(已被取代)' },
  duplicate: { color: 'blue', label: '已导入过' },
  refused: { color: 'red', label: '拒绝' },
};

/** 导入上报包: one file, several, or a whole folder; each verified, then imported in its own transaction. */
export function ImportPage() {
  const [period, setPeriod] = useState<string | undefined>();
  /** When chosen, a package of any other period is refused. */
  const [expected, setExpected] = useState<string | undefined>();
  const [results, setResults] = useState<ImportResult[] | null>(null);
  const list = useCall('submission.packages.list', { period }, [period]);
  const status = useCall('submission.status', {});
  const { run, busy } = useAction();
  const canImport = useCan('admin', 'staff');
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);

  const importFiles = async (fileList: FileList | null) => {
    const files = [...(fileList ?? [])].filter((f) => f.name.toLowerCase().endsWith(PACKAGE_EXTENSION));
    if (files.length === 0) {
      setResults([]);
      return;
    }
    const all: ImportResult[] = [];
    // Batches of a few files and at most ~32 MB keep each request (base64 adds a third) under the upload limit.
    const batches: File[][] = [];
    for (const f of files) {
      const last = batches[batches.length - 1];
      if (last && last.length < 5 && last.reduce((n, x) => n + x.size, 0) + f.size <= BATCH_BYTES) last.push(f);
      else batches.push([f]);
    }
    for (const group of batches) {
      const batch = await Promise.all(group.map(readUpload));
      const r = await run(() => call('submission.packages.import', { files: batch, period: expected }));
      if (!r) break;
      all.push(...r);
    }
    setResults(all);
    void list.reload();
  };

  // Clear the input afterwards, so choosing the same file again (a re-import) fires again.
  const pick = async (input: HTMLInputElement) => {
    const chosen = input.files;
    await importFiles(chosen);
    input.value = '';
  };

  return (
    <div style={{ overflow: 'auto' }}>
      <PageHeader
        title="导入下级上报包"
        sub="逐个校验签名、校验值、报送期与安全性；被改动、未签名、来自未登记单位或不安全的包一律拒绝，且不写入任何数据"
        extra={
          <Space>
            <Select
              allowClear
              placeholder="只收某一报送期(可不选)"
              aria-label="只收报送期"
              style={{ width: 200 }}
              value={expected}
              onChange={setExpected}
              options={periodOptions(status.data?.suggestedPeriod ?? '2026-Q1', status.data?.periods ?? [])}
            />
            <input ref={filesRef} type="file" multiple accept={PACKAGE_EXTENSION} hidden data-testid="import-files" onChange={(e) => void pick(e.target)} />
            <input
              ref={folderRef}
              type="file"
              hidden
              multiple
              {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
              onChange={(e) => void pick(e.target)}
            />
            <Button type="primary" disabled={!canImport} loading={busy} onClick={() => filesRef.current?.click()}>
              选择上报包
            </Button>
            <Button disabled={!canImport} loading={busy} onClick={() => folderRef.current?.click()}>
              导入整个文件夹
            </Button>
            <ListExportButton list="packages" input={{ period }} />
          </Space>
        }
      />
      {results && (
        <Card size="small" title="本次导入结果" style={{ marginBottom: 16 }}>
          {results.length === 0 ? (
            <Alert type="warning" showIcon title={`所选位置没有 ${PACKAGE_EXTENSION} 文件`} />
          ) : (
            <Table<ImportResult>
              rowKey={(r, i) => `${r.fileName}-${i}`}
              size="small"
              pagination={false}
              dataSource={results}
              columns={[
                { title: '文件', dataIndex: 'fileName', width: 260, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                { title: '结果', dataIndex: 'status', width: 130, render: (s: ImportResult['status']) => <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag> },
                {
                  title: '说明',
                  dataIndex: 'message',
                  render: (m: string, r: ImportResult) => (
                    <>
                      {m}
                      {r.warning && <Alert type="warning" showIcon style={{ marginTop: 4 }} message={r.warning} data-testid="import-kind-warning" />}
                    </>
                  ),
                },
              ]}
            />
          )}
        </Card>
      )}
      <Card
        size="small"
        title="已导入的上报包"
        extra={
          <Select
            allowClear
            placeholder="全部报送期"
            style={{ width: 180 }}
            value={period}
            onChange={setPeriod}
            options={(status.data?.periods ?? []).map((p) => ({ value: p, label: periodLabel(p) }))}
          />
        }
      >
        <Table<PackageRow>
          rowKey="packageId"
          size="small"
          loading={list.loading}
          dataSource={list.data ?? []}
          locale={{ emptyText: <Empty description="尚未导入上报包" /> }}
          pagination={{ pageSize: 12 }}
          columns={[
            { title: '报送期', dataIndex: 'period', render: periodLabel, width: 120 },
            { title: '单位', dataIndex: 'hubName' },
            { title: '层级', dataIndex: 'level', render: (l: PackageRow['level']) => LEVEL_LABELS[l], width: 60 },
            { title: '类型', dataIndex: 'kind', width: 90, render: (k: string, r) => (k === 'consolidated' ? <Tag color="blue">汇总 {r.origins} 单位</Tag> : <Tag>本级</Tag>) },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (s: string) => (s === 'active' ? <Tag color="green">有效</Tag> : <Tag>已被取代</Tag>),
            },
            { title: '生成时间', dataIndex: 'createdAt', render: formatDateTime, width: 150 },
            { title: '导入时间', dataIndex: 'importedAt', render: formatDateTime, width: 150 },
            { title: '组织数', render: (_: unknown, r) => r.recordCounts.organizations ?? '—', width: 70 },
            { title: '大小', dataIndex: 'fileSize', render: formatBytes, width: 90 },
          ]}
        />
      </Card>
    </div>
  );
}
