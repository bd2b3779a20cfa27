import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Select, Space, Statistic, Table, Tabs } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import ReactECharts from 'echarts-for-react';
import type { UtilizationReport, Venue } from '@shared/contract/venues';
import { occupancyRate } from '@shared/venues/utilization';
import { call } from '../../api/client';
import { downloadBase64 } from '../../lib/files';
import { hours } from './common';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Hours booked, used and idle per venue, per month and per organization, with a chart and an .xlsx export. */
export function UtilizationPage({ venues }: { venues: Venue[] }) {
  const { message } = App.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs().endOf('year')]);
  const [venueIds, setVenueIds] = useState<string[]>([]);
  const [report, setReport] = useState<UtilizationReport | null>(null);
  const [loading, setLoading] = useState(false);
  const input = () => ({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), venueIds: venueIds.length ? venueIds : undefined });

  const load = async () => {
    setLoading(true);
    try {
      setReport(await call('venues.utilization', input()));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const chart = useMemo(() => {
    if (!report) return null;
    const m = report.byMonth;
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['已使用', '未到场', '已批准待使用', '空闲', '使用率'] },
      grid: { left: 60, right: 60, top: 56, bottom: 30 },
      xAxis: { type: 'category', data: m.map((x) => x.month) },
      yAxis: [
        { type: 'value', name: '小时' },
        { type: 'value', name: '使用率', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      ],
      series: [
        { name: '已使用', type: 'bar', stack: 'h', data: m.map((x) => hours(x.usedMinutes)), itemStyle: { color: '#52c41a' } },
        { name: '未到场', type: 'bar', stack: 'h', data: m.map((x) => hours(x.noShowMinutes)), itemStyle: { color: '#ff4d4f' } },
        {
          name: '已批准待使用',
          type: 'bar',
          stack: 'h',
          data: m.map((x) => hours(x.bookedMinutes - x.usedMinutes - x.noShowMinutes)),
          itemStyle: { color: '#1677ff' },
        },
        { name: '空闲', type: 'bar', stack: 'h', data: m.map((x) => hours(x.idleMinutes)), itemStyle: { color: '#d9d9d9' } },
        { name: '使用率', type: 'line', yAxisIndex: 1, data: m.map((x) => Math.round(occupancyRate(x) * 1000) / 1000), itemStyle: { color: '#fa8c16' } },
      ],
    };
  }, [report]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap>
        <DatePicker.RangePicker value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
        <Select
          mode="multiple"
          allowClear
          placeholder="全部场地"
          style={{ minWidth: 280 }}
          maxTagCount={2}
          value={venueIds}
          onChange={setVenueIds}
          optionFilterProp="label"
          options={venues.map((v) => ({ value: v.id, label: v.name }))}
        />
        <Button type="primary" onClick={load} loading={loading}>
          统计
        </Button>
        <Button
          onClick={async () => {
            try {
              downloadBase64(await call('venues.utilization.export', input()));
            } catch (e) {
              message.error((e as Error).message);
            }
          }}
        >
          导出 Excel
        </Button>
      </Space>
      {report && (
        <>
          <Space size={32} wrap data-testid="utilization-totals">
            <Statistic title="开放小时" value={hours(report.total.openMinutes)} />
            <Statistic title="预约小时" value={hours(report.total.bookedMinutes)} />
            <Statistic title="已使用小时" value={hours(report.total.usedMinutes)} />
            <Statistic title="空闲小时" value={hours(report.total.idleMinutes)} />
            <Statistic title="使用率" value={pct(occupancyRate(report.total))} />
          </Space>
          <Card size="small" title="按月">
            {chart && <ReactECharts option={chart} style={{ height: 280 }} notMerge />}
          </Card>
          <Tabs
            items={[
              {
                key: 'venues',
                label: '按场地',
                children: (
                  <Table
                    size="small"
                    rowKey="venueId"
                    pagination={{ pageSize: 20 }}
                    dataSource={report.venues}
                    columns={[
                      { title: '场地', dataIndex: 'venueName' },
                      { title: '开放小时', align: 'right', render: (_, v) => hours(v.total.openMinutes), sorter: (a, b) => a.total.openMinutes - b.total.openMinutes },
                      { title: '预约小时', align: 'right', render: (_, v) => hours(v.total.bookedMinutes), sorter: (a, b) => a.total.bookedMinutes - b.total.bookedMinutes },
                      { title: '已使用小时', align: 'right', render: (_, v) => hours(v.total.usedMinutes) },
                      { title: '未到场小时', align: 'right', render: (_, v) => hours(v.total.noShowMinutes) },
                      { title: '空闲小时', align: 'right', render: (_, v) => hours(v.total.idleMinutes) },
                      { title: '使用率', align: 'right', render: (_, v) => pct(occupancyRate(v.total)), sorter: (a, b) => occupancyRate(a.total) - occupancyRate(b.total) },
                      { title: '预约次数', align: 'right', render: (_, v) => v.total.bookings },
                    ]}
                  />
                ),
              },
              {
                key: 'orgs',
                label: '按组织',
                children: (
                  <Table
                    size="small"
                    rowKey="organizationId"
                    pagination={{ pageSize: 20 }}
                    dataSource={report.organizations}
                    columns={[
                      { title: '组织', dataIndex: 'organizationName' },
                      { title: '预约小时', align: 'right', render: (_, o) => hours(o.bookedMinutes) },
                      { title: '已使用小时', align: 'right', render: (_, o) => hours(o.usedMinutes) },
                      { title: '未到场小时', align: 'right', render: (_, o) => hours(o.noShowMinutes) },
                      { title: '预约次数', align: 'right', dataIndex: 'bookings' },
                    ]}
                  />
                ),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
