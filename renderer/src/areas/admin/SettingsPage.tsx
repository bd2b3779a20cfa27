import { useEffect } from 'react';
import { Button, Card, Form, Input, Select, Spin } from 'antd';
import { NumberInput } from '../../components/NumberInput';
import { useContractForm } from '../../components/forms';
import { HUB_LEVEL_LABELS, HUB_LEVELS, checkRegionCode } from '@shared/admin/hub';
import { SETTING_LABELS, type HubSettings } from '@shared/admin/settings';
import { useCall } from '../../api/hooks';
import { useCan, useSession } from '../../app/session';

export function SettingsPage() {
  const { data, reload } = useCall('settings.get', {});
  const [form] = Form.useForm();
  const f = useContractForm(form, 'settings.update', { prefix: ['settings'] });
  const busy = f.busy;
  const { refresh } = useSession();
  const canEdit = useCan('admin');
  useEffect(() => {
    if (data) form.setFieldsValue({ hubName: data.hub.name, regionCode: data.hub.regionCode, level: data.hub.level, ...data.settings });
  }, [data, form]);
  if (!data) return <Spin />;
  const save = async () => {
    const ok = await f.submit(({ hubName, regionCode, level, ...settings }) => ({ hubName, regionCode, level, settings: settings as Partial<HubSettings> }), '设置已保存');
    if (ok) {
      await reload();
      await refresh();
    }
  };
  return (
    <Card style={{ maxWidth: 720, overflow: 'auto' }}>
      {f.banner}
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
        {(Object.keys(SETTING_LABELS) as (keyof HubSettings)[]).map((k) =>
          k === 'updateUrl' ? (
            <Form.Item key={k} name={k} label={SETTING_LABELS[k]} extra="例如 http://192.168.1.10/incubase/ ；下载的安装包先按 latest.yml 中的 SHA-512 校验再安装">
              <Input style={{ width: 360 }} maxLength={300} placeholder="留空则不检查更新" />
            </Form.Item>
          ) : k === 'custodyLiabilityCode' ? (
            <Form.Item key={k} name={k} label={SETTING_LABELS[k]} required>
              <Select style={{ width: 240 }} options={[{ value: '2601', label: '2601 受托代理负债' }, { value: '2209', label: '2209 其他应付款' }]} />
            </Form.Item>
          ) : (
            <Form.Item key={k} name={k} label={SETTING_LABELS[k]} required>
              <NumberInput integer style={{ width: 160 }} />
            </Form.Item>
          ),
        )}
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
