import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, DatePicker, Modal, Radio, Segmented, Select, Space, Switch, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Calendar, dayjsLocalizer, type View } from 'react-big-calendar';
import withDragAndDrop, { type EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import type { BookingRow, Venue } from '@shared/contract/venues';
import { BOOKING_STATE_COLORS, BOOKING_STATE_LABELS } from '@shared/venues/state';
import { call } from '../../api/client';
import { useCan } from '../../app/session';
import { downloadBase64 } from '../../lib/files';
import { BookingDrawer } from './BookingDrawer';
import { BookingForm, type BookingDraft } from './BookingForm';
import { fromDate, StateLegend, toDate } from './common';
import './venues.css';

interface CalEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  resourceId: string;
  booking: BookingRow;
}

const localizer = dayjsLocalizer(dayjs);
const DnDCalendar = withDragAndDrop<CalEvent, Venue>(Calendar<CalEvent, Venue>);

const MESSAGES = {
  today: '今天',
  previous: '上一页',
  next: '下一页',
  week: '周',
  day: '日',
  month: '月',
  agenda: '列表',
  date: '日期',
  time: '时间',
  event: '预约',
  allDay: '全天',
  noEventsInRange: '这段时间没有预约',
  showMore: (n: number) => `还有 ${n} 条`,
};

const FORMATS = {
  dayFormat: 'MM-DD ddd',
  timeGutterFormat: 'HH:mm',
  eventTimeRangeFormat: ({ start, end }: { start: Date; end: Date }) => `${dayjs(start).format('HH:mm')}–${dayjs(end).format('HH:mm')}`,
  dayHeaderFormat: 'YYYY-MM-DD dddd',
  dayRangeHeaderFormat: ({ start, end }: { start: Date; end: Date }) => `${dayjs(start).format('YYYY-MM-DD')} 至 ${dayjs(end).format('MM-DD')}`,
};

type Scope = 'one' | 'from' | 'all';

/**
 * The calendars: a week per venue, or one day across venues (one column each). Drag on empty time to book,
 * drag or stretch a booking to move it; colours show the state. Every change goes through the core, which
 * refuses collisions; the calendar then reloads from the database, so a refused move snaps back.
 */
export function CalendarPage({ venues, reloadVenues }: { venues: Venue[]; reloadVenues?: () => void }) {
  const { message } = App.useApp();
  const canWrite = useCan('admin', 'staff', 'approver');
  const [view, setView] = useState<View>('week');
  const [date, setDate] = useState<Dayjs>(dayjs());
  const [venueId, setVenueId] = useState<string | undefined>(venues[0]?.id);
  const [dayVenueIds, setDayVenueIds] = useState<string[]>(venues.slice(0, 8).map((v) => v.id));
  const [showCancelled, setShowCancelled] = useState(false);
  const [rows, setRows] = useState<BookingRow[]>([]);
  const [draft, setDraft] = useState<BookingDraft | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [move, setMove] = useState<{ event: CalEvent; start: Date; end: Date; venueId: string; scope: Scope } | null>(null);

  useEffect(() => {
    if (!venueId && venues[0]) setVenueId(venues[0].id);
    if (!dayVenueIds.length && venues.length) setDayVenueIds(venues.slice(0, 8).map((v) => v.id));
  }, [venues]);

  const range = useMemo(() => {
    if (view === 'day') return { from: date.format('YYYY-MM-DD'), to: date.format('YYYY-MM-DD') };
    const monday = date.subtract((date.day() + 6) % 7, 'day');
    return { from: monday.format('YYYY-MM-DD'), to: monday.add(6, 'day').format('YYYY-MM-DD') };
  }, [view, date]);

  const load = useCallback(async () => {
    const ids = view === 'day' ? dayVenueIds : venueId ? [venueId] : [];
    if (!ids.length) return setRows([]);
    try {
      const r = await call('venues.bookings.calendar', { venueIds: ids, ...range, includeCancelled: showCancelled });
      setRows(r.rows);
    } catch (e) {
      message.error((e as Error).message);
    }
  }, [view, dayVenueIds, venueId, range, showCancelled]);
  useEffect(() => {
    void load();
  }, [load]);

  const events = useMemo<CalEvent[]>(
    () =>
      rows.map((b) => ({
        id: b.id,
        title: `${b.organizationName}·${b.purpose}`,
        start: toDate(b.start),
        end: toDate(b.end),
        resourceId: b.venueId,
        booking: b,
      })),
    [rows],
  );
  const resources = view === 'day' ? venues.filter((v) => dayVenueIds.includes(v.id)) : undefined;
  const nowLocal = fromDate(new Date());
  const movable = (e: CalEvent) => canWrite && (e.booking.state === 'requested' || e.booking.state === 'approved') && e.booking.start > nowLocal;

  const doMove = async (m: NonNullable<typeof move>) => {
    try {
      const r = await call('venues.bookings.move', {
        id: m.event.id,
        version: m.event.booking.version,
        start: fromDate(m.start),
        end: fromDate(m.end),
        venueId: m.venueId !== m.event.booking.venueId ? m.venueId : undefined,
        scope: { kind: m.scope },
      });
      const back = r.changed.filter((c) => c.state === 'requested' && m.event.booking.state === 'approved').length;
      message.success(`已调整 ${r.changed.length} 次${back ? ',改期后需重新审批' : ''}${r.skipped.length ? `;${r.skipped.length} 次未调整` : ''}`);
    } catch (e) {
      message.error((e as Error).message);
    }
    setMove(null);
    await load();
  };

  const onDrop = ({ event, start, end, resourceId }: EventInteractionArgs<CalEvent>) => {
    const m = { event, start: new Date(start), end: new Date(end), venueId: (resourceId as string | undefined) ?? event.resourceId, scope: 'one' as Scope };
    if (event.booking.recurrenceKind !== 'once') setMove(m);
    else void doMove(m);
  };

  const shift = (n: number) => setDate(date.add(n, view === 'day' ? 'day' : 'week'));
  const exportIcs = async () => {
    try {
      downloadBase64(await call('venues.ics', { venueId: view === 'week' ? venueId : undefined, from: range.from, to: dayjs(range.from).add(90, 'day').format('YYYY-MM-DD') }));
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={view}
          onChange={(v) => setView(v as View)}
          options={[
            { value: 'week', label: '单场地周视图' },
            { value: 'day', label: '全部场地日视图' },
          ]}
        />
        {view === 'week' ? (
          <Select
            style={{ width: 300 }}
            showSearch
            optionFilterProp="label"
            value={venueId}
            onChange={setVenueId}
            data-testid="venue-select"
            options={venues.map((v) => ({ value: v.id, label: v.name }))}
          />
        ) : (
          <Select
            mode="multiple"
            style={{ minWidth: 300, maxWidth: 520 }}
            maxTagCount={2}
            value={dayVenueIds}
            onChange={setDayVenueIds}
            optionFilterProp="label"
            options={venues.map((v) => ({ value: v.id, label: v.name }))}
          />
        )}
        <Button icon={<LeftOutlined />} onClick={() => shift(-1)} aria-label="上一页" />
        <DatePicker value={date} onChange={(d) => d && setDate(d)} allowClear={false} picker={view === 'week' ? 'week' : 'date'} />
        <Button icon={<RightOutlined />} onClick={() => shift(1)} aria-label="下一页" />
        <Button onClick={() => setDate(dayjs())}>今天</Button>
        <Space size={4}>
          <Switch size="small" checked={showCancelled} onChange={setShowCancelled} />
          <Typography.Text>显示已取消</Typography.Text>
        </Space>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDraft({ venueId: view === 'week' ? venueId : undefined })}>
            新建预约
          </Button>
        )}
        <Button onClick={exportIcs}>导出日历(.ics)</Button>
        <StateLegend />
      </Space>
      <div className="page-fill venues-calendar" data-testid="venue-calendar">
        <DnDCalendar
          localizer={localizer}
          culture="zh-cn"
          events={events}
          view={view}
          views={['week', 'day']}
          onView={setView}
          date={date.toDate()}
          onNavigate={(d) => setDate(dayjs(d))}
          toolbar={false}
          step={30}
          timeslots={2}
          min={new Date(1970, 0, 1, 7, 0)}
          max={new Date(1970, 0, 1, 22, 0)}
          scrollToTime={new Date(1970, 0, 1, 8, 0)}
          messages={MESSAGES}
          formats={FORMATS}
          resources={resources}
          resourceIdAccessor="id"
          resourceTitleAccessor="name"
          selectable={canWrite}
          onSelectSlot={(slot) =>
            setDraft({
              venueId: (slot.resourceId as string | undefined) ?? venueId,
              start: fromDate(slot.start as Date),
              end: fromDate(slot.end as Date),
            })
          }
          onSelectEvent={(e) => setOpenId(e.id)}
          draggableAccessor={movable}
          resizableAccessor={movable}
          onEventDrop={onDrop}
          onEventResize={onDrop}
          // react-big-calendar passes only className and style of the getter to the event's element.
          eventPropGetter={(e) => ({
            className: `booking-state-${e.booking.state}`,
            style: {
              backgroundColor: BOOKING_STATE_COLORS[e.booking.state],
              borderColor: BOOKING_STATE_COLORS[e.booking.state],
              textDecoration: e.booking.state === 'cancelled' ? 'line-through' : undefined,
              color: '#fff',
            },
          })}
          tooltipAccessor={(e) => `${e.title}(${BOOKING_STATE_LABELS[e.booking.state]})`}
        />
      </div>
      <BookingForm
        draft={draft}
        venues={venues.filter((v) => v.bookable)}
        onClose={() => setDraft(null)}
        onBooked={() => {
          void load();
          reloadVenues?.();
        }}
      />
      <BookingDrawer id={openId} onClose={() => setOpenId(null)} onChanged={load} />
      <Modal open={!!move} title="调整重复预约" okText="调整" cancelText="不调整" onCancel={() => (setMove(null), void load())} onOk={() => move && doMove(move)}>
        {move && (
          <Space direction="vertical">
            <Typography.Text>
              改到 {fromDate(move.start).replace('T', ' ')}–{fromDate(move.end).slice(11)}
            </Typography.Text>
            <Radio.Group
              value={move.scope}
              onChange={(e) => setMove({ ...move, scope: e.target.value })}
              options={[
                { value: 'one', label: '仅此一次' },
                { value: 'from', label: '此次及以后各次(同样平移)' },
                { value: 'all', label: '整个系列(同样平移)' },
              ]}
            />
          </Space>
        )}
      </Modal>
    </>
  );
}
