import { useState } from 'react';
import { Button, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import dayjs from 'dayjs';
import type { MemberOrgRow } from '@shared/contract/submission';
import { formatFen, parseYuanToFen } from '@shared/money';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { ListExportButton } from '../../components/ListExport';

const TYPE_LABELS: Record<MemberOrgRow['memberType'], string> = { unit: '会员单位', council: '理事单位', standing: '常务理事单位' };

interface OrgForm {
  name: string;
  creditCode?: string;
  memberType: MemberOrgRow['memberType'];
  contactName?: string;
  contactPhone?: string;
  joinedOn: dayjs.Dayjs;
  dues: string;
  status: 'active' | 'left';
  leftOn?: dayjs.Dayjs;
  note?: string;
}

const fenText = (fen: number) => (fen / 100).toFixed(2);

/** 会员单位: a federation's member organizations, their yearly dues, payments and what is still owed. */
export function MembersPage() {
  const [year, setYear] = useState(new Date().getFullYear());
  const list = useCall('submission.memberOrgs.list', { year }, [year]);
  const { run, busy } = useAction();
  const canEdit = useCan('admin', 'staff');
  const canPay = useCan('admin', 'staff', 'accountant');
  const [editing, setEditing] = useState<MemberOrgRow | 'new' | null>(null);
  const [paying, setPaying] = useState<MemberOrgRow | null>(null);
  const [form] = Form.useForm<OrgForm>();
  const [payForm] = Form.useForm<{ amount: string; paidOn: dayjs.Dayjs; receiptNo?: string }>();

  const openEdit = (o: MemberOrgRow | 'new') => {
    setEditing(o);
    form.setFieldsValue(
      o === 'new'
        ? { memberType: 'unit', status: 'active', joinedOn: dayjs(), dues: '0.00' }
        : {
            name: o.name,
            creditCode: o.creditCode ?? undefined,
            memberType: o.memberType,
            contactName: o.contactName,
            contactPhone: o.contactPhone,
            joinedOn: dayjs(o.joinedOn),
            dues: fenText(o.annualDuesFen),
            status: o.status,
            leftOn: o.leftOn ? dayjs(o.leftOn) : undefined,
            note: o.note,
          },
    );
  };
  const save = async () => {
    const v = await form.validateFields();
    const dues = parseYuanToFen(v.dues);
    if (!dues.ok) {
      form.setFields([{ name: 'dues', errors: [dues.error] }]);
      return;
    }
    const ok = await run(
      () =>
        call('submission.memberOrgs.save', {
          id: editing !== 'new' && editing ? editing.id : undefined,
          name: v.name,
          creditCode: v.creditCode?.trim() || null,
          memberType: v.memberType,
          contactName: v.contactName ?? '',
          contactPhone: v.contactPhone ?? '',
          joinedOn: v.joinedOn.format('YYYY-MM-DD'),
          annualDuesFen: dues.fen,
          status: v.status,
          leftOn: v.leftOn ? v.leftOn.format('YYYY-MM-DD') : null,
          note: v.note ?? '',
        }),
      '已保存',
    );
    if (ok) {
      setEditing(null);
      void list.reload();
    }
  };
  const pay = async () => {
    if (!paying) return;
    const v = await payForm.validateFields();
    const amount = parseYuanToFen(v.amount);
    if (!amount.ok) {
      payForm.setFields([{ name: 'amount', errors: [amount.error] }]);
      return;
    }
    const ok = await run(
      () => call('submission.dues.record', { memberOrgId: paying.id, year, amountFen: amount.fen, paidOn: v.paidOn.format('YYYY-MM-DD'), receiptNo: v.receiptNo ?? '' }),
      '已登记缴费',
    );
    if (ok) {
      setPaying(null);
      void list.reload();
    }
  };

  const rows = list.data ?? [];
  const owed = rows.reduce((s, r) => s + r.owedFen, 0);
  const paid = rows.reduce((s, r) => s + r.paidFen, 0);
  return (
    <div style={{ overflow: 'auto' }}>
      <PageHeader
        title="会员单位与会费"
        sub={`${year} 年已缴 ${formatFen(paid)}，尚欠 ${formatFen(owed)}`}
        extra={
          <Space>
            <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} addonBefore="会费年度" style={{ width: 170 }} />
            <ListExportButton list="memberOrgs" input={{ year }} />
            <Button type="primary" disabled={!canEdit} onClick={() => openEdit('new')}>
              新增会员单位
            </Button>
          </Space>
        }
      />
      <Table<MemberOrgRow>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={rows}
        locale={{ emptyText: <Empty description="尚无会员单位" /> }}
        pagination={{ pageSize: 15 }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '统一社会信用代码', dataIndex: 'creditCode', width: 180, render: (c: string | null) => c ?? '—' },
          { title: '类别', dataIndex: 'memberType', width: 110, render: (t: MemberOrgRow['memberType']) => TYPE_LABELS[t] },
          { title: '入会日期', dataIndex: 'joinedOn', width: 110 },
          { title: '年会费', dataIndex: 'annualDuesFen', width: 110, align: 'right', render: formatFen },
          { title: `${year} 年已缴`, dataIndex: 'paidFen', width: 110, align: 'right', render: formatFen },
          {
            title: '尚欠',
            dataIndex: 'owedFen',
            width: 110,
            align: 'right',
            render: (v: number) => (v > 0 ? <Typography.Text type="danger">{formatFen(v)}</Typography.Text> : formatFen(0)),
          },
          { title: '状态', dataIndex: 'status', width: 80, render: (s: string) => (s === 'active' ? <Tag color="green">在会</Tag> : <Tag>已退会</Tag>) },
          {
            title: '',
            width: 150,
            render: (_: unknown, o) => (
              <Space>
                <Button size="small" disabled={!canEdit} onClick={() => openEdit(o)}>
                  编辑
                </Button>
                <Button
                  size="small"
                  disabled={!canPay}
                  onClick={() => {
                    setPaying(o);
                    payForm.setFieldsValue({ amount: fenText(Math.max(o.owedFen, 0) || o.annualDuesFen), paidOn: dayjs(), receiptNo: '' });
                  }}
                >
                  缴费
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <FormModal form={form} open={editing !== null} title={editing === 'new' ? '新增会员单位' : '编辑会员单位'} okText="保存" confirmLoading={busy} onOk={save} onClose={() => setEditing(null)}>
        <Form form={form} layout="vertical">
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="creditCode" label="统一社会信用代码">
            <Input maxLength={18} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="memberType" label="类别">
              <Select style={{ width: 150 }} options={Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="joinedOn" label="入会日期" rules={[{ required: true, message: '请选择入会日期' }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="dues" label="年会费(元)" rules={[{ required: true, message: '请填写会费标准' }]}>
              <Input style={{ width: 120 }} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="contactName" label="联系人">
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="contactPhone" label="联系电话">
              <Input maxLength={40} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="status" label="状态">
              <Select style={{ width: 120 }} options={[{ value: 'active', label: '在会' }, { value: 'left', label: '已退会' }]} />
            </Form.Item>
            <Form.Item name="leftOn" label="退会日期">
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.Item name="note" label="备注">
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </FormModal>
      <FormModal form={payForm} open={paying !== null} title={`登记缴费：${paying?.name ?? ''}(${year} 年度)`} okText="登记" confirmLoading={busy} onOk={pay} onClose={() => setPaying(null)}>
        <Form form={payForm} layout="vertical">
          <Form.Item name="amount" label="金额(元)" rules={[{ required: true, message: '请填写金额' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="paidOn" label="缴费日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="receiptNo" label="收据号">
            <Input maxLength={40} />
          </Form.Item>
        </Form>
      </FormModal>
    </div>
  );
}
