import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Empty, List, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { BuildRow } from '@shared/contract/submission';
import { periodLabel } from '@shared/submission/period';
import { LEVEL_LABELS } from '@shared/submission/region';
import { PACKAGE_TABLES, isPackageTable } from '@shared/submission/records';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { downloadBase64 } from '../../lib/files';
import { formatBytes, formatDateTime } from '../../lib/format';
import { CheckItemMeta } from './CheckItemMeta';
import { periodOptions } from './periods';
import { useIrreversibleCall } from '../../components/irreversible';

const tableLabel = (t: string) => (isPackageTable(t) ? PACKAGE_TABLES[t].label : t);

/** 本级上报: the check list, the build (director), the history, and this hub's key for registration upstream. */
export function BuildPage() {
  const status = useCall('submission.status', {});
  const builds = useCall('submission.builds', {});
  const [period, setPeriod] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const checks = useCall('submission.checks', { period: period ?? '2026' }, [period]);
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const canBuild = useCan('admin', 'approver');
  const navigate = useNavigate();

  useEffect(() => {
    if (!period && status.data) setPeriod(status.data.suggestedPeriod);
  }, [status.data, period]);
  useEffect(() => setConfirmed([]), [period]);

  const items = period ? (checks.data?.items ?? []) : [];
  const open = items.filter((i) => !confirmed.includes(i.code));
  const build = async () => {
    if (!period) return;
    const r = await run(() => sendIrreversible('submission.build', { period, confirm: confirmed }, `本级上报包(只含本单位自己的数据，不含下级单位)，报送期 ${period}`), '上报包已生成并签名');
    if (r) {
      downloadBase64(r.file);
      void builds.reload();
    }
  };
  const exportKey = async () => {
    const k = await run(() => call('submission.exportKey', {}));
    if (k) downloadBase64(k);
  };

  return (
    <div style={{ overflow: 'auto' }}>
      <PageHeader
        title="本级上报"
        sub="按季度或年度生成签名的上报包(.incubase)，交上级单位或联合会导入"
        extra={
          <Select
            style={{ width: 200 }}
            value={period}
            onChange={setPeriod}
            options={periodOptions(status.data?.suggestedPeriod ?? '2026-Q1', status.data?.periods ?? [])}
            aria-label="报送期"
          />
        }
      />
      {(status.data?.memberHubs ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="kind-warning"
          message={`本页生成的是「本级上报包」：只含本单位自己的数据，不含已登记的 ${status.data?.memberHubs} 个下级单位。上级要的若是汇总数据，请到「汇总上报」生成「汇总上报包」。`}
          action={<Button size="small" onClick={() => navigate('/submission/consolidated')}>去汇总上报</Button>}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={`上报前检查${period ? ` · ${periodLabel(period)}` : ''}`} loading={checks.loading && !checks.data} size="small">
            {items.length === 0 ? (
              <Alert type="success" showIcon title="没有发现会使上报数据出错的问题" />
            ) : (
              <List
                size="small"
                dataSource={items}
                renderItem={(i) => (
                  <List.Item
                    actions={[
                      <Button key="fix" size="small" onClick={() => navigate(i.route)}>
                        去处理
                      </Button>,
                      <Checkbox
                        key="ok"
                        checked={confirmed.includes(i.code)}
                        disabled={!canBuild}
                        onChange={(e) => setConfirmed((c) => (e.target.checked ? [...c, i.code] : c.filter((x) => x !== i.code)))}
                      >
                        已知悉，照此上报
                      </Checkbox>,
                    ]}
                  >
                    <CheckItemMeta item={i} />
                  </List.Item>
                )}
              />
            )}
            <div style={{ marginTop: 12 }}>
              <Button type="primary" disabled={!canBuild || !period || open.length > 0} loading={busy} onClick={build}>
                生成并签名上报包
              </Button>
              {!canBuild && <Typography.Text type="secondary" style={{ marginLeft: 8 }}>上报包由负责人(审批人)或管理员生成</Typography.Text>}
              {canBuild && open.length > 0 && (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  还有 {open.length} 项检查未处理或确认
                </Typography.Text>
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title="本单位签名密钥" size="small" loading={status.loading && !status.data}>
            {status.data && (
              <Descriptions column={1} size="small">
                <Descriptions.Item label="单位">{status.data.hubName}</Descriptions.Item>
                <Descriptions.Item label="层级">{LEVEL_LABELS[status.data.level]}级 · {status.data.regionCode}</Descriptions.Item>
                <Descriptions.Item label="公钥指纹">
                  <Typography.Text code copyable style={{ wordBreak: 'keep-all' }}>
                    {status.data.fingerprint}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            )}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              导出公钥登记文件交给上级单位登记；登记时请双方电话核对指纹。私钥只保存在本机数据目录，不随数据库备份外传。
            </Typography.Paragraph>
            <Button onClick={exportKey}>导出公钥登记文件</Button>
          </Card>
        </Col>
        <Col span={24}>
          <Card title="已生成的上报包" size="small">
            <Table<BuildRow>
              rowKey="id"
              size="small"
              loading={builds.loading}
              dataSource={builds.data ?? []}
              locale={{ emptyText: <Empty description="尚未生成上报包" /> }}
              pagination={{ pageSize: 8 }}
              columns={[
                { title: '报送期', dataIndex: 'period', render: periodLabel, width: 130 },
                { title: '类型', dataIndex: 'kind', render: (k: string) => (k === 'consolidated' ? <Tag color="blue">汇总</Tag> : <Tag>本级</Tag>), width: 70 },
                { title: '生成时间', dataIndex: 'createdAt', render: formatDateTime, width: 150 },
                {
                  title: '记录数',
                  dataIndex: 'recordCounts',
                  render: (c: Record<string, number>) =>
                    Object.entries(c)
                      .map(([t, n]) => `${tableLabel(t)} ${n}`)
                      .join('，'),
                },
                { title: '确认的提示', dataIndex: 'confirmedWarnings', render: (w: string[]) => (w.length ? `${w.length} 项` : '无'), width: 90 },
                { title: '大小', dataIndex: 'fileSize', render: formatBytes, width: 90 },
                { title: '生成人', dataIndex: 'builtBy', width: 90 },
                {
                  title: '',
                  width: 80,
                  render: (_: unknown, b) => (
                    <Button size="small" onClick={async () => downloadBase64(await call('submission.buildFile', { id: b.id }))}>
                      下载
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
