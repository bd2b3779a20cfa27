import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table, Timeline, Typography, Upload, Tooltip } from 'antd';
import { NumberInput, numberRule } from '../../components/NumberInput';
import dayjs from 'dayjs';
import type { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import type { CallInput, CallOutput } from '@shared/contract';
import type { VoucherRowView } from '@shared/contract/custody';
import { formatFen, formatFenPlain } from '@shared/money';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useStaleRecovery, type FieldValues } from '../../api/staleRecovery';
import { FormModal } from '../../components/forms';
import { useIrreversibleCall } from '../../components/irreversible';
import { useCan, useSession } from '../../app/session';
import { DataGrid, pagedDatasource } from '../../components/DataGrid';
import { downloadBase64, printHtml, readUpload } from '../../lib/files';
import { formatDateTime } from '../../lib/format';
import { VoucherExportButton } from './VoucherExport';
import { HistoryImportButton } from './HistoryImport';
import { fenFormatter, fenOf, kindLabel, Money, moneyRules, StatusTag, useCustodyOverview } from './common';
import { ListExportButton } from '../../components/ListExport';

type Detail = CallOutput<'custody.vouchers.get'>;
type StatusFilter = 'all' | 'draft' | 'submitted' | 'approved' | 'posted' | 'toApprove' | 'toPost';

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'draft', label: '草稿' },
  { value: 'submitted', label: '待审批' },
  { value: 'approved', label: '待记账' },
  { value: 'posted', label: '已记账' },
  { value: 'toApprove', label: '待我审批' },
];

export function VouchersPage() {
  const grid = useRef<AgGridReact<VoucherRowView>>(null);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<VoucherRowView | 'new' | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const canWrite = useCan('admin', 'accountant');
  const outer = useRef({ status, text });
  outer.current = { status, text };
  const lastSort = useRef<{ colId: string; sort: 'asc' | 'desc' }[]>([]);
  // What the grid shows now, for 导出 Excel / 打印 (same filter, same order).
  const exportInput = () => ({
    sort: lastSort.current,
    filter: {
      status: ['draft', 'submitted', 'approved', 'posted'].includes(status) ? status : undefined,
      mine: status === 'toApprove' ? 'toApprove' : undefined,
      text: text || undefined,
    },
  });
  const datasource = useMemo(
    () =>
      pagedDatasource<VoucherRowView>(async (req) => {
        const { status: s, text: t } = outer.current;
        lastSort.current = req.sort.map((x) => ({ colId: x.colId, sort: x.sort }));
        return call('custody.vouchers.list', {
          startRow: req.startRow,
          endRow: req.endRow,
          sort: lastSort.current,
          filter: {
            status: ['draft', 'submitted', 'approved', 'posted'].includes(s) ? (s as 'draft') : undefined,
            mine: s === 'toApprove' ? 'toApprove' : undefined,
            text: t || undefined,
          },
        });
      }),
    [],
  );
  // The grid's api exists only once ag-grid is ready; before that the datasource's first fetch reads `outer`.
  const refresh = () => grid.current?.api?.purgeInfiniteCache();
  useEffect(() => {
    refresh();
  }, [status]);
  const columns = useMemo<ColDef<VoucherRowView>[]>(
    () => [
      { field: 'date', headerName: '日期', width: 110 },
      { field: 'number', headerName: '凭证号', width: 150, valueFormatter: (p) => p.value ?? '（未记账）' },
      { field: 'kind', headerName: '类型', width: 100, valueFormatter: (p) => kindLabel(p.value) },
      { field: 'status', headerName: '状态', width: 90, cellRenderer: (p: { value: string }) => <StatusTag status={p.value} /> },
      { field: 'orgName', headerName: '组织', width: 180, sortable: false, valueGetter: (p) => (p.data?.toOrgName ? `${p.data.orgName} → ${p.data.toOrgName}` : p.data?.orgName) },
      { field: 'purpose', headerName: '摘要', flex: 1, minWidth: 180, sortable: false },
      { field: 'counterparty', headerName: '对方单位', width: 160, sortable: false },
      { field: 'amountFen', headerName: '金额', width: 130, type: 'rightAligned', valueFormatter: fenFormatter },
      { field: 'makerName', headerName: '经办', width: 110, sortable: false },
      { field: 'approverName', headerName: '审批', width: 110, sortable: false },
      { field: 'matched', headerName: '已勾对', width: 80, sortable: false, valueFormatter: (p) => (p.value ? '✓' : '') },
    ],
    [],
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap data-testid="voucher-toolbar">
        <Segmented options={FILTERS} value={status} onChange={(v) => setStatus(v as StatusFilter)} />
        <Input.Search placeholder="摘要、对方、凭证号(Ctrl+K)" data-shortcut="search" allowClear value={text} onChange={(e) => setText(e.target.value)} onSearch={refresh} style={{ width: 220 }} />
        {canWrite && (
          <Tooltip title="快捷键 Alt+N；对话框中 Ctrl+Enter 保存">
            <Button type="primary" onClick={() => setEditing('new')} data-shortcut="new">
              录入凭证
            </Button>
          </Tooltip>
        )}
        {canWrite && <HistoryImportButton onImported={refresh} />}
        <VoucherExportButton />
        <ListExportButton list="vouchers" input={exportInput} compact />
      </Space>
      <div className="page-fill" data-testid="voucher-grid">
        <DataGrid<VoucherRowView>
          ref={grid}
          rowModelType="infinite"
          datasource={datasource}
          columnDefs={columns}
          getRowId={(p) => p.data.id}
          onRowClicked={(e) => e.data && setOpenId(e.data.id)}
        />
      </div>
      {editing && (
        <VoucherForm
          initial={editing === 'new' ? null : editing}
          onClose={(id) => {
            setEditing(null);
            refresh();
            if (id) setOpenId(id);
          }}
        />
      )}
      {openId && (
        <VoucherDrawer
          id={openId}
          onClose={() => setOpenId(null)}
          onChanged={refresh}
          onEdit={(v) => {
            setOpenId(null);
            setEditing(v);
          }}
          onOpen={setOpenId}
        />
      )}
    </>
  );
}

/** The fields a voucher draft's form edits, as the update call takes them (the base of a conflict comparison). */
const VOUCHER_FIELD_LABELS: Record<string, string> = {
  kind: '类型',
  date: '日期',
  amountFen: '金额(分)',
  orgId: '组织',
  toOrgId: '转入组织',
  bankAccountId: '银行账户',
  sourceId: '资金来源',
  budgetLineId: '预算科目',
  counterparty: '对方单位',
  purpose: '摘要',
  attachments: '附件张数',
};

type VoucherKindInput = CallInput<'custody.vouchers.create'>['kind'];
type VoucherFields = {
  kind: VoucherKindInput;
  date: string;
  amountFen: number;
  orgId?: string | null;
  toOrgId?: string | null;
  bankAccountId?: string | null;
  sourceId?: string | null;
  budgetLineId?: string | null;
  counterparty?: string | null;
  purpose: string;
  attachments?: number | null;
};

/**
 * The one place the voucher call's input is built, from a stored voucher or from the form: each kind keeps only
 * the fields it has (本机构收入 no organization, a transfer no bank account, a budget line only on a disbursement).
 */
function voucherInput(v: VoucherFields) {
  return {
    kind: v.kind,
    date: v.date,
    amountFen: v.amountFen,
    orgId: v.kind === 'income' ? null : (v.orgId ?? null),
    toOrgId: v.kind === 'transfer' ? (v.toOrgId ?? null) : null,
    bankAccountId: v.kind === 'transfer' ? null : (v.bankAccountId ?? null),
    sourceId: v.sourceId ?? null,
    budgetLineId: v.kind === 'disbursement' ? (v.budgetLineId ?? null) : null,
    counterparty: v.counterparty ?? '',
    purpose: v.purpose,
    attachments: v.attachments ?? 0,
  };
}

// a stored voucher's kind is one of the form's (a reversal is never edited)
const voucherInputOf = (v: VoucherRowView): FieldValues => voucherInput({ ...v, kind: v.kind as VoucherKindInput });

function VoucherForm({ initial, onClose }: { initial: VoucherRowView | null; onClose: (id?: string) => void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const { saveVersioned, staleDialog } = useStaleRecovery();
  const { message } = App.useApp();
  const [base, setBase] = useState(initial ? { version: initial.version, input: voucherInputOf(initial) } : null);
  const overview = useCustodyOverview();
  const accounts = useCall('custody.accounts.list', {});
  const sources = useCall('custody.sources.list', {});
  const projects = useCall('custody.projects.list', {});
  const kind = Form.useWatch('kind', form) ?? initial?.kind ?? 'receipt';
  const orgOptions = (accounts.data ?? []).map((a) => ({ value: a.orgId, label: `${a.orgName}（余额 ${formatFen(a.balanceFen)}）` }));
  const lineOptions = (projects.data ?? []).flatMap((p) =>
    p.lines.map((l) => ({ value: l.id, label: `${p.name}／${l.name}（剩余 ${formatFen(l.remainingFen)}）` })),
  );
  const submit = async () => {
    const v = await form.validateFields();
    const input = voucherInput({ ...v, date: v.date.format('YYYY-MM-DD'), amountFen: fenOf(v.amount) });
    type Input = typeof input;
    if (initial && base) {
      const id = initial.id;
      try {
        const saved = await saveVersioned({
          base: base.input,
          version: base.version,
          mine: input as FieldValues,
          labels: VOUCHER_FIELD_LABELS,
          save: (values, version) => call('custody.vouchers.update', { ...(values as Input), id, version }),
          reload: async () => {
            const d = await call('custody.vouchers.get', { id });
            return { values: voucherInputOf(d.voucher), version: d.voucher.version };
          },
          apply: (next) => {
            setBase({ version: next.version, input: next.base });
            const x = next.values as Input;
            form.setFieldsValue({ ...x, date: dayjs(x.date), amount: formatFenPlain(x.amountFen) });
          },
        });
        if (saved) {
          message.success('已保存');
          onClose(id);
        }
      } catch (e) {
        message.error(e instanceof Error ? e.message : String(e));
      }
      return;
    }
    const r = await run(async () => (await call('custody.vouchers.create', input)).id, '已保存');
    if (r) onClose(r);
  };
  return (
    <FormModal form={form} open title={initial ? '修改凭证' : '录入凭证'} onClose={() => onClose()} onOk={submit} confirmLoading={busy} okText="保存草稿" width={640} destroyOnHidden>
      {staleDialog}
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 5 }}
        initialValues={{
          kind: initial?.kind ?? 'receipt',
          date: initial ? dayjs(initial.date) : dayjs(),
          amount: initial ? formatFenPlain(initial.amountFen) : undefined,
          orgId: initial?.orgId ?? undefined,
          toOrgId: initial?.toOrgId ?? undefined,
          bankAccountId: initial?.bankAccountId ?? overview.data?.bankAccounts.find((b) => b.holds === 'custody')?.id,
          sourceId: initial?.sourceId ?? undefined,
          budgetLineId: initial?.budgetLineId ?? undefined,
          counterparty: initial?.counterparty,
          purpose: initial?.purpose,
          attachments: initial?.attachments ?? 0,
        }}
      >
        <Form.Item name="kind" label="类型" rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'receipt', label: '代管拨入（收入）' },
              { value: 'disbursement', label: '代管支出' },
              { value: 'transfer', label: '代管划转（组织之间）' },
              { value: 'income', label: '本机构收入' },
              { value: 'opening', label: '期初余额' },
            ]}
          />
        </Form.Item>
        <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
        {kind !== 'income' && (
          <Form.Item name="orgId" label={kind === 'transfer' ? '划出组织' : '组织'} rules={[{ required: true, message: '请选择组织' }]}>
            <Select showSearch optionFilterProp="label" options={orgOptions} placeholder="选择已开立代管账户的组织" />
          </Form.Item>
        )}
        {kind === 'transfer' && (
          <Form.Item name="toOrgId" label="划入组织" rules={[{ required: true, message: '请选择划入组织' }]}>
            <Select showSearch optionFilterProp="label" options={orgOptions} />
          </Form.Item>
        )}
        {kind !== 'transfer' && (
          <Form.Item
            name="bankAccountId"
            label="银行账户"
            rules={[{ required: true, message: '请选择银行账户' }]}
            extra={kind === 'income' ? '本机构收入只能记入本机构自有账户' : '代管资金只能记入代管资金专户（受托代理资产）'}
          >
            <Select
              options={(overview.data?.bankAccounts ?? [])
                .filter((b) => (kind === 'income' ? b.holds === 'own' : b.holds === 'custody'))
                .map((b) => ({ value: b.id, label: `${b.bankName} ${b.name}（${b.detailCode}）` }))}
              notFoundContent={kind === 'income' ? '还没有本机构自有账户，请先在“设置”中新增' : '还没有代管资金专户'}
            />
          </Form.Item>
        )}
        <Form.Item name="amount" label="金额（元）" rules={moneyRules()} extra="可输入 1234.5、1,234.50、￥1234.50 或全角数字">
          <Input placeholder="0.00" inputMode="decimal" />
        </Form.Item>
        <Form.Item name="sourceId" label="资金来源">
          <Select allowClear options={(sources.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.kindLabel}）` }))} />
        </Form.Item>
        {kind === 'disbursement' && (
          <Form.Item name="budgetLineId" label="预算科目">
            <Select allowClear showSearch optionFilterProp="label" options={lineOptions} />
          </Form.Item>
        )}
        <Form.Item name="counterparty" label="对方单位">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="purpose" label="摘要/用途" rules={[{ required: true, message: '请填写摘要/用途' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="attachments" label="纸质附件(张)" rules={[numberRule({ min: 0, max: 999 })]}>
          <NumberInput min={0} max={999} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function VoucherDrawer({
  id,
  onClose,
  onChanged,
  onEdit,
  onOpen,
}: {
  id: string;
  onClose: () => void;
  onChanged: () => void;
  onEdit: (v: VoucherRowView) => void;
  onOpen: (id: string) => void;
}) {
  const { data, reload } = useCall('custody.vouchers.get', { id }, [id]);
  const { me } = useSession();
  const { run, busy } = useAction({ onStale: () => void reload().then(onChanged) });
  const sendIrreversible = useIrreversibleCall();
  const [reasonFor, setReasonFor] = useState<null | 'reject' | 'override' | 'approve' | 'reverse'>(null);
  const isFinance = useCan('admin', 'accountant');
  const isApprover = useCan('admin', 'approver');
  if (!data) return <Drawer open onClose={onClose} title="凭证" loading size={720} />;
  const v = data.voucher;
  const mine = v.makerId === me.user.id;
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    const r = await run(fn, ok);
    if (r !== undefined) {
      await reload();
      onChanged();
    }
  };
  const buttons: React.ReactNode[] = [];
  if (v.status === 'draft' && isFinance) {
    if (v.kind !== 'reversal') buttons.push(<Button key="edit" onClick={() => onEdit(v)}>修改</Button>);
    buttons.push(<Button key="submit" type="primary" onClick={() => act(() => call('custody.vouchers.submit', { id, version: v.version }), '已提交审批')}>提交审批</Button>);
    buttons.push(
      <Button
        key="del"
        danger
        data-testid="voucher-delete"
        onClick={async () => {
          const what = `${v.date} ${v.orgName ?? ''} ${formatFen(v.amountFen)}`;
          await act(async () => {
            const r = await sendIrreversible('custody.vouchers.delete', { id, version: v.version }, `凭证草稿「${what}」`);
            if (r) onClose();
            return r;
          }, '已删除');
        }}
      >
        删除
      </Button>,
    );
  }
  if ((v.status === 'submitted' || v.status === 'approved') && mine) {
    buttons.push(<Button key="withdraw" onClick={() => act(() => call('custody.vouchers.withdraw', { id, version: v.version }), '已撤回')}>撤回</Button>);
  }
  if (v.status === 'submitted' && isApprover && !mine) {
    buttons.push(
      <Button key="approve" type="primary" onClick={() => (data.violations.length ? setReasonFor('approve') : act(() => call('custody.vouchers.approve', { id, version: v.version }), '已审批'))}>
        审批通过
      </Button>,
    );
    buttons.push(<Button key="reject" onClick={() => setReasonFor('reject')}>退回</Button>);
  }
  if (v.status === 'approved' && isApprover && !mine && data.violations.length > 0 && !v.overrideReason) {
    buttons.push(<Button key="override" onClick={() => setReasonFor('override')}>特批</Button>);
  }
  if (v.status === 'approved' && isFinance) {
    buttons.push(
      <Button
        key="post"
        type="primary"
        data-testid="voucher-post"
        onClick={() => act(() => sendIrreversible('custody.vouchers.post', { id, version: v.version }, `${v.date} ${v.orgName ?? ''} ${formatFen(v.amountFen)}「${v.purpose}」`), '已记账')}
      >
        记账
      </Button>,
    );
  }
  if (v.status === 'posted' && isFinance && v.kind !== 'reversal' && !v.reversedById) {
    buttons.push(<Button key="reverse" danger onClick={() => setReasonFor('reverse')}>冲销</Button>);
  }
  buttons.push(
    <Button key="print" onClick={() => run(async () => { const p = await call('custody.vouchers.print', { ids: [id] }); await printHtml(p.html, p.fileName); })}>
      打印凭证
    </Button>,
  );
  return (
    <Drawer open onClose={onClose} title={`记账凭证 ${v.number ?? '（未记账）'}`} size={760} extra={<StatusTag status={v.status} />}>
      <Space wrap style={{ marginBottom: 12 }}>{buttons}</Space>
      {data.violations.length > 0 && (
        <Alert
          type={v.overrideReason ? 'info' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          message={v.overrideReason ? `已特批（${v.overrideByName}）：${v.overrideReason}` : '记账将超出限额，需审批人特批'}
          description={data.violations.join('；')}
        />
      )}
      {v.rejectReason && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`被退回：${v.rejectReason}`} />}
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="类型">{kindLabel(v.kind)}</Descriptions.Item>
        <Descriptions.Item label="日期">{v.date}</Descriptions.Item>
        <Descriptions.Item label="组织">{v.toOrgName ? `${v.orgName} → ${v.toOrgName}` : (v.orgName ?? '—')}</Descriptions.Item>
        <Descriptions.Item label="金额">
          <Money fen={v.amountFen} strong />
        </Descriptions.Item>
        <Descriptions.Item label="银行账户">{v.bankAccountName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="资金来源">{v.sourceName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="项目/预算科目">{v.projectName ? `${v.projectName}／${v.budgetLineName ?? ''}` : '—'}</Descriptions.Item>
        <Descriptions.Item label="对方单位">{v.counterparty || '—'}</Descriptions.Item>
        <Descriptions.Item label="摘要" span={2}>{v.purpose}</Descriptions.Item>
        <Descriptions.Item label="经办">{v.makerName}</Descriptions.Item>
        <Descriptions.Item label="审批">{v.approverName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="记账">{v.posterName ? `${v.posterName} ${formatDateTime(v.postedAt)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label="附件">{v.attachments} 张</Descriptions.Item>
        {v.reversesId && (
          <Descriptions.Item label="冲销原凭证" span={2}>
            <Typography.Link onClick={() => onOpen(v.reversesId!)}>{v.reversesNumber}</Typography.Link>
          </Descriptions.Item>
        )}
        {v.reversedById && (
          <Descriptions.Item label="已被冲销" span={2}>
            <Typography.Link onClick={() => onOpen(v.reversedById!)}>{v.reversedByNumber ?? '冲销凭证（未记账）'}</Typography.Link>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {data.posted ? '分录' : '记账时将写入的分录'}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="lineNo"
        dataSource={data.lines}
        columns={[
          { title: '科目', render: (_, l) => `${l.accountCode} ${l.accountName}` },
          { title: '明细科目', render: (_, l) => `${l.detailCode} ${l.detailName}` },
          { title: '借方', align: 'right', render: (_, l) => (l.amountFen > 0 ? formatFenPlain(l.amountFen) : '') },
          { title: '贷方', align: 'right', render: (_, l) => (l.amountFen < 0 ? formatFenPlain(-l.amountFen) : '') },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>附件</Typography.Title>
      <Space wrap>
        {data.attachmentFiles.map((a) => (
          <Button key={a.id} size="small" onClick={() => run(async () => downloadBase64(await call('custody.vouchers.attachment', { id: a.id })))}>
            {a.fileName}
          </Button>
        ))}
        {v.status !== 'posted' && isFinance && (
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              void act(async () => call('custody.vouchers.attach', { id, file: await readUpload(file) }), '已上传');
              return false;
            }}
          >
            <Button size="small">上传发票/附件</Button>
          </Upload>
        )}
      </Space>
      <Typography.Title level={5} style={{ marginTop: 16 }}>经办记录</Typography.Title>
      <Timeline items={data.history.map((h) => ({ children: `${formatDateTime(h.at)} ${h.username ?? ''}：${h.summary}` }))} />
      {reasonFor && (
        <ReasonModal
          kind={reasonFor}
          violations={data.violations}
          minDate={v.date}
          busy={busy}
          onCancel={() => setReasonFor(null)}
          onOk={async (reason, date) => {
            const fn =
              reasonFor === 'reject'
                ? () => call('custody.vouchers.reject', { id, version: v.version, reason })
                : reasonFor === 'override'
                  ? () => call('custody.vouchers.override', { id, version: v.version, reason })
                  : reasonFor === 'approve'
                    ? () => call('custody.vouchers.approve', { id, version: v.version, overrideReason: reason })
                    : async () => {
                        const r = await sendIrreversible('custody.vouchers.reverse', { id, reason, date: date! }, `${v.number ?? ''} ${v.date} ${formatFen(v.amountFen)}，冲销原因：${reason}`);
                        if (r) onOpen(r.id);
                        return r;
                      };
            await act(fn, '已完成');
            setReasonFor(null);
          }}
        />
      )}
    </Drawer>
  );
}

function ReasonModal({
  kind,
  violations,
  minDate,
  busy,
  onCancel,
  onOk,
}: {
  kind: 'reject' | 'override' | 'approve' | 'reverse';
  violations: string[];
  minDate: string;
  busy: boolean;
  onCancel: () => void;
  onOk: (reason: string, date?: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [date, setDate] = useState<dayjs.Dayjs | null>(null);
  const title = { reject: '退回凭证', override: '特批', approve: '审批并特批', reverse: '冲销凭证' }[kind];
  return (
    <Modal open title={title} onCancel={onCancel} confirmLoading={busy} onOk={() => onOk(reason, date?.format('YYYY-MM-DD'))} okButtonProps={{ disabled: kind === 'reverse' && !date }}>
      {(kind === 'override' || kind === 'approve') && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="此凭证记账后将超出限额" description={violations.join('；')} />
      )}
      {kind === 'reverse' && (
        <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <Typography.Text>冲销凭证的日期（不能早于 {minDate}，不能在已结账月份）：</Typography.Text>
          <DatePicker value={date} onChange={setDate} disabledDate={(d) => d.format('YYYY-MM-DD') < minDate} />
        </Space>
      )}
      <Input.TextArea
        rows={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={kind === 'reject' ? '退回理由' : kind === 'reverse' ? '冲销原因' : '特批理由（至少 5 个字，将记入审计日志）'}
      />
    </Modal>
  );
}
