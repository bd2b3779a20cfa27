import { useState } from 'react';
import { InputNumber, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import type { StreetSummaryRow } from '@shared/contract/organizations';
import { useCall } from '../../api/hooks';
import { ListExportButton } from '../../components/ListExport';

/** 分街道汇总: organizations by class and stage, members, volunteers, this year's activities and overdue incubations. */
export function StreetSummaryPage() {
  const [year, setYear] = useState(dayjs().year());
  const { data, loading } = useCall('organizations.streetSummary', { year }, [year]);
  const rows = data?.rows ?? [];
  const sum = (k: keyof StreetSummaryRow) => rows.reduce((s, r) => s + (r[k] as number), 0);
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text>活动统计年度</Typography.Text>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <ListExportButton list="streetSummary" input={{ year }} />
      </Space>
      <Table<StreetSummaryRow>
        size="small"
        bordered
        loading={loading}
        rowKey="street"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '街道(乡镇)', dataIndex: 'street' },
          { title: '组织总数', dataIndex: 'total' },
          { title: '依法登记', dataIndex: 'registered' },
          { title: '街道备案', dataIndex: 'filed' },
          { title: '社区指导', dataIndex: 'guided' },
          { title: '孵化中', dataIndex: 'incubating' },
          { title: '已出壳', dataIndex: 'graduated' },
          { title: '已退出', dataIndex: 'withdrawn' },
          { title: '成员', dataIndex: 'members' },
          { title: '志愿者', dataIndex: 'volunteers' },
          { title: `${year}年活动`, dataIndex: 'activitiesThisYear' },
          { title: '孵化超期', dataIndex: 'overdue', render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0) },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
            {(['total', 'registered', 'filed', 'guided', 'incubating', 'graduated', 'withdrawn', 'members', 'volunteers', 'activitiesThisYear', 'overdue'] as const).map((k, i) => (
              <Table.Summary.Cell key={k} index={i + 1}>{sum(k)}</Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
    </div>
  );
}
