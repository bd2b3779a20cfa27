import { useEffect } from 'react';
import { DatePicker, Form, Input, InputNumber, Modal, Radio, Select, TimePicker } from 'antd';
import { FormModal } from '../../components/forms';
import { NumberInput, numberRule } from '../../components/NumberInput';
import dayjs from 'dayjs';
import type { TrainingSession } from '@shared/contract/training';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useTrainingDicts } from './common';

interface Values {
  title: string;
  category: string;
  format: string;
  date: dayjs.Dayjs;
  startTime: dayjs.Dayjs;
  hours: number;
  trainer: string;
  capacity: number | null;
  venueId: string | null;
  /** 主办方: the hub itself (本基地主办, no organization; a venue is booked as the hub's own) or an organization. */
  host: 'hub' | 'org';
  organizerId: string | null;
  location: string | null;
  note: string | null;
}

/** New or edit session; a venue is booked through the venues rule by the core (a taken slot is refused). */
export function SessionForm({ open, session, onClose, onSaved }: { open: boolean; session: TrainingSession | null; onClose: () => void; onSaved: (s: TrainingSession) => void }) {
  const [form] = Form.useForm<Values>();
  const dicts = useTrainingDicts();
  const { data: options } = useCall('training.options', {});
  const { run, busy } = useAction({ onStale: onClose });
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (session) {
      form.setFieldsValue({
        ...session,
        date: dayjs(session.date),
        startTime: dayjs(`2000-01-01T${session.startTime ?? '09:00'}`),
        hours: session.minutes / 60,
        host: session.organizerId ? 'org' : 'hub',
      });
    } else {
      form.setFieldsValue({ date: dayjs(), startTime: dayjs('2000-01-01T09:00'), hours: 2, capacity: 50, venueId: null, host: 'hub', organizerId: null });
    }
  }, [open, session, form]);
  const host = Form.useWatch('host', form);
  const save = async () => {
    const v = await form.validateFields();
    const saved = await run(
      () =>
        call('training.sessions.save', {
          id: session?.id,
          version: session?.version,
          title: v.title,
          category: v.category,
          format: v.format,
          date: v.date.format('YYYY-MM-DD'),
          startTime: v.startTime.format('HH:mm'),
          minutes: Math.round(v.hours * 60),
          trainer: v.trainer,
          capacity: v.capacity ?? null,
          venueId: v.venueId ?? null,
          organizerId: v.host === 'org' ? (v.organizerId ?? null) : null,
          location: v.location ?? null,
          note: v.note ?? null,
        }),
      '已保存培训场次',
    );
    if (saved) onSaved(saved);
  };
  return (
    <FormModal form={form} open={open} title={session ? '修改培训场次' : '新建培训场次'} onClose={onClose} onOk={save} okText="保存" confirmLoading={busy} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="title" label="培训主题" rules={[{ required: true, message: '请填写培训主题' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 16 }}>
          <Form.Item name="category" label="培训类别" rules={[{ required: true, message: '请选择培训类别' }]}>
            <Select options={dicts.categories} />
          </Form.Item>
          <Form.Item name="format" label="培训形式" rules={[{ required: true, message: '请选择培训形式' }]}>
            <Select options={dicts.formats} />
          </Form.Item>
          <Form.Item name="date" label="日期" rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="startTime" label="开始时间" rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="hours" label="时长(小时)" rules={[numberRule({ min: 0.25, max: 24 }), { required: true, message: '请填写时长' }]}>
            <NumberInput min={0.25} max={24} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="trainer" label="授课人" rules={[{ required: true, message: '请填写授课人' }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="capacity" label="容量(人)" rules={[numberRule({ min: 1, max: 100000 })]}>
            <NumberInput min={1} max={100000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="venueId" label="场地(将按场地规则预约)">
            <Select allowClear placeholder="不使用场地(如网上课堂)" options={(options?.venues ?? []).map((v) => ({ value: v.id, label: `${v.name}${v.capacity ? `(${v.capacity}人)` : ''}` }))} />
          </Form.Item>
          <Form.Item name="host" label="主办方" rules={[{ required: true, message: '请选择主办方' }]}>
            <Radio.Group
              options={[
                { value: 'hub', label: '本基地主办' },
                { value: 'org', label: '孵化组织承办' },
              ]}
            />
          </Form.Item>
          <Form.Item name="organizerId" label="承办组织" hidden={host !== 'org'} rules={[{ required: host === 'org', message: '请选择承办组织' }]}>
            <Select allowClear showSearch optionFilterProp="label" options={(options?.organizations ?? []).map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
          <Form.Item name="location" label="地点说明">
            <Input maxLength={200} placeholder="如：线上直播链接、外部场地地址" />
          </Form.Item>
        </div>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
