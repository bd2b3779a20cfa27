import { useState } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import dayjs from 'dayjs';
import type { CallOutput } from '@shared/contract';
import { formatFenPlain } from '@shared/money';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { fenOf, Money, moneyRules } from './common';
import { ListExportButton } from '../../components/ListExport';

type Row = CallOutput<'custody.inkind.list'>['rows'][number];
const STATUS = { received: '在库', distributed: '已发放', returned: '已退回' } as const;

/** 物资捐赠登记簿: in-kind donations with their value, kept apart from the cash ledger. */
export function InKindPage() {
  const list = useCall('custody.inkind.list', {});
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const canWrite = useCan('admin', 'accountant');
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space style={{ marginBottom: 12 }}>
        {canWrite && <Button type="primary" onClick={() => setEditing('new')}>登记物资</Button>}
        <ListExportButton list="inKind" />
        <Typography.Text type="secondary">
          物资单独登记、不进入现金账；合计价值 <Money fen={list.data?.totalValueFen ?? 0} strong />
        </Typography.Text>
      </Space>
      <Table
        size="small"
        rowKey="id"
        dataSource={list.data?.rows ?? []}
        onRow={(r) => ({ onClick: () => canWrite && setEditing(r) })}
        columns={[
          { title: '接收日期', dataIndex: 'receivedOn', width: 110 },
          { title: '捐赠方', dataIndex: 'donor' },
          { title: '物资', dataIndex: 'description' },
          { title: '数量', render: (_, r) => `${r.quantity}${r.unit}` },
          { title: '价值', dataIndex: 'valueFen', align: 'right', render: (v: number) => <Money fen={v} /> },
          { title: '计价依据', dataIndex: 'valuationBasis' },
          { title: '受赠组织', dataIndex: 'orgName', render: (v: string | null) => v ?? '基地' },
          { title: '状态', render: (_, r) => `${STATUS[r.status]}${r.handledOn ? ` ${r.handledOn}` : ''}` },
        ]}
      />
      {editing && <InKindModal row={editing === 'new' ? null : editing} onClose={() => { setEditing(null); void list.reload(); }} />}
    </div>
  );
}

function InKindModal({ row, onClose }: { row: Row | null; onClose: () => void }) {
  const [form] = Form.useForm();
  const accounts = useCall('custody.accounts.list', {});
  const { run, busy } = useAction();
  return (
    <FormModal form={form}
      open
      title={row ? '修改物资登记' : '登记物资捐赠'}
      confirmLoading={busy}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await run(
          () =>
            call('custody.inkind.save', {
              id: row?.id,
              orgId: v.orgId ?? null,
              donor: v.donor,
              receivedOn: v.receivedOn.format('YYYY-MM-DD'),
              description: v.description,
              quantity: v.quantity ?? '',
              unit: v.unit ?? '',
              valueFen: fenOf(v.value),
              valuationBasis: v.valuationBasis,
              status: v.status,
              handledOn: v.handledOn ? v.handledOn.format('YYYY-MM-DD') : null,
              note: v.note ?? '',
            }),
          '已保存',
        );
        if (r) onClose();
      }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          ...row,
          receivedOn: row ? dayjs(row.receivedOn) : dayjs(),
          handledOn: row?.handledOn ? dayjs(row.handledOn) : undefined,
          value: row ? formatFenPlain(row.valueFen) : undefined,
          status: row?.status ?? 'received',
          valuationBasis: row?.valuationBasis ?? '发票金额',
        }}
      >
        <Form.Item name="donor" label="捐赠方" rules={[{ required: true, message: '请填写捐赠方' }]}><Input /></Form.Item>
        <Form.Item name="description" label="物资名称" rules={[{ required: true, message: '请填写物资名称' }]}><Input /></Form.Item>
        <Space>
          <Form.Item name="quantity" label="数量"><Input style={{ width: 120 }} /></Form.Item>
          <Form.Item name="unit" label="单位"><Input style={{ width: 80 }} /></Form.Item>
          <Form.Item name="value" label="价值（元）" rules={moneyRules(true, true)}><Input style={{ width: 160 }} /></Form.Item>
        </Space>
        <Form.Item name="valuationBasis" label="计价依据" rules={[{ required: true }]}>
          <Select options={['发票金额', '协议价', '市场价', '评估价'].map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="receivedOn" label="接收日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
        <Form.Item name="orgId" label="受赠组织（空表示基地）">
          <Select allowClear showSearch optionFilterProp="label" options={(accounts.data ?? []).map((a) => ({ value: a.orgId, label: a.orgName }))} />
        </Form.Item>
        <Space>
          <Form.Item name="status" label="状态">
            <Select style={{ width: 120 }} options={Object.entries(STATUS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="handledOn" label="发放/退回日期"><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="note" label="备注"><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </FormModal>
  );
}
