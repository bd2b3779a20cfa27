import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, TimePicker, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import { NumberInput, numberRule } from '../../components/NumberInput';
import dayjs, { type Dayjs } from 'dayjs';
import type { CallInput, CallOutput } from '@shared/contract';
import type { Venue } from '@shared/contract/venues';
import { seriesDates } from '@shared/venues/recurrence';
import { BOOKING_STATE_LABELS } from '@shared/venues/state';
import { ApiError, call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { showInterval } from './common';

export interface BookingDraft {
  venueId?: string;
  start?: string; // 'YYYY-MM-DDTHH:mm'
  end?: string;
}

interface FormValues {
  venueId: string;
  organizationId: string;
  date: Dayjs;
  time: [Dayjs, Dayjs];
  kind: 'once' | 'weekly' | 'biweekly';
  until?: Dayjs;
  skip?: string[];
  purpose: string;
  activitySeriesCode?: string;
  activityKindCode?: string;
  expectedAttendance: number;
  activityId?: string;
}

type Check = CallOutput<'venues.bookings.check'>;

/** New booking: one-off or recurring. "检查" shows every date's verdict; a refused series can book its free dates. */
export function BookingForm({ draft, venues, onClose, onBooked }: { draft: BookingDraft | null; venues: Venue[]; onClose: () => void; onBooked: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const { message } = App.useApp();
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const orgId = Form.useWatch('organizationId', form);
  const kind = Form.useWatch('kind', form);
  const date = Form.useWatch('date', form);
  const until = Form.useWatch('until', form);
  const chosenVenueId = Form.useWatch('venueId', form);
  const options = useCall('venues.options', { organizationId: orgId }, [orgId]);
  const series = useCall('dict.list', { kind: 'activity_series' }, []);
  const kinds = useCall('dict.list', { kind: 'activity_kind' }, []);

  useEffect(() => {
    if (!draft) return;
    setCheck(null);
    setError(null);
    const start = draft.start ? dayjs(draft.start) : dayjs().add(1, 'day').hour(9).minute(0);
    const end = draft.end ? dayjs(draft.end) : start.add(2, 'hour');
    form.resetFields();
    form.setFieldsValue({
      venueId: draft.venueId ?? venues[0]?.id,
      date: start.startOf('day'),
      time: [start, end],
      kind: 'once',
      expectedAttendance: 20,
      skip: [],
    });
  }, [draft]);

  const dates = useMemo(() => {
    if (!date || !until || kind === 'once' || !kind) return [];
    return seriesDates(date.format('YYYY-MM-DD'), kind, until.format('YYYY-MM-DD'));
  }, [date, until, kind]);

  const request = async (): Promise<CallInput<'venues.bookings.create'>> => {
    const v = await form.validateFields();
    const d = v.date.format('YYYY-MM-DD');
    const endTime = v.time[1].format('HH:mm');
    return {
      venueId: v.venueId,
      organizationId: v.organizationId,
      start: `${d}T${v.time[0].format('HH:mm')}`,
      end: endTime === '00:00' ? `${v.date.add(1, 'day').format('YYYY-MM-DD')}T00:00` : `${d}T${endTime}`,
      recurrence: v.kind === 'once' ? { kind: 'once' } : { kind: v.kind, until: v.until!.format('YYYY-MM-DD'), skip: v.skip ?? [] },
      purpose: v.purpose,
      activitySeriesCode: v.activitySeriesCode ?? null,
      activityKindCode: v.activityKindCode ?? null,
      expectedAttendance: v.expectedAttendance,
      activityId: v.activityId ?? null,
    };
  };

  /** After a refused submit the refusal stays on screen above the per-date verdicts. */
  const runCheck = async (keepError = false) => {
    setBusy(true);
    if (!keepError) setError(null);
    try {
      setCheck(await call('venues.bookings.check', await request()));
    } catch (e) {
      if (e instanceof ApiError) setError({ message: e.message, code: e.code });
    } finally {
      setBusy(false);
    }
  };

  const submit = async (onlyFree: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('venues.bookings.create', { ...(await request()), onlyFree });
      message.success(
        `已预约 ${r.created.length} 次(${BOOKING_STATE_LABELS[r.created[0].state]})${r.skipped.length ? `,${r.skipped.length} 个日期未预约` : ''}`,
      );
      onBooked();
      onClose();
    } catch (e) {
      if (e instanceof ApiError) {
        setError({ message: e.message, code: e.code });
        if (e.code === 'CONFLICT' || e.code === 'RULE') void runCheck(true);
      }
    } finally {
      setBusy(false);
    }
  };

  /** A one-off request refused only because an approved booking holds the slot: wait for it instead. */
  const joinWaitlist = async () => {
    setBusy(true);
    try {
      const { recurrence: _r, ...req } = await request();
      const r = await call('venues.waitlist.join', req);
      message.success(`已加入候补名单(第 ${r.position} 位),时段空出后可在「候补名单」中转为预约`);
      onClose();
    } catch (e) {
      if (e instanceof ApiError) setError({ message: e.message, code: e.code });
    } finally {
      setBusy(false);
    }
  };

  const venue = venues.find((v) => v.id === chosenVenueId);
  const refused = check?.checks.filter((c) => c.refusals.length).length ?? 0;
  return (
    <FormModal form={form}
      open={!!draft}
      title="预约场地"
      width={760}
      style={{ top: 32 }}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button onClick={() => runCheck()} loading={busy}>
            检查可用性
          </Button>
          {check && refused > 0 && check.freeCount > 0 && (
            <Button onClick={() => submit(true)} loading={busy} data-testid="book-free">
              只预约可用的 {check.freeCount} 次
            </Button>
          )}
          <Button type="primary" onClick={() => submit(false)} loading={busy} data-testid="book-submit">
            提交预约
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" requiredMark="optional" onValuesChange={() => setCheck(null)}>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="venueId" label="场地" rules={[{ required: true, message: '请选择场地' }]} style={{ flex: 1 }}>
            <Select showSearch optionFilterProp="label" options={venues.map((v) => ({ value: v.id, label: `${v.name}(${v.capacity} 人)` }))} />
          </Form.Item>
          <Form.Item name="organizationId" label="组织" rules={[{ required: true, message: '请选择组织' }]} style={{ flex: 1 }}>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder="输入名称搜索"
              data-testid="org-select"
              options={(options.data?.organizations ?? []).map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
        </Space.Compact>
        <Space wrap align="start" size={12}>
          <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="time" label="时间" rules={[{ required: true, message: '请选择时间' }]}>
            <TimePicker.RangePicker format="HH:mm" minuteStep={15} order={false} allowClear={false} />
          </Form.Item>
          <Form.Item name="expectedAttendance" label="预计人数" rules={[numberRule({ min: 1, max: 100000, integer: true }), { required: true, message: '请填写人数' }]}>
            <NumberInput min={1} max={100000} integer style={{ width: 110 }} />
          </Form.Item>
        </Space>
        {venue && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            容量 {venue.capacity} 人;{venue.approvalRequired ? '需审批' : '无需审批,提交即批准'}
            {venue.minNoticeMinutes ? `;至少提前 ${Math.round(venue.minNoticeMinutes / 60)} 小时` : ''}
            {venue.maxLengthMinutes ? `;单次最长 ${venue.maxLengthMinutes / 60} 小时` : ''}
          </Typography.Paragraph>
        )}
        <Space wrap align="start" size={12}>
          <Form.Item name="kind" label="重复">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'once', label: '单次' },
                { value: 'weekly', label: '每周' },
                { value: 'biweekly', label: '每两周' },
              ]}
            />
          </Form.Item>
          {kind && kind !== 'once' && (
            <>
              <Form.Item name="until" label="截止日期(含)" rules={[{ required: true, message: '请选择截止日期' }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="skip" label="跳过的日期" style={{ minWidth: 240 }}>
                <Select mode="multiple" allowClear placeholder="如节假日" options={dates.map((d) => ({ value: d, label: d }))} maxTagCount={3} />
              </Form.Item>
            </>
          )}
        </Space>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, whitespace: true, message: '请填写用途' }]}>
          <Input maxLength={200} placeholder="如:合唱排练" />
        </Form.Item>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="activitySeriesCode" label="活动品牌系列" style={{ flex: 1 }}>
            <Select allowClear options={(series.data ?? []).filter((e) => e.active).map((e) => ({ value: e.code, label: e.label }))} />
          </Form.Item>
          <Form.Item name="activityKindCode" label="活动类型" style={{ flex: 1 }}>
            <Select allowClear options={(kinds.data ?? []).filter((e) => e.active).map((e) => ({ value: e.code, label: e.label }))} />
          </Form.Item>
          <Form.Item name="activityId" label="关联活动" tooltip="重大活动须先提交报告才能预约场地" style={{ flex: 1 }}>
            <Select
              allowClear
              placeholder={orgId ? '该组织计划中的活动' : '先选择组织'}
              options={(options.data?.activities ?? []).map((a) => ({
                value: a.id,
                label: `${a.date} ${a.title}${a.isMajor ? (a.reportFiledDate ? '(重大·已报告)' : '(重大·未报告)') : ''}`,
              }))}
            />
          </Form.Item>
        </Space.Compact>
      </Form>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error.message}
          style={{ marginBottom: 12 }}
          data-testid="booking-error"
          action={
            error.code === 'CONFLICT' && kind === 'once' ? (
              <Button size="small" onClick={joinWaitlist} loading={busy} data-testid="waitlist-join">
                加入候补名单
              </Button>
            ) : undefined
          }
        />
      )}
      {check && (
        <>
          <Alert type={refused ? 'warning' : 'success'} showIcon message={check.summary} style={{ marginBottom: 8 }} data-testid="check-summary" />
          <Table
            size="small"
            rowKey="index"
            pagination={false}
            scroll={{ y: 220 }}
            dataSource={check.checks}
            columns={[
              { title: '日期时间', width: 220, render: (_, c) => showInterval(c.start, c.end) },
              {
                title: '结果',
                render: (_, c) =>
                  c.refusals.length ? (
                    <Space direction="vertical" size={0}>
                      {c.refusals.map((r, i) => (
                        <Typography.Text key={i} type="danger">
                          {r.message}
                        </Typography.Text>
                      ))}
                    </Space>
                  ) : (
                    <Tag color="green">可以预约({BOOKING_STATE_LABELS[check.initialState]})</Tag>
                  ),
              },
            ]}
          />
        </>
      )}
    </FormModal>
  );
}
