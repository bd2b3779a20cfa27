import { useState } from 'react';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { NumberInput, numberRule } from '../../components/NumberInput';
import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { CallInput } from '@shared/contract';
import type { Venue } from '@shared/contract/venues';
import { DEFAULT_OPENING_HOURS, type TimeRange } from '@shared/venues/rules';
import { WEEKDAY_LABELS, isTimeOfDay, type Weekday } from '@shared/venues/time';
import { ApiError, call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { useStaleRecovery, type FieldValues } from '../../api/staleRecovery';
import { useCan } from '../../app/session';
import { TableImportDialog } from '../../components/TableImportDialog';
import { ShapedExportButton } from '../../components/ShapedExportButton';
import { BOOKING_STATE_LABELS, type BookingState } from '@shared/venues/state';
import { showInterval } from './common';
import { ListExportButton } from '../../components/ListExport';

interface FormValues {
  name: string;
  hostTypeCode: string;
  hostName: string;
  address: string;
  capacity: number;
  equipment: string[];
  bookable: boolean;
  approvalRequired: boolean;
  hours: string[]; // per weekday: '08:30-12:00, 14:00-21:00'
  closed: { range: [Dayjs, Dayjs]; reason: string }[];
  minLengthMinutes: number | null;
  maxLengthMinutes: number | null;
  minNoticeHours: number | null;
  maxNoticeDays: number | null;
  quotas: { period: 'week' | 'month'; unit: 'bookings' | 'hours'; limit: number }[];
  note: string;
}

const formatRanges = (ranges: TimeRange[]) => ranges.map((r) => `${r.start}-${r.end}`).join(', ');

/** '08:30-12:00, 14:00-21:00' → ranges, or a Chinese error. */
export function parseRanges(text: string): TimeRange[] | string {
  const parts = text.split(/[,,、;;\s]+/).filter(Boolean);
  const out: TimeRange[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})[-–~至](\d{1,2}:\d{2})$/.exec(p);
    const pad = (t: string) => t.padStart(5, '0');
    if (!m || !isTimeOfDay(pad(m[1])) || !isTimeOfDay(pad(m[2]), true)) return `「${p}」应写成 08:30-12:00`;
    out.push({ start: pad(m[1]), end: pad(m[2]) });
  }
  return out;
}

function toInput(v: FormValues): CallInput<'venues.create'> {
  return {
    name: v.name,
    hostTypeCode: v.hostTypeCode,
    hostName: v.hostName ?? '',
    address: v.address ?? '',
    capacity: v.capacity,
    equipment: v.equipment ?? [],
    bookable: v.bookable,
    approvalRequired: v.approvalRequired,
    openingHours: v.hours.map((h) => parseRanges(h ?? '') as TimeRange[]),
    closed: (v.closed ?? []).map((c) => ({ from: c.range[0].format('YYYY-MM-DD'), to: c.range[1].format('YYYY-MM-DD'), reason: c.reason })),
    minLengthMinutes: v.minLengthMinutes ?? null,
    maxLengthMinutes: v.maxLengthMinutes ?? null,
    minNoticeMinutes: v.minNoticeHours == null ? null : Math.round(v.minNoticeHours * 60),
    maxNoticeDays: v.maxNoticeDays ?? null,
    quotas: v.quotas ?? [],
    note: v.note ?? '',
  };
}

/** What the venue form edits, named as the conflict dialog shows them. */
const VENUE_FIELD_LABELS: Record<string, string> = {
  name: '场地名称',
  hostTypeCode: '依托设施类型',
  hostName: '依托设施',
  address: '地址',
  capacity: '容量',
  equipment: '设备',
  bookable: '可预约',
  openingHours: '开放时间',
  closed: '停用日期',
  minLengthMinutes: '最短时长(分钟)',
  maxLengthMinutes: '最长时长(分钟)',
  minNoticeMinutes: '最少提前(分钟)',
  maxNoticeDays: '最多提前(天)',
  approvalRequired: '需要审批',
  quotas: '配额',
  note: '备注',
};

function toForm(v: Venue | null): Partial<FormValues> {
  if (!v) {
    return {
      bookable: true,
      approvalRequired: true,
      capacity: 30,
      hours: DEFAULT_OPENING_HOURS.map(formatRanges),
      minLengthMinutes: 30,
      maxLengthMinutes: 240,
      minNoticeHours: 1,
      maxNoticeDays: 90,
      closed: [],
      quotas: [],
      equipment: [],
    };
  }
  return {
    ...v,
    hours: v.openingHours.map(formatRanges),
    closed: v.closed.map((c) => ({ range: [dayjs(c.from), dayjs(c.to)], reason: c.reason })),
    minNoticeHours: v.minNoticeMinutes == null ? null : v.minNoticeMinutes / 60,
  };
}

/** Venues and their rules: opening hours per weekday, closed dates, lengths, notice, approval, quotas. */
export function VenuesPage({ venues, reload }: { venues: Venue[]; reload: () => void }) {
  const canEdit = useCan('admin', 'staff');
  const hostTypes = useCall('dict.list', { kind: 'venue_host_type' }, []);
  const hostLabel = new Map((hostTypes.data ?? []).map((e) => [e.code, e.label]));
  const [editing, setEditing] = useState<Venue | null | 'new'>(null);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { saveVersioned, staleDialog } = useStaleRecovery();

  const open = (v: Venue | 'new') => {
    setEditing(v);
    form.resetFields();
    form.setFieldsValue(toForm(v === 'new' ? null : v) as FormValues);
  };
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const input = toInput(v);
      if (editing === 'new') await call('venues.create', input);
      else if (editing) {
        const current = editing;
        const r = await saveVersioned({
          base: toInput(toForm(current) as FormValues) as FieldValues,
          version: current.version,
          mine: input as FieldValues,
          labels: VENUE_FIELD_LABELS,
          save: (values, version) => call('venues.update', { id: current.id, version, venue: values as typeof input }),
          reload: async () => {
            const latest = await call('venues.get', { id: current.id });
            return { values: toInput(toForm(latest) as FormValues) as FieldValues, version: latest.version };
          },
          apply: (next) => {
            // The form now stands on the latest record; what it shows is that record with this user's changes.
            setEditing({ ...current, ...(next.base as typeof input), version: next.version });
            form.setFieldsValue(toForm({ ...current, ...(next.values as typeof input) }) as FormValues);
          },
        });
        if (!r) return;
        if (r.affected.length) {
          modal.warning({
            title: `场地已保存;${r.affected.length} 个已有预约不再符合场地规则`,
            width: 640,
            content: (
              <div data-testid="affected-bookings">
                <Typography.Paragraph type="secondary">这些预约没有被自动取消,请与组织联系后调整或取消。</Typography.Paragraph>
                <ul style={{ maxHeight: 320, overflow: 'auto', paddingInlineStart: 18 }}>
                  {r.affected.map((a) => (
                    <li key={a.id}>
                      {showInterval(a.start, a.end)} {a.organizationName}·{a.purpose}({BOOKING_STATE_LABELS[a.state as BookingState] ?? a.state}):
                      {a.messages.join(';')}
                    </li>
                  ))}
                </ul>
              </div>
            ),
          });
        }
      }
      message.success('场地已保存');
      setEditing(null);
      reload();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            新建场地
          </Button>
        )}
        {canEdit && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="venue-import">
            导入场地
          </Button>
        )}
        <ShapedExportButton call="venues.export" label="导出场地(导入格式)" done="已导出场地" testId="venue-export" />
        {importing && (
          <TableImportDialog
            title="导入场地"
            rowLabel="场地名称"
            calls={{ preview: 'venues.import.preview', commit: 'venues.import.commit', template: 'venues.import.template' }}
            onClose={(imported) => {
              setImporting(false);
              if (imported) reload();
            }}
          />
        )}
        <Typography.Text type="secondary">共 {venues.length} 个场地</Typography.Text>
        <ListExportButton list="venues" />
      </Space>
      <Table
        size="small"
        rowKey="id"
        dataSource={venues}
        pagination={{ pageSize: 20 }}
        onRow={(v) => ({ onClick: () => canEdit && open(v) })}
        columns={[
          { title: '场地', dataIndex: 'name' },
          { title: '依托设施', render: (_, v) => `${hostLabel.get(v.hostTypeCode) ?? v.hostTypeCode}${v.hostName ? ` · ${v.hostName}` : ''}` },
          { title: '容量', dataIndex: 'capacity', width: 70, align: 'right' },
          { title: '周一开放', render: (_, v) => formatRanges(v.openingHours[0]) || '不开放' },
          { title: '审批', width: 80, render: (_, v) => (v.approvalRequired ? '需审批' : '免审批') },
          { title: '闭馆', width: 70, render: (_, v) => v.closed.length },
          { title: '状态', width: 90, render: (_, v) => (v.bookable ? <Tag color="green">可预约</Tag> : <Tag>暂停预约</Tag>) },
        ]}
      />
      {staleDialog}
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? '新建场地' : '修改场地'}
        size={640}
        extra={
          <Button type="primary" onClick={save} loading={busy}>
            保存
          </Button>
        }
      >
        <Form form={form} layout="vertical" requiredMark="optional">
          <Form.Item name="name" label="场地名称" rules={[{ required: true, min: 2, message: '场地名称至少 2 个字' }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Space.Compact block style={{ gap: 12 }}>
            <Form.Item name="hostTypeCode" label="依托设施类型" rules={[{ required: true, message: '请选择' }]} style={{ flex: 1 }}>
              <Select options={(hostTypes.data ?? []).map((e) => ({ value: e.code, label: e.label }))} />
            </Form.Item>
            <Form.Item name="hostName" label="设施名称" style={{ flex: 1 }}>
              <Input maxLength={100} />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="address" label="地址">
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap size={16}>
            <Form.Item name="capacity" label="容量(人)" rules={[numberRule({ min: 1, integer: true }), { required: true, message: '请填写容量' }]}>
              <NumberInput min={1} integer />
            </Form.Item>
            <Form.Item name="bookable" label="接受预约" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="approvalRequired" label="需要审批" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item name="equipment" label="设备">
            <Select mode="tags" placeholder="输入后回车" />
          </Form.Item>
          <Typography.Title level={5}>开放时间(每天可多段,如 08:30-12:00, 14:00-21:00;留空为不开放)</Typography.Title>
          {Array.from({ length: 7 }, (_, i) => (
            <Form.Item
              key={i}
              name={['hours', i]}
              label={WEEKDAY_LABELS[(i + 1) as Weekday]}
              rules={[{ validator: (_, value) => (typeof parseRanges(value ?? '') === 'string' ? Promise.reject(new Error(parseRanges(value ?? '') as string)) : Promise.resolve()) }]}
            >
              <Input />
            </Form.Item>
          ))}
          <Typography.Title level={5}>闭馆日期</Typography.Title>
          <Form.List name="closed">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'range']} rules={[{ required: true, message: '请选择日期' }]}>
                      <DatePicker.RangePicker />
                    </Form.Item>
                    <Form.Item name={[f.name, 'reason']} rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
                      <Input placeholder="原因,如:国庆节假期、设备维修" style={{ width: 220 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                  添加闭馆日期
                </Button>
              </>
            )}
          </Form.List>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            预约规则
          </Typography.Title>
          <Space wrap size={16}>
            <Form.Item name="minLengthMinutes" label="最短(分钟)" rules={[numberRule({ min: 0, max: 1440, integer: true })]}>
              <NumberInput min={0} max={1440} integer />
            </Form.Item>
            <Form.Item name="maxLengthMinutes" label="最长(分钟)" rules={[numberRule({ min: 0, max: 1440, integer: true })]}>
              <NumberInput min={0} max={1440} integer />
            </Form.Item>
            <Form.Item name="minNoticeHours" label="至少提前(小时)" rules={[numberRule({ min: 0, max: 8760 })]}>
              <NumberInput min={0} max={8760} />
            </Form.Item>
            <Form.Item name="maxNoticeDays" label="最多提前(天)" rules={[numberRule({ min: 0, max: 3650, integer: true })]}>
              <NumberInput min={0} max={3650} integer />
            </Form.Item>
          </Space>
          <Form.List name="quotas">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    每个组织每
                    <Form.Item name={[f.name, 'period']} initialValue="week">
                      <Select style={{ width: 80 }} options={[{ value: 'week', label: '周' }, { value: 'month', label: '月' }]} />
                    </Form.Item>
                    最多
                    <Form.Item name={[f.name, 'limit']} rules={[numberRule({ min: 1, integer: true }), { required: true, message: '请填写' }]}>
                      <NumberInput min={1} integer />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} initialValue="bookings">
                      <Select style={{ width: 90 }} options={[{ value: 'bookings', label: '次' }, { value: 'hours', label: '小时' }]} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                  添加配额
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="note" label="备注" style={{ marginTop: 16 }}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Drawer>
    </>
  );
}
