import { BANK_HOLDS_LABELS, type BankHolds } from '@shared/custody/accounts';
import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { FormModal } from '../../components/forms';
import dayjs from 'dayjs';
import type { CallOutput } from '@shared/contract';
import { BANK_FORMATS } from '@shared/custody/statement';
import { formatFenPlain } from '@shared/money';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { fenOf, Money, moneyRules, useCustodyOverview } from './common';

type Bank = CallOutput<'custody.overview'>['bankAccounts'][number];
type Source = CallOutput<'custody.sources.list'>[number];
type Project = CallOutput<'custody.projects.list'>[number];

/** 基础设置: the hub's bank accounts, funding sources, and projects with their budget lines. */
export function SetupPage() {
  const overview = useCustodyOverview();
  const sources = useCall('custody.sources.list', {});
  const projects = useCall('custody.projects.list', {});
  const [bank, setBank] = useState<Bank | 'new' | null>(null);
  const [source, setSource] = useState<Source | 'new' | null>(null);
  const [project, setProject] = useState<Project | 'new' | null>(null);
  const canWrite = useCan('admin', 'accountant');
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Card size="small" title="银行账户" extra={canWrite && <Button size="small" onClick={() => setBank('new')}>新增</Button>} style={{ marginBottom: 12 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={overview.data?.bankAccounts ?? []}
          onRow={(r) => ({ onClick: () => canWrite && setBank(r) })}
          columns={[
            { title: '科目', dataIndex: 'detailCode', width: 110 },
            { title: '名称', render: (_, b) => `${b.bankName} ${b.name}` },
            { title: '账户性质', dataIndex: 'holds', render: (h: BankHolds) => <Tag color={h === 'own' ? 'blue' : 'green'}>{BANK_HOLDS_LABELS[h]}</Tag> },
            { title: '账号', dataIndex: 'accountNo' },
            { title: '对账单格式', dataIndex: 'formatId', render: (f: string) => BANK_FORMATS.find((x) => x.id === f)?.name ?? '自定义' },
            { title: '启用日期', dataIndex: 'openingDate', width: 110 },
            { title: '期初银行余额', dataIndex: 'bankOpeningFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '账面余额', dataIndex: 'ledgerBalanceFen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
            { title: '', dataIndex: 'active', width: 70, render: (a: boolean) => (a ? null : <Tag>停用</Tag>) },
          ]}
        />
      </Card>
      <Card size="small" title="资金来源" extra={canWrite && <Button size="small" onClick={() => setSource('new')}>新增</Button>} style={{ marginBottom: 12 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={sources.data ?? []}
          onRow={(r) => ({ onClick: () => canWrite && setSource(r) })}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '类别', dataIndex: 'kindLabel' },
            { title: '拨款方', dataIndex: 'grantor' },
            { title: '政府资金', dataIndex: 'fromGovernment', render: (v: boolean) => (v ? '是' : '否') },
          ]}
        />
      </Card>
      <Card size="small" title="项目与预算" extra={canWrite && <Button size="small" onClick={() => setProject('new')}>新增</Button>}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={projects.data ?? []}
          onRow={(r) => ({ onClick: () => canWrite && setProject(r) })}
          expandable={{
            expandedRowRender: (p) => (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={p.lines}
                columns={[
                  { title: '预算科目', dataIndex: 'name' },
                  { title: '预算', dataIndex: 'budgetFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                  { title: '已支出', dataIndex: 'spentFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                  { title: '结余', dataIndex: 'remainingFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                ]}
              />
            ),
          }}
          columns={[
            { title: '项目', dataIndex: 'name' },
            { title: '资金来源', dataIndex: 'sourceName' },
            { title: '组织', dataIndex: 'orgName', render: (v: string | null) => v ?? '（不限）' },
            { title: '期间', render: (_, p) => `${p.startDate} 至 ${p.endDate}` },
            { title: '预算', dataIndex: 'budgetFen', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: '已支出', dataIndex: 'spentFen', align: 'right', render: (v: number) => <Money fen={v} /> },
          ]}
        />
      </Card>
      {bank && <BankModal bank={bank === 'new' ? null : bank} onClose={() => { setBank(null); void overview.reload(); }} />}
      {source && <SourceModal source={source === 'new' ? null : source} onClose={() => { setSource(null); void sources.reload(); }} />}
      {project && <ProjectModal project={project === 'new' ? null : project} sources={sources.data ?? []} onClose={() => { setProject(null); void projects.reload(); }} />}
    </div>
  );
}

function BankModal({ bank, onClose }: { bank: Bank | null; onClose: () => void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  return (
    <FormModal form={form}
      open
      title={bank ? '修改银行账户' : '新增银行账户'}
      onClose={onClose}
      confirmLoading={busy}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await run(
          () =>
            call('custody.bankAccounts.save', {
              id: bank?.id,
              name: v.name,
              bankName: v.bankName,
              accountNo: v.accountNo,
              formatId: v.formatId,
              openingDate: v.openingDate.format('YYYY-MM-DD'),
              bankOpeningFen: fenOf(v.opening),
              active: v.active,
              holds: v.holds,
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
          name: bank?.name ?? '基本户',
          bankName: bank?.bankName,
          accountNo: bank?.accountNo,
          formatId: bank?.formatId ?? 'icbc',
          openingDate: bank ? dayjs(bank.openingDate) : dayjs().startOf('year'),
          opening: bank ? formatFenPlain(bank.bankOpeningFen) : '0.00',
          active: bank?.active ?? true,
          holds: bank?.holds ?? 'custody',
        }}
      >
        <Form.Item name="bankName" label="开户银行" rules={[{ required: true, message: '请填写开户银行' }]}>
          <Input placeholder="如：工商银行某某支行" />
        </Form.Item>
        <Form.Item name="name" label="账户名称" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="accountNo" label="账号" rules={[{ required: true, message: '请填写账号' }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="holds"
          label="账户性质"
          extra="代管资金专户只记为组织代管的资金（1002 银行存款·受托代理资产 对应 2601/2209）；本机构收入（如 4301 提供服务收入）记入本机构自有账户。已有记账分录后不能更改。"
        >
          <Select options={(Object.keys(BANK_HOLDS_LABELS) as BankHolds[]).map((h) => ({ value: h, label: BANK_HOLDS_LABELS[h] }))} />
        </Form.Item>
        <Form.Item name="formatId" label="对账单格式">
          <Select options={[...BANK_FORMATS.map((f) => ({ value: f.id, label: f.name })), { value: 'generic', label: '其他（导入时设置列）' }]} />
        </Form.Item>
        <Form.Item name="openingDate" label="启用日期" rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="opening" label="启用日的银行余额（元）" rules={moneyRules(true, true)} extra="应等于各组织期初余额凭证之和">
          <Input />
        </Form.Item>
        <Form.Item name="active" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function SourceModal({ source, onClose }: { source: Source | null; onClose: () => void }) {
  const [form] = Form.useForm();
  const dict = useCall('dict.list', { kind: 'funding_source' });
  const { run, busy } = useAction();
  return (
    <FormModal form={form}
      open
      title={source ? '修改资金来源' : '新增资金来源'}
      onClose={onClose}
      confirmLoading={busy}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await run(() => call('custody.sources.save', { id: source?.id, ...v }), '已保存');
        if (r) onClose();
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ kind: source?.kind, name: source?.name, grantor: source?.grantor, fromGovernment: source?.fromGovernment ?? true }}>
        <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
          <Select options={(dict.data ?? []).map((d: { code: string; label: string }) => ({ value: d.code, label: d.label }))} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input placeholder="如：2026年区级公益创投" />
        </Form.Item>
        <Form.Item name="grantor" label="拨款方">
          <Input />
        </Form.Item>
        <Form.Item name="fromGovernment" label="政府资金" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function ProjectModal({ project, sources, onClose }: { project: Project | null; sources: Source[]; onClose: () => void }) {
  const [form] = Form.useForm();
  const accounts = useCall('custody.accounts.list', {});
  const { run, busy } = useAction();
  return (
    <FormModal form={form}
      open
      width={720}
      title={project ? '修改项目预算' : '新增项目'}
      onClose={onClose}
      confirmLoading={busy}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await run(
          () =>
            call('custody.projects.save', {
              id: project?.id,
              name: v.name,
              sourceId: v.sourceId,
              orgId: v.orgId ?? null,
              startDate: v.range[0].format('YYYY-MM-DD'),
              endDate: v.range[1].format('YYYY-MM-DD'),
              lines: (v.lines as { id?: string; name: string; budget: string }[]).map((l) => ({ id: l.id, name: l.name, budgetFen: fenOf(l.budget) })),
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
          name: project?.name,
          sourceId: project?.sourceId,
          orgId: project?.orgId ?? undefined,
          range: project ? [dayjs(project.startDate), dayjs(project.endDate)] : [dayjs().startOf('year'), dayjs().endOf('year')],
          lines: project?.lines.map((l) => ({ id: l.id, name: l.name, budget: formatFenPlain(l.budgetFen) })) ?? [{ name: '', budget: '' }],
        }}
      >
        <Form.Item name="name" label="项目名称" rules={[{ required: true, message: '请填写项目名称' }]}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item name="sourceId" label="资金来源" rules={[{ required: true, message: '请选择资金来源' }]}>
            <Select style={{ width: 240 }} options={sources.map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
          <Form.Item name="orgId" label="承接组织">
            <Select style={{ width: 240 }} allowClear showSearch optionFilterProp="label" options={(accounts.data ?? []).map((a) => ({ value: a.orgId, label: a.orgName }))} />
          </Form.Item>
        </Space>
        <Form.Item name="range" label="项目期间" rules={[{ required: true }]}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'id']} hidden>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: '预算科目名称' }]}>
                    <Input placeholder="预算科目，如：活动物料" style={{ width: 260 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'budget']} rules={moneyRules(true, true)}>
                    <Input placeholder="预算金额（元）" style={{ width: 180 }} />
                  </Form.Item>
                  <Button type="link" onClick={() => remove(f.name)}>删除</Button>
                </Space>
              ))}
              <Button onClick={() => add({ name: '', budget: '' })}>添加预算科目</Button>
            </>
          )}
        </Form.List>
      </Form>
    </FormModal>
  );
}
