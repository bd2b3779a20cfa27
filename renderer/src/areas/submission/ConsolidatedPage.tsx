import { useEffect, useState } from 'react';
import { Breadcrumb, Button, Card, Col, Empty, Input, List, Modal, Row, Select, Space, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { ConsolidatedView, MergedOrgRow, RegionSummary } from '@shared/contract/submission';
import { periodLabel } from '@shared/submission/period';
import { LEVEL_LABELS, type Level } from '@shared/submission/region';
import { MANAGEMENT_CLASS_LABELS, PACKAGE_STAGE_LABELS } from '@shared/submission/records';
import { formatFen } from '@shared/money';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { downloadBase64 } from '../../lib/files';
import { formatDateTime } from '../../lib/format';
import { Chart } from '../dashboard/Chart';
import { CheckItemMeta } from './CheckItemMeta';
import { periodOptions } from './periods';
import { useIrreversibleCall } from '../../components/irreversible';

type Table = ConsolidatedView['tables'][number];

const ORG_PAGE = 10;

function cell(kind: string, v: string | number | undefined) {
  if (v === undefined) return '';
  return kind === 'fen' ? formatFen(Number(v)) : v;
}

function StandardTableView({ t }: { t: Table }) {
  const data = t.total ? [...t.rows, { ...t.total, __total: 1 }] : t.rows;
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      pagination={false}
      dataSource={data}
      locale={{ emptyText: '本期无数据' }}
      scroll={{ x: true }}
      rowClassName={(r) => ((r as { __total?: number }).__total ? 'total-row' : '')}
      columns={t.columns.map((c) => ({
        title: c.kind === 'fen' ? `${c.header}` : c.header,
        dataIndex: c.key,
        align: c.kind === 'text' ? ('left' as const) : ('right' as const),
        render: (v: string | number, r: Record<string, unknown>) => {
          const text = cell(c.kind, v);
          return r.__total ? <strong>{text}</strong> : text;
        },
      }))}
    />
  );
}

/** 汇总: the consolidated picture over the region chain, drill-down to each hub, merged organizations. */
export function ConsolidatedPage() {
  const status = useCall('submission.status', {});
  const [period, setPeriod] = useState<string | null>(null);
  const [node, setNode] = useState<{ level: Level; code: string } | null>(null);
  const [includeOwn, setIncludeOwn] = useState(true);
  const [view, setView] = useState<ConsolidatedView | null>(null);
  const [loading, setLoading] = useState(false);
  const [orgs, setOrgs] = useState<{ rows: MergedOrgRow[]; total: number } | null>(null);
  const [search, setSearch] = useState('');
  const [sharedOnly, setSharedOnly] = useState(false);
  const [orgPage, setOrgPage] = useState(1);
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const canBuild = useCan('admin', 'approver');

  useEffect(() => {
    if (!period && status.data) setPeriod(status.data.periods[0] ?? status.data.suggestedPeriod);
  }, [status.data, period]);
  useEffect(() => {
    if (!period) return;
    setLoading(true);
    void run(() => call('submission.consolidated', { period, includeOwn, ...(node ?? {}) }))
      .then((v) => setView(v ?? null))
      .finally(() => setLoading(false));
  }, [period, node, includeOwn, run]);
  // The roster is paged in the core: a federation of many hubs lists hundreds of thousands of organizations.
  useEffect(() => setOrgPage(1), [period, node, includeOwn, search, sharedOnly]);
  useEffect(() => {
    if (!period) return;
    const startRow = (orgPage - 1) * ORG_PAGE;
    void run(() => call('submission.consolidated.orgs', { period, includeOwn, search, sharedOnly, startRow, endRow: startRow + ORG_PAGE, ...(node ?? {}) })).then((r) => setOrgs(r ?? null));
  }, [period, node, includeOwn, search, sharedOnly, orgPage, run]);

  const go = (r: RegionSummary | null) => setNode(r ? { level: r.level, code: r.code } : null);
  const exportXlsx = async () => {
    if (!period) return;
    const f = await run(() => call('submission.consolidated.export', { period, includeOwn, ...(node ?? {}) }));
    if (f) downloadBase64(f);
  };
  const buildUp = async () => {
    if (!period) return;
    const checks = await run(() => call('submission.checks', { period }));
    if (!checks) return;
    const go = async () => {
      const r = await run(() => sendIrreversible('submission.consolidated.build', { period, confirm: checks.items.map((i) => i.code) }, `汇总上报包：本单位本级数据 + ${view?.hubs.length ?? 0} 个下级单位已导入的包(${(view?.hubs ?? []).slice(0, 5).map((h) => h.name).join('、')}${(view?.hubs.length ?? 0) > 5 ? '等' : ''})，报送期 ${period}`), '汇总上报包已生成并签名');
      if (r) downloadBase64(r.file);
    };
    if (checks.items.length === 0) return go();
    // The director sees what the package would carry wrong before confirming it (recorded with the package).
    Modal.confirm({
      title: `生成${periodLabel(period)}汇总上报包前的检查提示`,
      width: 560,
      content: (
        <List
          size="small"
          dataSource={checks.items}
          renderItem={(i) => (
            <List.Item>
              <CheckItemMeta item={i} />
            </List.Item>
          )}
        />
      ),
      okText: '已知悉，照此生成',
      cancelText: '先去处理',
      onOk: go,
    });
  };

  const totals = view?.node?.totals ?? (view ? view.children.reduce<Record<string, number>>((acc, c) => {
    for (const [k, v] of Object.entries(c.totals)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {}) : {});
  const distinct = view?.node?.distinctOrganizations ?? view?.children.reduce((s, c) => s + c.distinctOrganizations, 0) ?? 0;

  return (
    <div style={{ overflow: 'auto' }}>
      <PageHeader
        title="汇总数据"
        sub="按 村 → 乡镇 → 县 → 市 → 省 逐级汇总；同一统一社会信用代码的组织只计一次"
        extra={
          <Space wrap>
            <Select
              style={{ width: 180 }}
              value={period}
              onChange={(p) => {
                setPeriod(p);
                setNode(null);
              }}
              options={periodOptions(status.data?.suggestedPeriod ?? '2026-Q1', status.data?.periods ?? [])}
              aria-label="报送期"
            />
            <Space>
              <Switch checked={includeOwn} onChange={setIncludeOwn} size="small" />
              <span>含本单位数据</span>
            </Space>
            <Button onClick={exportXlsx}>导出汇总报表</Button>
            <Button type="primary" disabled={!canBuild} loading={busy} onClick={buildUp}>
              生成汇总上报包
            </Button>
          </Space>
        }
      />
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <a onClick={() => go(null)}>全部</a> },
          ...(view?.breadcrumbs ?? []).map((b) => ({
            title: (
              <a onClick={() => go(b)}>
                {LEVEL_LABELS[b.level]}：{b.name}
              </a>
            ),
          })),
        ]}
      />
      {view && view.children.length === 0 && view.hubs.length === 0 ? (
        <Empty description={`${period ? periodLabel(period) : ''}尚无汇总数据：请先导入下级单位的上报包`} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}>
            <Card size="small" loading={loading && !view} title={view?.node ? `${LEVEL_LABELS[view.node.level]}：${view.node.name}` : '全部地区'}>
              <Row gutter={[8, 8]}>
                <Col span={8}>
                  <Statistic title="社会组织(去重)" value={distinct} />
                </Col>
                <Col span={8}>
                  <Statistic title="跨单位重复" value={view?.sharedOrganizations ?? 0} />
                </Col>
                <Col span={8}>
                  <Statistic title="汇总单位" value={view?.node?.hubCount ?? view?.hubs.length ?? 0} />
                </Col>
                <Col span={8}>
                  <Statistic title="培训人次" value={totals.personTimes ?? 0} />
                </Col>
                <Col span={8}>
                  <Statistic title="活动次数" value={totals.activities ?? 0} />
                </Col>
                <Col span={8}>
                  <Statistic title="代管余额" value={formatFen(totals.custodyBalanceFen ?? 0)} valueStyle={{ fontSize: 18 }} />
                </Col>
              </Row>
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Card size="small" title="下级地区组织数(点击条形查看)">
              {view && view.children.length > 0 ? (
                <div data-testid="children-chart">
                  <Chart
                    height={200}
                    onClick={(p) => go(view.children[p.dataIndex] ?? null)}
                    option={{
                      tooltip: { trigger: 'axis' },
                      grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
                      xAxis: { type: 'value' },
                      yAxis: { type: 'category', data: view.children.map((c) => c.name), inverse: true },
                      series: [
                        { type: 'bar', name: '上报组织数', data: view.children.map((c) => c.totals.organizations ?? 0) },
                        { type: 'bar', name: '去重后', data: view.children.map((c) => c.distinctOrganizations) },
                      ],
                      legend: { top: 0, right: 0 },
                    }}
                  />
                </div>
              ) : (
                <Typography.Text type="secondary">已到最下一级</Typography.Text>
              )}
            </Card>
          </Col>
          <Col span={24}>
            <Card size="small" title="下级地区">
              <Table<RegionSummary>
                rowKey="code"
                size="small"
                pagination={false}
                dataSource={view?.children ?? []}
                locale={{ emptyText: '这一级之下没有更细的地区：各单位的数据见下方「各单位数据来源」和「标准报表」' }}
                onRow={(r) => ({ onClick: () => go(r), style: { cursor: 'pointer' } })}
                columns={[
                  { title: '地区/单位', dataIndex: 'name', render: (n: string, r) => <a>{`${LEVEL_LABELS[r.level]}：${n}`}</a> },
                  { title: '区划代码', dataIndex: 'code', width: 130 },
                  { title: '单位数', dataIndex: 'hubCount', width: 70, align: 'right' },
                  { title: '上报组织', render: (_: unknown, r) => r.totals.organizations ?? 0, width: 90, align: 'right' },
                  { title: '去重组织', dataIndex: 'distinctOrganizations', width: 90, align: 'right' },
                  { title: '在孵', render: (_: unknown, r) => r.totals.incubating ?? 0, width: 70, align: 'right' },
                  { title: '培训人次', render: (_: unknown, r) => r.totals.personTimes ?? 0, width: 90, align: 'right' },
                  { title: '代管余额', render: (_: unknown, r) => formatFen(r.totals.custodyBalanceFen ?? 0), width: 130, align: 'right' },
                  { title: '重大活动未报告', render: (_: unknown, r) => r.totals.majorWithoutReport ?? 0, width: 120, align: 'right' },
                ]}
              />
            </Card>
          </Col>
          <Col span={24}>
            <Card size="small" title="各单位数据来源(点击查看该单位)" data-testid="hub-sources">
              <Table
                rowKey="hubId"
                size="small"
                pagination={{ pageSize: 10 }}
                dataSource={view?.hubs ?? []}
                onRow={(h) => ({ onClick: () => setNode({ level: h.level, code: h.regionCode }), style: { cursor: 'pointer' } })}
                columns={[
                  { title: '单位', dataIndex: 'name', render: (n: string, h) => (h.own ? <Space>{n}<Tag color="blue">本单位</Tag></Space> : n) },
                  { title: '层级', dataIndex: 'level', width: 60, render: (l: Level) => LEVEL_LABELS[l] },
                  { title: '数据来自', dataIndex: 'carrierHubName', render: (n: string, h) => (h.own ? '本单位台账' : n === h.name ? '直接上报' : `经「${n}」汇总转报`) },
                  { title: '数据生成时间', dataIndex: 'dataCreatedAt', width: 150, render: formatDateTime },
                  { title: '组织', width: 70, align: 'right', render: (_: unknown, h) => h.measures.organizations ?? 0 },
                  { title: '培训人次', width: 90, align: 'right', render: (_: unknown, h) => h.measures.personTimes ?? 0 },
                  { title: '代管余额', width: 130, align: 'right', render: (_: unknown, h) => formatFen(h.measures.custodyBalanceFen ?? 0) },
                ]}
              />
            </Card>
          </Col>
          <Col span={24}>
            <Card size="small" title="标准报表">
              <Tabs items={(view?.tables ?? []).map((t) => ({ key: t.key, label: t.title, children: <StandardTableView t={t} /> }))} />
            </Card>
          </Col>
          <Col span={24}>
            <Card
              size="small"
              title={`组织名录${node && view?.node ? `·${view.node.name}` : ''}(合并后 ${orgs?.total ?? 0} 个)`}
              extra={
                <Space>
                  <Input.Search allowClear placeholder="名称或信用代码" onSearch={setSearch} style={{ width: 220 }} />
                  <Switch size="small" checked={sharedOnly} onChange={setSharedOnly} />
                  <span>只看多单位共有</span>
                </Space>
              }
            >
              <Table<MergedOrgRow>
                rowKey="key"
                size="small"
                pagination={{ pageSize: ORG_PAGE, current: orgPage, total: orgs?.total ?? 0, onChange: setOrgPage, showSizeChanger: false }}
                dataSource={orgs?.rows ?? []}
                columns={[
                  { title: '名称', dataIndex: 'name' },
                  { title: '统一社会信用代码', dataIndex: 'creditCode', width: 180, render: (c: string | null) => c ?? '—' },
                  { title: '管理类别', dataIndex: 'managementClass', width: 120, render: (c: string | null) => (c ? MANAGEMENT_CLASS_LABELS[c as keyof typeof MANAGEMENT_CLASS_LABELS] : '—') },
                  { title: '孵化阶段', dataIndex: 'stage', width: 90, render: (s: string | null) => (s ? PACKAGE_STAGE_LABELS[s as keyof typeof PACKAGE_STAGE_LABELS] : '—') },
                  {
                    title: '来源单位',
                    dataIndex: 'sources',
                    render: (s: MergedOrgRow['sources']) => (
                      <Space wrap size={4}>
                        {[...new Set(s.map((x) => x.hubName))].map((n) => (
                          <Tag key={n} color={s.length > 1 ? 'gold' : undefined}>
                            {n}
                          </Tag>
                        ))}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
