import { useMemo, useRef, useState } from 'react';
import { Button, DatePicker, Descriptions, Drawer, Input, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { AgGridReact } from 'ag-grid-react';
import type { AuditRow } from '@shared/contract/admin';
import { call } from '../../api/client';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { formatDateTime } from '../../lib/format';

type TextFilter = { filter?: string };

/** The audit log: paged from SQL (ag-grid infinite model), filtered by date range, user, action, entity and text. */
export function AuditPage() {
  const grid = useRef<AgGridReact<AuditRow>>(null);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [text, setText] = useState('');
  const [detail, setDetail] = useState<AuditRow | null>(null);
  const outer = useRef({ range, text });
  outer.current = { range, text };

  const datasource = useMemo(
    () =>
      pagedDatasource<AuditRow>(async (req) => {
        const fm = req.filterModel as Record<string, TextFilter>;
        const { range: r, text: t } = outer.current;
        return call('audit.list', {
          startRow: req.startRow,
          endRow: req.endRow,
          sort: req.sort.map((s) => ({ colId: s.colId, sort: s.sort })),
          filter: {
            from: r?.[0]?.format('YYYY-MM-DD'),
            to: r?.[1]?.format('YYYY-MM-DD'),
            username: fm.username?.filter || undefined,
            action: fm.action?.filter || undefined,
            entity: fm.entity?.filter || undefined,
            entityId: fm.entityId?.filter || undefined,
            text: t || undefined,
          },
        });
      }),
    [],
  );
  const refresh = () => grid.current?.api.purgeInfiniteCache();
  const textFilter = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['equals'], maxNumConditions: 1 } };
  const columns = useMemo<ColDef<AuditRow>[]>(
    () => [
      { field: 'at', headerName: '时间', width: 160, valueFormatter: (p) => formatDateTime(p.value), sort: 'desc' },
      { field: 'username', headerName: '用户', width: 120, ...textFilter },
      { field: 'action', headerName: '操作', width: 190, ...textFilter },
      { field: 'entity', headerName: '对象类型', width: 120, ...textFilter },
      { field: 'entityId', headerName: '对象编号', width: 150, sortable: false, ...textFilter },
      { field: 'summary', headerName: '摘要', flex: 1, minWidth: 240, sortable: false },
    ],
    [],
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        <Input.Search placeholder="摘要包含…" allowClear value={text} onChange={(e) => setText(e.target.value)} onSearch={refresh} style={{ width: 240 }} />
        <Button onClick={refresh}>查询</Button>
        <Typography.Text type="secondary">审计日志只追加、不可修改；点击一行查看修改前后的内容</Typography.Text>
      </Space>
      <div className="page-fill" data-testid="audit-grid">
        <DataGrid<AuditRow>
          ref={grid}
          rowModelType="infinite"
          datasource={datasource}
          columnDefs={columns}
          getRowId={(p) => String(p.data.id)}
          onRowClicked={(e) => e.data && setDetail(e.data)}
        />
      </div>
      <Drawer open={!!detail} onClose={() => setDetail(null)} title="审计记录" size={560}>
        {detail && (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="时间">{formatDateTime(detail.at)}</Descriptions.Item>
            <Descriptions.Item label="用户">{detail.username ?? '系统'}</Descriptions.Item>
            <Descriptions.Item label="操作">{detail.action}</Descriptions.Item>
            <Descriptions.Item label="对象">
              {detail.entity} {detail.entityId}
            </Descriptions.Item>
            <Descriptions.Item label="摘要">{detail.summary}</Descriptions.Item>
            <Descriptions.Item label="修改前">
              <pre style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 12 }}>{pretty(detail.before)}</pre>
            </Descriptions.Item>
            <Descriptions.Item label="修改后">
              <pre style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 12 }}>{pretty(detail.after)}</pre>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
    </>
  );
}

function pretty(json: string | null): string {
  if (!json) return '—';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
