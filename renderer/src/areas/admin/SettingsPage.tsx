import { useEffect } from 'react';
import { Button, Card, Form, Input, InputNumber, Select, Spin } from 'antd';
import { HUB_LEVEL_LABELS, HUB_LEVELS, checkRegionCode } from '@shared/admin/hub';
import { SETTING_LABELS, type HubSettings } from '@shared/admin/settings';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan, useSession } from '../../app/session';

export function SettingsPage() {
  const { data, reload } = useCall('settings.get', {});
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const { refresh } = useSession();
  const canEdit = useCan('admin');
  useEffect(() => {
    if (data) form.setFieldsValue({ hubName: data.hub.name, regionCode: data.hub.regionCode, level: data.hub.level, ...data.settings });
  }, [data, form]);
  if (!data) return <Spin />;
  const save = async () => {
    const v = await form.validateFields();
    const { hubName, regionCode, level, ...settings } = v;
    const ok = await run(() => call('settings.update', { hubName, regionCode, level, settings: settings as Partial<HubSettings> }), '设置已保存');
    if (ok) {
      await reload();
      await refresh();
    }
  };
  return (
    <Card style={{ maxWidth: 720, overflow: 'auto' }}>
      <Form form={form} layout="horizontal" labelCol={{ span: 8 }} disabled={!canEdit || busy}>
        <Form.Item name="hubName" label="基地名称" rules={[{ required: true, message: '请填写基地名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="level" label="层级">
          <Select options={HUB_LEVELS.map((l) => ({ value: l, label: HUB_LEVEL_LABELS[l] }))} />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label="行政区划代码"
          dependencies={['level']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_r, value: string) => {
                const p = checkRegionCode(value ?? '', getFieldValue('level'));
                if (p) throw new Error(p);
              },
            }),
          ]}
        >
          <Input maxLength={12} />
        </Form.Item>
        {(Object.keys(SETTING_LABELS) as (keyof HubSettings)[]).map((k) => (
          <Form.Item key={k} name={k} label={SETTING_LABELS[k]} rules={[{ required: true, message: '必填' }]}>
            <InputNumber min={1} precision={0} style={{ width: 160 }} />
          </Form.Item>
        ))}
        {canEdit && (
          <Form.Item wrapperCol={{ offset: 8 }}>
            <Button type="primary" onClick={save} loading={busy}>
              保存
            </Button>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
