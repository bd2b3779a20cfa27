import { useRef, useState } from 'react';
import { Alert, Button, Empty, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import type { MemberHubRow } from '@shared/contract/submission';
import { periodLabel } from '@shared/submission/period';
import { LEVEL_LABELS } from '@shared/submission/region';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/format';
import { ListExportButton } from '../../components/ListExport';

/** 下级单位: hubs whose packages are accepted, each with the public key it registered. */
export function HubsPage() {
  const hubs = useCall('submission.hubs.list', {});
  const { run, busy } = useAction();
  const canEdit = useCan('admin', 'approver');
  const [open, setOpen] = useState<{ mode: 'new' } | { mode: 'key'; hub: MemberHubRow } | null>(null);
  const [form] = Form.useForm<{ keyFile: string; contact: string; note: string }>();
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async () => {
    const v = await form.validateFields();
    const ok =
      open?.mode === 'key'
        ? await run(() => call('submission.hubs.update', { id: open.hub.id, keyFile: v.keyFile }), '公钥已更换')
        : await run(() => call('submission.hubs.register', { keyFile: v.keyFile, contact: v.contact ?? '', note: v.note ?? '' }), '已登记，请与对方核对指纹');
    if (ok) {
      setOpen(null);
      form.resetFields();
      void hubs.reload();
    }
  };

  return (
    <div style={{ overflow: 'auto' }}>
      <PageHeader
        title="下级单位"
        sub="只接受已登记单位用其登记公钥签名的上报包"
        extra={
          <Space>
            <ListExportButton list="memberHubs" />
            <Button type="primary" disabled={!canEdit} onClick={() => setOpen({ mode: 'new' })}>
              登记下级单位
            </Button>
          </Space>
        }
      />
      <Table<MemberHubRow>
        rowKey="id"
        size="small"
        loading={hubs.loading}
        dataSource={hubs.data ?? []}
        locale={{ emptyText: <Empty description="尚未登记下级单位" /> }}
        pagination={{ pageSize: 15 }}
        columns={[
          { title: '单位', dataIndex: 'name' },
          { title: '层级', dataIndex: 'level', width: 60, render: (l: MemberHubRow['level']) => LEVEL_LABELS[l] },
          { title: '区划代码', dataIndex: 'regionCode', width: 130 },
          { title: '公钥指纹', dataIndex: 'fingerprint', render: (f: string) => <Typography.Text code style={{ fontSize: 11 }}>{f}</Typography.Text> },
          { title: '联系人', dataIndex: 'contact', width: 110 },
          { title: '最近上报', dataIndex: 'lastPeriod', width: 130, render: (p: string | null) => (p ? periodLabel(p) : <Tag>未上报</Tag>) },
          { title: '登记时间', dataIndex: 'registeredAt', width: 150, render: formatDateTime },
          {
            title: '启用',
            dataIndex: 'active',
            width: 70,
            render: (a: boolean, h) => (
              <Switch
                size="small"
                checked={a}
                disabled={!canEdit || busy}
                onChange={async (v) => (await run(() => call('submission.hubs.update', { id: h.id, active: v }), v ? '已启用' : '已停用，其上报包将被拒绝')) && hubs.reload()}
              />
            ),
          },
          {
            title: '',
            width: 90,
            render: (_: unknown, h) => (
              <Button size="small" disabled={!canEdit} onClick={() => setOpen({ mode: 'key', hub: h })}>
                更换公钥
              </Button>
            ),
          },
        ]}
      />
      <FormModal form={form}
        open={open !== null}
        title={open?.mode === 'key' ? `更换「${open.hub.name}」的公钥` : '登记下级单位'}
        okText={open?.mode === 'key' ? '更换' : '登记'}
        confirmLoading={busy}
        onOk={submit}
        onClose={() => setOpen(null)}
        destroyOnHidden
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="请对方在“上报汇总 → 本级上报”中导出公钥登记文件；登记后请电话核对双方显示的指纹是否一致。"
        />
        <Form form={form} layout="vertical" preserve={false}>
          <Space style={{ marginBottom: 8 }}>
            <input
              ref={fileRef}
              type="file"
              accept=".json"
              hidden
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (f) form.setFieldValue('keyFile', await f.text());
              }}
            />
            <Button onClick={() => fileRef.current?.click()}>选择公钥登记文件</Button>
          </Space>
          <Form.Item name="keyFile" label="公钥登记文件内容" rules={[{ required: true, message: '请选择或粘贴公钥登记文件' }]}>
            <Input.TextArea rows={6} style={{ fontFamily: 'monospace', fontSize: 11 }} />
          </Form.Item>
          {open?.mode === 'new' && (
            <>
              <Form.Item name="contact" label="联系人">
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="note" label="备注">
                <Input maxLength={500} />
              </Form.Item>
            </>
          )}
        </Form>
      </FormModal>
    </div>
  );
}
