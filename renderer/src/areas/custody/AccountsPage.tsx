import { useMemo, useState } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Statistic, Table, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import dayjs, { type Dayjs } from 'dayjs';
import type { ColDef } from 'ag-grid-community';
import type { CallOutput } from '@shared/contract';
import { formatFenPlain } from '@shared/money';
import { statementOpeningText, statementPairNote } from '@shared/custody/print';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { DataGrid } from '../../components/DataGrid';
import { downloadBase64, printHtml } from '../../lib/files';
import { fenFormatter, Money, useCustodyOverview } from './common';
import { ListExportButton } from '../../components/ListExport';

type Account = CallOutput<'custody.accounts.list'>[number];

/** Per-organization custody accounts with their balances, and the 代管资金对账单 of each. */
export function AccountsPage() {
  const [text, setText] = useState('');
  const list = useCall('custody.accounts.list', { text }, [text]);
  const overview = useCustodyOverview();
  const [opening, setOpening] = useState(false);
  const [statementOf, setStatementOf] = useState<Account | null>(null);
  const canWrite = useCan('admin', 'accountant');
  const columns = useMemo<ColDef<Account>[]>(
    () => [
      { field: 'detailCode', headerName: '明细科目', width: 120 },
      { field: 'orgName', headerName: '组织', flex: 1, minWidth: 200 },
      { field: 'openedOn', headerName: '开立日期', width: 120 },
      { field: 'balanceFen', headerName: '代管余额', width: 150, type: 'rightAligned', valueFormatter: fenFormatter, cellStyle: (p) => ((p.value ?? 0) < 0 ? { color: '#cf1322' } : null) },
      {
        headerName: '',
        width: 120,
        sortable: false,
        cellRenderer: (p: { data?: Account }) => (
          <Button size="small" type="link" onClick={() => p.data && setStatementOf(p.data)}>
            对账单
          </Button>
        ),
      },
    ],
    [],
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap align="center">
        <Statistic title="代管资金合计" valueRender={() => <Money fen={overview.data?.totalCustodyFen ?? 0} strong />} />
        <Statistic title="代管账户数" value={overview.data?.accountCount ?? 0} style={{ marginLeft: 24 }} />
        <Input.Search placeholder="组织名称或科目编码" allowClear onSearch={setText} style={{ width: 240, marginLeft: 24 }} />
        {canWrite && (
          <Button type="primary" onClick={() => setOpening(true)}>
            开立代管账户
          </Button>
        )}
        <ListExportButton list="custodyAccounts" input={{ text }} />
      </Space>
      <div className="page-fill" data-testid="accounts-grid">
        <DataGrid<Account> rowData={list.data ?? []} columnDefs={columns} getRowId={(p) => p.data.id} />
      </div>
      {opening && (
        <OpenAccountModal
          onClose={() => {
            setOpening(false);
            void list.reload();
            void overview.reload();
          }}
        />
      )}
      {statementOf && <StatementModal account={statementOf} onClose={() => setStatementOf(null)} />}
    </>
  );
}

function OpenAccountModal({ onClose }: { onClose: () => void }) {
  const [search, setSearch] = useState('');
  const orgs = useCall('custody.orgs.withoutAccount', { text: search }, [search]);
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  return (
    <FormModal form={form}
      open
      title="开立代管账户"
      onClose={onClose}
      confirmLoading={busy}
      onOk={async () => {
        const v = await form.validateFields();
        const r = await run(() => call('custody.accounts.open', { orgId: v.orgId, openedOn: v.openedOn.format('YYYY-MM-DD'), liabilityCode: v.liabilityCode }), '已开立');
        if (r) onClose();
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ openedOn: dayjs() }}>
        <Form.Item name="orgId" label="组织" rules={[{ required: true, message: '请选择组织' }]}>
          <Select showSearch filterOption={false} onSearch={setSearch} options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} placeholder="输入名称搜索" />
        </Form.Item>
        <Form.Item name="openedOn" label="开立日期" rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="liabilityCode" label="负债科目" extra="默认取基地设置">
          <Select allowClear options={[{ value: '2601', label: '2601 受托代理负债' }, { value: '2209', label: '2209 其他应付款' }]} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

interface StatementLine {
  voucherId: string;
  date: string;
  voucherNo: string;
  summary: string;
  counterparty: string;
  inFen: number;
  outFen: number;
  balanceFen: number;
  note: string;
}

function StatementModal({ account, onClose }: { account: Account; onClose: () => void }) {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs()]);
  const input = { orgId: account.orgId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const s = useCall('custody.orgStatement', input, [input.from, input.to]);
  const { run } = useAction();
  return (
    <Modal open width={920} title={`代管资金对账单 — ${account.orgName}`} onCancel={onClose} footer={null}>
      <Space style={{ marginBottom: 12 }} wrap>
        <DatePicker.RangePicker value={range} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
        <Button onClick={() => run(async () => { const p = await call('custody.orgStatement.print', input); await printHtml(p.html, p.fileName); })}>打印 / PDF</Button>
        <Button onClick={() => run(async () => downloadBase64(await call('custody.orgStatement.export', input)))}>导出 Excel</Button>
      </Space>
      {s.data && (
        <>
          <Typography.Paragraph>
            期初余额 <Money fen={s.data.openingFen} />，本期收入 <Money fen={s.data.totalInFen} />，本期支出 <Money fen={s.data.totalOutFen} />，期末余额{' '}
            <Money fen={s.data.closingFen} strong />
          </Typography.Paragraph>
          <Table<StatementLine>
            size="small"
            rowKey={(r) => r.voucherId}
            dataSource={[
              { voucherId: 'opening', date: s.data.from, voucherNo: '', summary: statementOpeningText(s.data), counterparty: '', inFen: 0, outFen: 0, balanceFen: s.data.openingFen, note: '' },
              ...s.data.rows.map((r) => ({ ...r, note: statementPairNote(r) })),
            ] as StatementLine[]}
            pagination={{ pageSize: 12 }}
            columns={[
              { title: '日期', dataIndex: 'date', width: 105 },
              { title: '凭证号', dataIndex: 'voucherNo', width: 140 },
              {
                title: '摘要',
                dataIndex: 'summary',
                render: (v: string, r: StatementLine) => (
                  <>
                    {v}
                    {r.note && <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{r.note}</Typography.Text>}
                  </>
                ),
              },
              { title: '对方单位', dataIndex: 'counterparty', width: 150 },
              { title: '收入', dataIndex: 'inFen', align: 'right', render: (v: number) => (v ? <span style={v < 0 ? { color: '#c00' } : undefined}>{formatFenPlain(v)}</span> : '') },
              { title: '支出', dataIndex: 'outFen', align: 'right', render: (v: number) => (v ? <span style={v < 0 ? { color: '#c00' } : undefined}>{formatFenPlain(v)}</span> : '') },
              { title: '余额', dataIndex: 'balanceFen', align: 'right', render: (v: number) => formatFenPlain(v) },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
