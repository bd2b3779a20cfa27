import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, DatePicker, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { AgGridReact } from 'ag-grid-react';
import type { BookingRow, Venue } from '@shared/contract/venues';
import { BOOKING_STATE_LABELS, BOOKING_STATES, type BookingState } from '@shared/venues/state';
import { RECURRENCE_LABELS, type RecurrenceKind } from '@shared/venues/recurrence';
import { call } from '../../api/client';
import { useCan } from '../../app/session';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { BookingDrawer } from './BookingDrawer';
import { StateTag, showInterval } from './common';
import { ListExportButton } from '../../components/ListExport';

/** Every booking in an ag-grid list, paged, filtered and sorted in SQL. */
export function ListPage({ venues }: { venues: Venue[] }) {
  const grid = useRef<AgGridReact<BookingRow>>(null);
  const [venueId, setVenueId] = useState<string | undefined>();
  const [states, setStates] = useState<BookingState[]>([]);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [text, setText] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const outer = useRef({ venueId, states, range, text });
  outer.current = { venueId, states, range, text };
  const lastSort = useRef<{ colId: string; sort: 'asc' | 'desc' }[]>([]);
  /** The list's input as the grid sends it (and 导出 Excel / 打印 with it). */
  const listInput = () => {
    const o = outer.current;
    return {
      sort: lastSort.current,
      filter: {
        venueId: o.venueId,
        states: o.states.length ? o.states : undefined,
        from: o.range?.[0]?.format('YYYY-MM-DD'),
        to: o.range?.[1]?.format('YYYY-MM-DD'),
        text: o.text || undefined,
      },
    };
  };

  const datasource = useMemo(
    () =>
      pagedDatasource<BookingRow>(async (req) => {
        lastSort.current = req.sort.map((s) => ({ colId: s.colId, sort: s.sort }));
        return call('venues.bookings.page', { startRow: req.startRow, endRow: req.endRow, ...listInput() });
      }),
    [],
  );
  const canApprove = useCan('admin', 'approver');
  const [pending, setPending] = useState<number | null>(null);
  const countPending = () => {
    if (!canApprove) return;
    call('venues.bookings.page', { startRow: 0, endRow: 1, sort: [], filter: { states: ['requested'], from: dayjs().format('YYYY-MM-DD') } })
      .then((r) => setPending(r.total))
      .catch(() => setPending(null));
  };
  useEffect(countPending, [canApprove]);
  const refresh = () => {
    grid.current?.api.purgeInfiniteCache();
    grid.current?.api.deselectAll();
    setSelected([]);
    countPending();
  };
  const { message } = App.useApp();
  const [selected, setSelected] = useState<BookingRow[]>([]);
  const [approving, setApproving] = useState(false);
  const [results, setResults] = useState<{ row: BookingRow; ok: boolean; message: string }[] | null>(null);
  /** 批量批准: each checked booking is approved on its own (overlap and rules checked one by one); the result per booking is shown. */
  const approveSelected = async () => {
    setApproving(true);
    try {
      const r = await call('venues.bookings.approveMany', { items: selected.map((b) => ({ id: b.id, version: b.version })) });
      setResults(r.results.map((x) => ({ row: selected.find((b) => b.id === x.id)!, ok: x.ok, message: x.message })));
      refresh();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setApproving(false);
    }
  };
  /** The approver's queue: requests not yet started, soonest first. */
  const showPending = () => {
    setVenueId(undefined);
    setStates(['requested']);
    setRange([dayjs(), null]);
    setText('');
    outer.current = { venueId: undefined, states: ['requested'], range: [dayjs(), null], text: '' };
    grid.current?.api.applyColumnState({ state: [{ colId: 'start', sort: 'asc' }], defaultState: { sort: null } });
    refresh();
  };
  const columns = useMemo<ColDef<BookingRow>[]>(
    () => [
      // No default sort here: the core's default order is upcoming first (nearest first), then the past (latest first).
      { field: 'start', headerName: '开始', width: 150, valueFormatter: (p) => (p.value ? String(p.value).replace('T', ' ') : '') },
      { field: 'end', headerName: '结束', width: 90, valueFormatter: (p) => (p.value ? String(p.value).slice(11) : '') },
      { field: 'venueName', headerName: '场地', width: 220 },
      { field: 'organizationName', headerName: '组织', width: 200 },
      { field: 'purpose', headerName: '用途', flex: 1, minWidth: 140 },
      { field: 'expectedAttendance', headerName: '人数', width: 80 },
      { field: 'state', headerName: '状态', width: 100, cellRenderer: (p: { value?: BookingState; data?: BookingRow }) => (p.value ? <StateTag state={p.value} rejected={p.data?.rejected} /> : null) },
      {
        field: 'recurrenceKind',
        headerName: '重复',
        width: 80,
        sortable: false,
        valueFormatter: (p) => (p.value ? RECURRENCE_LABELS[p.value as RecurrenceKind] : ''),
      },
      { field: 'cancelReason', headerName: '取消/驳回原因', width: 160, sortable: false, tooltipField: 'cancelReason' },
      { field: 'decidedBy', headerName: '审批/处理人', width: 120, sortable: false },
    ],
    [],
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder="全部场地"
          style={{ width: 260 }}
          value={venueId}
          onChange={setVenueId}
          showSearch
          optionFilterProp="label"
          options={venues.map((v) => ({ value: v.id, label: v.name }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="全部状态"
          style={{ minWidth: 200 }}
          value={states}
          onChange={setStates}
          options={BOOKING_STATES.map((s) => ({ value: s, label: BOOKING_STATE_LABELS[s] }))}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />
        <Input.Search placeholder="组织、场地或用途" allowClear value={text} onChange={(e) => setText(e.target.value)} onSearch={refresh} style={{ width: 220 }} />
        <Button type="primary" onClick={refresh}>
          查询
        </Button>
        {canApprove && (
          <Button onClick={showPending} data-testid="pending-queue">
            待审批{pending !== null ? ` ${pending} 条` : ''}
          </Button>
        )}
        {canApprove && (
          <Button type="primary" disabled={!selected.length} loading={approving} onClick={approveSelected} data-testid="approve-selected">
            批准所选{selected.length ? ` ${selected.length} 条` : ''}
          </Button>
        )}
        <ListExportButton list="bookings" input={listInput} />
      </Space>
      <div className="page-fill" data-testid="booking-grid">
        <DataGrid<BookingRow>
          ref={grid}
          rowModelType="infinite"
          datasource={datasource}
          columnDefs={columns}
          getRowId={(p) => p.data.id}
          rowSelection={
            canApprove
              ? { mode: 'multiRow', headerCheckbox: false, checkboxes: true, hideDisabledCheckboxes: true, enableClickSelection: false, isRowSelectable: (n) => n.data?.state === 'requested' }
              : undefined
          }
          onSelectionChanged={(e) => setSelected(e.api.getSelectedRows())}
          onRowClicked={(e) => {
            // A click on the selection checkbox picks the row for 批量批准; anywhere else opens it.
            if ((e.event?.target as HTMLElement | null)?.closest?.('.ag-selection-checkbox')) return;
            if (e.data) setOpenId(e.data.id);
          }}
        />
      </div>
      <BookingDrawer id={openId} onClose={() => setOpenId(null)} onChanged={refresh} />
      {results && (
        <Modal
          open
          width={860}
          title={`批量批准：${results.filter((r) => r.ok).length} 条已批准，${results.filter((r) => !r.ok).length} 条未批准`}
          onCancel={() => setResults(null)}
          footer={<Button type="primary" onClick={() => setResults(null)}>知道了</Button>}
        >
          <Typography.Paragraph type="secondary">每条预约单独检查场地规则和时间冲突（也包括同一批中先批准的预约）；未批准的仍为待审批。</Typography.Paragraph>
          <Table
            size="small"
            rowKey={(r) => r.row.id}
            pagination={false}
            data-testid="approve-results"
            dataSource={results}
            scroll={{ y: 360 }}
            columns={[
              { title: '时间', width: 190, render: (_, r) => showInterval(r.row.start, r.row.end) },
              { title: '场地', width: 150, ellipsis: true, render: (_, r) => r.row.venueName },
              { title: '组织', width: 150, ellipsis: true, render: (_, r) => r.row.organizationName },
              { title: '结果', render: (_, r) => (r.ok ? <Tag color="green">已批准</Tag> : <span><Tag color="red">未批准</Tag>{r.message}</span>) },
            ]}
          />
        </Modal>
      )}
    </>
  );
}
