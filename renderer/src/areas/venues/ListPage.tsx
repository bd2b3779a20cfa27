import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, DatePicker, Input, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { AgGridReact } from 'ag-grid-react';
import type { BookingRow, Venue } from '@shared/contract/venues';
import { BOOKING_STATE_LABELS, BOOKING_STATES, type BookingState } from '@shared/venues/state';
import { RECURRENCE_LABELS, type RecurrenceKind } from '@shared/venues/recurrence';
import { call } from '../../api/client';
import { useCan } from '../../app/session';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { BookingDrawer } from './BookingDrawer';
import { StateTag } from './common';

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

  const datasource = useMemo(
    () =>
      pagedDatasource<BookingRow>(async (req) => {
        const o = outer.current;
        return call('venues.bookings.page', {
          startRow: req.startRow,
          endRow: req.endRow,
          sort: req.sort.map((s) => ({ colId: s.colId, sort: s.sort })),
          filter: {
            venueId: o.venueId,
            states: o.states.length ? o.states : undefined,
            from: o.range?.[0]?.format('YYYY-MM-DD'),
            to: o.range?.[1]?.format('YYYY-MM-DD'),
            text: o.text || undefined,
          },
        });
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
    countPending();
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
      { field: 'start', headerName: '开始', width: 150, valueFormatter: (p) => (p.value ? String(p.value).replace('T', ' ') : ''), sort: 'desc' },
      { field: 'end', headerName: '结束', width: 90, valueFormatter: (p) => (p.value ? String(p.value).slice(11) : '') },
      { field: 'venueName', headerName: '场地', width: 220 },
      { field: 'organizationName', headerName: '组织', width: 200 },
      { field: 'purpose', headerName: '用途', flex: 1, minWidth: 140 },
      { field: 'expectedAttendance', headerName: '人数', width: 80 },
      { field: 'state', headerName: '状态', width: 100, cellRenderer: (p: { value?: BookingState }) => (p.value ? <StateTag state={p.value} /> : null) },
      {
        field: 'recurrenceKind',
        headerName: '重复',
        width: 80,
        sortable: false,
        valueFormatter: (p) => (p.value ? RECURRENCE_LABELS[p.value as RecurrenceKind] : ''),
      },
      { field: 'cancelReason', headerName: '取消原因', width: 140, sortable: false },
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
      </Space>
      <div className="page-fill" data-testid="booking-grid">
        <DataGrid<BookingRow>
          ref={grid}
          rowModelType="infinite"
          datasource={datasource}
          columnDefs={columns}
          getRowId={(p) => p.data.id}
          onRowClicked={(e) => e.data && setOpenId(e.data.id)}
        />
      </div>
      <BookingDrawer id={openId} onClose={() => setOpenId(null)} onChanged={refresh} />
    </>
  );
}
