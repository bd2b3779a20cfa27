import { useState } from 'react';
import { Button, Card, DatePicker, Progress, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { budgetVsActual, formatBasisPoints } from '@shared/custody/reports';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { downloadBase64, printHtml } from '../../lib/files';
import { Money } from './common';

/** 来源与项目汇总: receipts and disbursements by funding source, and budget versus actual by project line. */
export function SummaryPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs().endOf('year')]);
  const input = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const data = useCall('custody.summary', input, [input.from, input.to]);
  const { run } = useAction();
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
        <Button onClick={() => run(async () => { const p = await call('custody.summary.print', input); await printHtml(p.html, p.fileName); })}>打印 / PDF</Button>
        <Button onClick={() => run(async () => downloadBase64(await call('custody.summary.export', input)))}>导出 Excel</Button>
      </Space>
      <Card size="small" title="按资金来源" style={{ marginBottom: 12 }}>
        <Table
          size="small"
          rowKey={(r) => r.sourceId ?? 'none'}
          pagination={false}
          dataSource={data.data?.sources ?? []}
          columns={[
            { title: '资金来源', dataIndex: 'name' },
            { title: '类别', dataIndex: 'kindLabel' },
            { title: '期初余额', dataIndex: 'openingFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '本期拨入', dataIndex: 'inFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '本期支出', dataIndex: 'outFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '期末余额', dataIndex: 'closingFen', align: 'right', render: (v: number) => <Money fen={v} /> },
          ]}
        />
      </Card>
      <Card size="small" title="项目预算执行（按项目全期，截至目前）">
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={(data.data?.projects ?? []).flatMap((p) =>
            budgetVsActual(p.lines, new Map(p.lines.map((l) => [l.id, l.spentFen]))).lines.map((l) => ({ ...l, project: p.name, org: p.orgName ?? '' })),
          )}
          columns={[
            { title: '项目', dataIndex: 'project' },
            { title: '组织', dataIndex: 'org' },
            { title: '预算科目', dataIndex: 'name' },
            { title: '预算', dataIndex: 'budgetFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '已支出', dataIndex: 'spentFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '结余', dataIndex: 'remainingFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            {
              title: '执行率',
              dataIndex: 'usedBasisPoints',
              width: 180,
              render: (bp: number | null, l) => (bp === null ? '—' : <Progress size="small" percent={Math.min(100, Math.floor(bp / 100))} status={l.over ? 'exception' : undefined} format={() => formatBasisPoints(bp)} />),
            },
          ]}
        />
      </Card>
    </div>
  );
}
