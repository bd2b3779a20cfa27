import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, DatePicker, Descriptions, Drawer, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { AgGridReact } from 'ag-grid-react';
import type { AuditRow } from '@shared/contract/admin';
import { contract } from '@shared/contract';
import { AUDIT_AREAS, type AuditArea } from '@shared/admin/auditAreas';
import { call } from '../../api/client';
import { useCan } from '../../app/session';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { ListExportButton } from '../../components/ListExport';
import { formatDateTime } from '../../lib/format';

/** The changes a call of this area can write, by their Chinese titles (filter 操作). */
const WRITE_CALLS = Object.entries(contract)
  .filter(([, d]) => d.write)
  .map(([name, d]) => ({ value: name, label: d.title }));
const AREA_OF_CALL: Record<string, AuditArea> = { organizations: 'organizations', venues: 'venues', custody: 'custody', training: 'training', submission: 'submission' };

type Filter = { range: [Dayjs | null, Dayjs | null] | null; text: string; who?: string; area?: AuditArea; action?: string; record?: { id: string; name: string } };

/**
 * The audit log as sentences: who did what to which named record, the changed fields by their Chinese labels.
 * Paged from SQL (ag-grid infinite model); filters 操作人, 业务, 操作, 日期, 对象; 导出 Excel / 打印 the filtered log.
 */
export function AuditPage() {
  const grid = useRef<AgGridReact<AuditRow>>(null);
  const isAdmin = useCan('admin');
  const [f, setF] = useState<Filter>({ range: null, text: '' });
  const [detail, setDetail] = useState<AuditRow | null>(null);
  const [users, setUsers] = useState<{ value: string; label: string }[]>([]);
  const outer = useRef(f);
  outer.current = f;
  const lastSort = useRef<{ colId: string; sort: 'asc' | 'desc' }[]>([]);
  useEffect(() => {
    if (!isAdmin) return;
    call('users.list', {}).then(
      (u) => setUsers(u.map((x) => ({ value: x.username, label: x.displayName }))),
      () => setUsers([]),
    );
  }, [isAdmin]);

  const listInput = () => {
    const o = outer.current;
    return {
      sort: lastSort.current,
      filter: {
        from: o.range?.[0]?.format('YYYY-MM-DD'),
        to: o.range?.[1]?.format('YYYY-MM-DD'),
        username: o.who,
        action: o.action,
        area: o.area,
        entityId: o.record?.id,
        text: o.text || undefined,
      },
    };
  };
  const datasource = useMemo(
    () =>
      pagedDatasource<AuditRow>(async (req) => {
        lastSort.current = req.sort.map((s) => ({ colId: s.colId, sort: s.sort }));
        return call('audit.list', { startRow: req.startRow, endRow: req.endRow, ...listInput() });
      }),
    // listInput reads the ref: the datasource stays the same while the filters change
    [],
  );
  const refresh = () => grid.current?.api.purgeInfiniteCache();
  const change = (patch: Partial<Filter>) => {
    outer.current = { ...outer.current, ...patch };
    setF(outer.current);
    refresh();
  };
  const actions = useMemo(
    () => (f.area ? WRITE_CALLS.filter((c) => (AREA_OF_CALL[c.value.split('.')[0]] ?? 'system') === f.area) : WRITE_CALLS),
    [f.area],
  );
  const columns = useMemo<ColDef<AuditRow>[]>(
    () => [
      { field: 'at', headerName: '时间', width: 150, valueFormatter: (p) => formatDateTime(p.value), sort: 'desc' },
      { field: 'actorName', headerName: '操作人', width: 140, sortable: false },
      { field: 'areaLabel', headerName: '业务', width: 100, sortable: false },
      { field: 'actionLabel', headerName: '操作', width: 150, sortable: false },
      { field: 'sentence', headerName: '内容', flex: 1, minWidth: 320, sortable: false, tooltipField: 'sentence' },
    ],
    [],
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <DatePicker.RangePicker aria-label="日期范围" value={f.range} onChange={(v) => change({ range: v })} />
        {isAdmin ? (
          <Select allowClear showSearch optionFilterProp="label" placeholder="操作人" aria-label="操作人" style={{ width: 170 }} value={f.who} options={users} onChange={(v) => change({ who: v })} />
        ) : (
          <Input allowClear placeholder="操作人用户名" aria-label="操作人" style={{ width: 150 }} value={f.who} onChange={(e) => change({ who: e.target.value || undefined })} />
        )}
        <Select
          allowClear
          placeholder="业务"
          aria-label="业务"
          style={{ width: 130 }}
          value={f.area}
          options={(Object.keys(AUDIT_AREAS) as AuditArea[]).map((k) => ({ value: k, label: AUDIT_AREAS[k].label }))}
          onChange={(v) => change({ area: v, action: undefined })}
        />
        <Select allowClear showSearch optionFilterProp="label" placeholder="操作" aria-label="操作" style={{ width: 190 }} value={f.action} options={actions} onChange={(v) => change({ action: v })} />
        <Input.Search placeholder="对象名称或内容包含…" aria-label="内容包含" allowClear value={f.text} onChange={(e) => setF({ ...f, text: e.target.value })} onSearch={(v) => change({ text: v })} style={{ width: 220 }} />
        {f.record && (
          <Button onClick={() => change({ record: undefined })} data-testid="audit-record-filter">
            只看「{f.record.name || '此记录'}」 ✕
          </Button>
        )}
        <ListExportButton list="audit" input={listInput} />
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
      <Drawer open={!!detail} onClose={() => setDetail(null)} title="操作记录" size={600}>
        {detail && (
          <>
            <Typography.Paragraph data-testid="audit-sentence" style={{ fontSize: 15 }}>
              {detail.sentence}
            </Typography.Paragraph>
            <Descriptions column={1} size="small" bordered style={{ marginBottom: 12 }}>
              <Descriptions.Item label="时间">{formatDateTime(detail.at)}</Descriptions.Item>
              <Descriptions.Item label="操作人">{detail.actorName}</Descriptions.Item>
              <Descriptions.Item label="业务">{detail.areaLabel}</Descriptions.Item>
              <Descriptions.Item label="操作">{detail.actionLabel}</Descriptions.Item>
              <Descriptions.Item label="对象">
                <Space wrap>
                  <span>{detail.recordName || '—'}</span>
                  {detail.entityId && (
                    <Button
                      size="small"
                      onClick={() => {
                        change({ record: { id: detail.entityId!, name: detail.recordName } });
                        setDetail(null);
                      }}
                    >
                      只看此对象的记录
                    </Button>
                  )}
                </Space>
              </Descriptions.Item>
            </Descriptions>
            {detail.changes.length > 0 && (
              <Table
                size="small"
                rowKey="label"
                pagination={false}
                dataSource={detail.changes}
                columns={[
                  { title: '项目', dataIndex: 'label', width: 140 },
                  { title: '原值', dataIndex: 'from', render: (v: string) => v || '—' },
                  { title: '新值', dataIndex: 'to' },
                ]}
              />
            )}
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              操作日志只追加、不可修改。
            </Typography.Paragraph>
          </>
        )}
      </Drawer>
    </>
  );
}
