import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Descriptions, Input, InputNumber, Radio, Space, Typography } from 'antd';
import { WORK_MODE_LABELS, type WorkMode } from '@shared/contract/office';
import type { CallOutput } from '@shared/contract';
import { bridge, call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/format';

type Probe = CallOutput<'office.workMode.probe'>;

const MODE_HELP: Record<WorkMode, string> = {
  standalone: '数据只在这台电脑上，别的电脑看不到。',
  server: '这台电脑保存全办公室的数据，其他电脑(桌面程序或浏览器)通过局域网连接到它。这台电脑需要一直开着。',
  client: '这台电脑不保存数据，使用办公室服务器上的数据。',
};

/** 系统管理 → 工作方式: 单机 / 办公室服务器 / 连接到服务器, kept in the data folder; takes effect at the next start. */
export function WorkModePage() {
  const { data, reload } = useCall('office.workMode.get', {});
  const { run, busy } = useAction();
  const [mode, setMode] = useState<WorkMode>('standalone');
  const [port, setPort] = useState(5443);
  const [address, setAddress] = useState('');
  const [probe, setProbe] = useState<Probe | null>(null);
  const [checked, setChecked] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    if (!data) return;
    setMode(data.config.mode);
    setPort(data.config.serverPort);
    setAddress(data.config.client?.url ?? '');
  }, [data]);
  const desktop = bridge.platform === 'electron';
  const save = async () => {
    const input =
      mode === 'standalone' ? { mode } : mode === 'server' ? { mode, serverPort: port } : { mode, address, fingerprint: probe?.fingerprint ?? '' };
    const r = await run(() => call('office.workMode.set', input as Parameters<typeof call<'office.workMode.set'>>[1]), '已保存工作方式');
    if (r) {
      setSaved(r.restartNeeded ? '已保存。请关闭并重新打开本程序，新的工作方式才会生效。' : '已保存。');
      await reload();
    }
  };
  return (
    <>
      <PageHeader title="工作方式" sub="一台电脑单独使用，或办公室几台电脑共用一份数据" />
      {!desktop && <Alert type="info" showIcon style={{ marginBottom: 12 }} message="工作方式只能在桌面程序中设置；这里显示的是服务器的设置。" />}
      {data?.serving && (
        <Card size="small" title="本机正在作为办公室服务器运行" style={{ marginBottom: 12 }} data-testid="serving-card">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="其他电脑连接地址">
              <Space direction="vertical" size={0}>
                {data.serving.urls.map((u) => (
                  <Typography.Text key={u} copyable>
                    {u}
                  </Typography.Text>
                ))}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="证书指纹(SHA-256)">
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {data.serving.fingerprint}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card size="small" style={{ maxWidth: 860 }}>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} disabled={!desktop} style={{ marginBottom: 12 }}>
          {(Object.keys(WORK_MODE_LABELS) as WorkMode[]).map((m) => (
            <Radio.Button key={m} value={m}>
              {WORK_MODE_LABELS[m]}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Typography.Paragraph type="secondary">{MODE_HELP[mode]}</Typography.Paragraph>
        {mode === 'server' && (
          <Space align="center" style={{ marginBottom: 12 }}>
            <span>端口</span>
            <InputNumber aria-label="端口" min={1024} max={65535} value={port} onChange={(v) => setPort(Number(v ?? 5443))} disabled={!desktop} />
            <Typography.Text type="secondary">只用 HTTPS；首次启动时在数据目录生成服务器证书</Typography.Text>
          </Space>
        )}
        {mode === 'client' && (
          <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
            {data?.config.client && (
              <Typography.Text type="secondary">
                当前连接：{data.config.client.url}，{formatDateTime(data.config.client.pinnedAt)} 核对的证书 {data.config.client.fingerprint}
              </Typography.Text>
            )}
            <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
              <Input
                aria-label="服务器地址"
                placeholder="https://192.168.1.20:5443"
                value={address}
                onChange={(e) => {
                  setAddress(e.target.value);
                  setProbe(null);
                  setChecked(false);
                }}
                disabled={!desktop}
              />
              <Button loading={busy} disabled={!desktop || !address.trim()} onClick={() => run(() => call('office.workMode.probe', { address }).then(setProbe))}>
                检查服务器
              </Button>
            </Space.Compact>
            {probe && (
              <Alert
                type={probe.sameVersion ? 'warning' : 'error'}
                showIcon
                message={probe.sameVersion ? '请核对证书指纹' : `服务器的程序版本是 ${probe.version}，与本机不同，不能连接`}
                description={
                  <Space direction="vertical">
                    <span>服务器 {probe.url} 出示的证书指纹(SHA-256)：</span>
                    <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 14 }} data-testid="probe-fingerprint">
                      {probe.fingerprint}
                    </Typography.Text>
                    <span>请到服务器电脑上查看它显示的指纹(启动时打印，或在服务器的「工作方式」页)，逐段一致才继续。以后证书若改变，本机会拒绝连接并提示。</span>
                    {probe.sameVersion && (
                      <Checkbox checked={checked} onChange={(e) => setChecked(e.target.checked)}>
                        我已核对，指纹与服务器显示的一致
                      </Checkbox>
                    )}
                  </Space>
                }
              />
            )}
          </Space>
        )}
        {saved && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={saved} />}
        <Button type="primary" disabled={!desktop || (mode === 'client' && !(probe?.sameVersion && checked))} loading={busy} onClick={() => void save()}>
          保存
        </Button>
      </Card>
    </>
  );
}
