import { useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Modal, Row, Space, Switch, Table, Tag, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import { NumberInput, numberRule } from '../../components/NumberInput';
import { PlusOutlined } from '@ant-design/icons';
import { DICTIONARY_KINDS, type DictionaryKind } from '@shared/admin/dictionaries';
import type { DictEntry } from '@shared/contract/admin';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { ListExportButton } from '../../components/ListExport';

/** Province-specific lists: labels can change, codes stay, entries are deactivated rather than deleted. */
export function DictionariesPage() {
  const [kind, setKind] = useState<DictionaryKind>('org_field');
  const { data, reload } = useCall('dict.list', { kind }, [kind]);
  const [editing, setEditing] = useState<Partial<DictEntry> | null>(null);
  const canEdit = useCan('admin');
  return (
    <Row gutter={16} style={{ overflow: 'auto' }}>
      <Col flex="220px">
        <Card size="small" title="字典">
          {(Object.keys(DICTIONARY_KINDS) as DictionaryKind[]).map((k) => (
            <div key={k}>
              <Button type={k === kind ? 'primary' : 'text'} block style={{ textAlign: 'left' }} onClick={() => setKind(k)}>
                {DICTIONARY_KINDS[k]}
              </Button>
            </div>
          ))}
        </Card>
      </Col>
      <Col flex="auto">
        <Card
          size="small"
          title={DICTIONARY_KINDS[kind]}
          extra={
            <Space>
              <ListExportButton list="dictionaries" input={{ kind }} print={false} />
              {canEdit && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ kind, sortOrder: ((data?.length ?? 0) + 1) * 10, active: true })}>
                  新增
                </Button>
              )}
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">记录中保存的是代码，修改名称不影响已有记录；不再使用的项请停用而非删除。</Typography.Paragraph>
          <Table<DictEntry>
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={data ?? []}
            columns={[
              { title: '代码', dataIndex: 'code', width: 90 },
              { title: '名称', dataIndex: 'label' },
              { title: '排序', dataIndex: 'sortOrder', width: 80 },
              { title: '状态', dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="green">使用中</Tag> : <Tag>已停用</Tag>) },
              ...(canEdit
                ? [{ title: '操作', width: 80, render: (_: unknown, e: DictEntry) => <Button size="small" onClick={() => setEditing(e)}>编辑</Button> }]
                : []),
            ]}
          />
        </Card>
      </Col>
      {editing && <EntryDialog entry={editing} onClose={(c) => { setEditing(null); if (c) void reload(); }} />}
    </Row>
  );
}

function EntryDialog({ entry, onClose }: { entry: Partial<DictEntry>; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  return (
    <FormModal form={form}
      open
      title={entry.code ? `编辑「${entry.label}」` : '新增字典项'}
      confirmLoading={busy}
      onClose={() => onClose(false)}
      onOk={async () => {
        const v = await form.validateFields();
        const ok = await run(() => call('dict.save', { kind: entry.kind!, code: entry.code, label: v.label, sortOrder: v.sortOrder, active: v.active }), '已保存');
        if (ok) onClose(true);
      }}
    >
      <Form form={form} layout="vertical" initialValues={entry}>
        <Form.Item name="label" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="sortOrder" label="排序" rules={[numberRule({ min: 0, max: 9999, integer: true })]}>
          <NumberInput min={0} max={9999} integer />
        </Form.Item>
        <Form.Item name="active" label="使用中" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
