import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import type { TableColumnsType } from 'antd';
import type { CallOutput } from '@shared/contract';
import { MATCH_RULE_LABELS } from '@shared/custody/matching';
import { BANK_FORMATS, STATEMENT_FIELD_LABELS, requiredFields, type AmountMode, type StatementField } from '@shared/custody/statement';
import { formatFen, formatFenPlain } from '@shared/money';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { downloadBase64, printHtml, readUpload } from '../../lib/files';
import { Money, monthRange, thisMonth, useCustodyOverview } from './common';
import { useIrreversibleCall } from '../../components/irreversible';

type MatchData = CallOutput<'custody.match.data'>;
type Recon = CallOutput<'custody.reconcile'>;

/** 银行对账: import the statement, match (automatic, then by hand), the 余额调节表, and month close. */
export function BankPage() {
  const overview = useCustodyOverview();
  const [bankId, setBankId] = useState<string | undefined>();
  const [period, setPeriod] = useState(thisMonth().period);
  const [data, setData] = useState<MatchData | null>(null);
  const [recon, setRecon] = useState<Recon | null>(null);
  const [selBank, setSelBank] = useState<string[]>([]);
  const [selEntry, setSelEntry] = useState<string[]>([]);
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [importing, setImporting] = useState(false);
  const [proposals, setProposals] = useState<CallOutput<'custody.match.auto'>['proposals'] | null>(null);
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const canWrite = useCan('admin', 'accountant');
  useEffect(() => {
    if (!bankId && overview.data?.bankAccounts[0]) setBankId(overview.data.bankAccounts[0].id);
  }, [overview.data, bankId]);
  const { from, to } = monthRange(period);
  const load = async () => {
    if (!bankId) return;
    const [d, r] = await Promise.all([call('custody.match.data', { bankAccountId: bankId, from, to }), call('custody.reconcile', { bankAccountId: bankId, asOf: to })]);
    setData(d);
    setRecon(r);
    setSelBank([]);
    setSelEntry([]);
  };
  useEffect(() => {
    void run(load);
  }, [bankId, period]);
  const closed = overview.data?.closedPeriods.includes(period) ?? false;
  const sum = (ids: string[], rows: { id: string; amountFen: number }[]) => rows.filter((r) => ids.includes(r.id)).reduce((s, r) => s + r.amountFen, 0);
  const bankSel = sum(selBank, data?.bankLines ?? []);
  const entrySel = sum(selEntry, data?.entries ?? []);
  const selectedGroup = [...(data?.bankLines ?? []).filter((l) => selBank.includes(l.id)), ...(data?.entries ?? []).filter((e) => selEntry.includes(e.id))].find((x) => x.groupId)?.groupId;
  return (
    // The two pick lists keep a usable height (at 1366×768 the 余额调节表 card used to squeeze them to 0 px):
    // the page scrolls as a whole instead, and each list scrolls under its own sticky header.
    <div data-testid="bank-page" style={{ flex: 1, minHeight: 0, overflowY: 'auto', display: 'flex', flexDirection: 'column' }}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select style={{ width: 240 }} value={bankId} onChange={setBankId} options={(overview.data?.bankAccounts ?? []).map((b) => ({ value: b.id, label: `${b.bankName} ${b.name}` }))} placeholder="银行账户" />
        <DatePicker picker="month" value={dayjs(`${period}-01`)} onChange={(d) => d && setPeriod(d.format('YYYY-MM'))} allowClear={false} />
        {closed && <Tag color="green">已结账</Tag>}
        {canWrite && (
          <>
            <Button onClick={() => setImporting(true)} disabled={!bankId}>导入对账单</Button>
            <Button
              onClick={() =>
                run(async () => {
                  const r = await call('custody.match.auto', { bankAccountId: bankId!, from, to });
                  setProposals(r.proposals);
                })
              }
              disabled={!bankId}
            >
              自动勾对
            </Button>
            <Button
              type="primary"
              disabled={!selBank.length || !selEntry.length || bankSel !== entrySel}
              onClick={() => run(async () => { await call('custody.match.manual', { bankAccountId: bankId!, bankLineIds: selBank, entryIds: selEntry }); await load(); }, '已勾对')}
            >
              手工勾对{selBank.length || selEntry.length ? `（流水 ${formatFen(bankSel)} / 账簿 ${formatFen(entrySel)}）` : ''}
            </Button>
            <Button disabled={!selectedGroup} onClick={() => run(async () => { await call('custody.match.unmatch', { groupId: selectedGroup! }); await load(); }, '已取消勾对')}>
              取消勾对
            </Button>
          </>
        )}
        <Checkbox checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)}>只看未勾对</Checkbox>
      </Space>
      {overview.data && (
        // The same 未对账 list as 工作台 (one definition in the core): a closed month is never listed.
        <div data-testid="bank-unreconciled" style={{ marginBottom: 8 }}>
          {overview.data.unreconciled.length === 0 ? (
            <Typography.Text type="success">近 12 个月没有未对账的月份</Typography.Text>
          ) : (
            <Space wrap size={4}>
              <Typography.Text type="danger">未对账月份：</Typography.Text>
              {overview.data.unreconciled.map((u) => (
                <Tag
                  key={`${u.period}-${u.bankAccountId}`}
                  color={u.period === period && u.bankAccountId === bankId ? 'red' : 'orange'}
                  style={{ cursor: 'pointer' }}
                  data-testid="bank-unreconciled-month"
                  onClick={() => {
                    setBankId(u.bankAccountId);
                    setPeriod(u.period);
                  }}
                >
                  {u.period}
                  {(overview.data?.bankAccounts.length ?? 0) > 1 ? ` ${u.bankAccountName}` : ''}
                </Tag>
              ))}
            </Space>
          )}
        </div>
      )}
      <Row gutter={12} style={{ flex: '1 0 360px', minHeight: 360 }}>
        <Col span={12} style={{ height: '100%', maxHeight: 'max(360px, calc(100vh - 260px))', overflow: 'auto' }} data-testid="bank-lines-pane">
          <Typography.Text strong>银行对账单流水</Typography.Text>
          <Table
            size="small"
            rowKey="id"
            data-testid="bank-lines"
            sticky
            pagination={false}
            dataSource={(data?.bankLines ?? []).filter((l) => !onlyOpen || !l.groupId)}
            rowSelection={{ selectedRowKeys: selBank, onChange: (k) => setSelBank(k as string[]) }}
            columns={[
              { title: '日期', dataIndex: 'date', width: 100 },
              { title: '对方户名', dataIndex: 'counterpartyName', ellipsis: true },
              { title: '摘要', dataIndex: 'summary', ellipsis: true },
              { title: '金额', dataIndex: 'amountFen', align: 'right', width: 120, render: (v: number) => <Money fen={v} /> },
              { title: '', dataIndex: 'groupId', width: 60, render: (g: string | null) => (g ? <Badge status="success" text="已勾" /> : null) },
            ]}
          />
        </Col>
        <Col span={12} style={{ height: '100%', maxHeight: 'max(360px, calc(100vh - 260px))', overflow: 'auto' }} data-testid="ledger-entries-pane">
          <Typography.Text strong>账簿（已记账凭证）</Typography.Text>
          <Table
            size="small"
            rowKey="id"
            data-testid="ledger-entries"
            sticky
            pagination={false}
            dataSource={(data?.entries ?? []).filter((e) => !onlyOpen || !e.groupId)}
            rowSelection={{ selectedRowKeys: selEntry, onChange: (k) => setSelEntry(k as string[]) }}
            columns={[
              { title: '日期', dataIndex: 'date', width: 100 },
              { title: '凭证号', dataIndex: 'number', width: 140 },
              { title: '组织／摘要', render: (_, e) => `${e.orgName ?? ''} ${e.purpose}`, ellipsis: true },
              { title: '金额', dataIndex: 'amountFen', align: 'right', width: 120, render: (v: number) => <Money fen={v} /> },
              { title: '', dataIndex: 'groupId', width: 60, render: (g: string | null) => (g ? <Badge status="success" text="已勾" /> : null) },
            ]}
          />
        </Col>
      </Row>
      {recon && (
        <ReconCard
          recon={recon}
          period={period}
          closed={closed}
          busy={busy}
          onExport={() => run(async () => downloadBase64(await call('custody.reconcile.export', { bankAccountId: bankId!, asOf: to })))}
          onPrint={() => run(async () => { const p = await call('custody.reconcile.print', { bankAccountId: bankId!, asOf: to }); await printHtml(p.html, p.fileName); })}
          onClose={async () => {
            await run(async () => {
              const r = await sendIrreversible('custody.periods.close', { period }, `结账 ${period}`);
              if (r) await overview.reload();
              return r;
            }, `${period} 已结账`);
          }}
        />
      )}
      {importing && bankId && (
        <ImportModal
          bankAccountId={bankId}
          defaultFormat={overview.data?.bankAccounts.find((b) => b.id === bankId)?.formatId}
          onClose={() => {
            setImporting(false);
            void run(load);
          }}
        />
      )}
      {proposals && (
        <Modal
          open
          width={980}
          title="自动勾对结果"
          okText={`确认 ${proposals.length} 组`}
          okButtonProps={{ disabled: proposals.length === 0 }}
          onCancel={() => setProposals(null)}
          onOk={() =>
            run(async () => {
              await call('custody.match.confirm', { bankAccountId: bankId!, pairs: proposals.map(({ bankLineId, entryId }) => ({ bankLineId, entryId })) });
              setProposals(null);
              await load();
            }, '已确认勾对')
          }
        >
          <Typography.Paragraph>
            依次按「流水号/摘要含凭证号」「金额+日期+对方单位」「金额相同（{overview.data?.matchWindowDays ?? 5} 天内）」的规则，找到 {proposals.length} 组一对一的记录。每条记录只会被勾对一次；两笔同额的付款不会合并，可信度低的请逐条核对。
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="bankLineId"
            pagination={{ pageSize: 8 }}
            dataSource={proposals.map((p) => ({ ...p, line: data?.bankLines.find((l) => l.id === p.bankLineId), entry: data?.entries.find((e) => e.id === p.entryId) }))}
            columns={[
              { title: '银行流水', render: (_, p) => `${p.line?.date ?? ''} ${p.line?.counterpartyName ?? ''}` },
              { title: '凭证', render: (_, p) => `${p.entry?.date ?? ''} ${p.entry?.number ?? ''}` },
              { title: '金额', align: 'right', render: (_, p) => formatFen(p.line?.amountFen ?? 0) },
              { title: '规则', width: 150, render: (_, p) => <Tag color={p.rule === 'serial' ? 'green' : p.rule === 'amount_date_counterparty' ? 'blue' : 'default'}>{MATCH_RULE_LABELS[p.rule]}</Tag> },
              { title: '可信度', width: 80, align: 'right', render: (_, p) => <span style={{ color: p.confidence < 60 ? '#c00' : undefined }}>{p.confidence}%</span> },
              { title: '依据', render: (_, p) => <Typography.Text style={{ fontSize: 12 }}>{p.explanation}</Typography.Text> },
            ]}
          />
        </Modal>
      )}
    </div>
  );
}

function ReconCard({ recon, period, closed, busy, onExport, onPrint, onClose }: { recon: Recon; period: string; closed: boolean; busy: boolean; onExport: () => void; onPrint: () => void; onClose: () => void }) {
  const canWrite = useCan('admin', 'accountant');
  const list = (items: Recon['ledgerInNotBank']) =>
    items.length === 0 ? '无' : items.map((i) => <div key={i.id}>{`${i.date} ${i.label}  ${formatFenPlain(Math.abs(i.amountFen))}`}</div>);
  return (
    <Card
      size="small"
      style={{ marginTop: 12, flexShrink: 0 }}
      data-testid="recon-card"
      title={`银行存款余额调节表（截至 ${recon.asOf}）`}
      extra={
        <Space>
          {recon.agrees ? <Tag color="green">调节后余额相符</Tag> : <Tag color="red">不相符，相差 {formatFen(recon.differenceFen)}</Tag>}
          <Button size="small" onClick={onPrint}>打印 / PDF</Button>
          <Button size="small" onClick={onExport}>导出 Excel</Button>
          {canWrite && !closed && (
            <Button size="small" type="primary" disabled={!recon.agrees || busy} onClick={onClose}>
              结账 {period}
            </Button>
          )}
        </Space>
      }
    >
      <Row gutter={24}>
        <Col span={12}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="企业账面余额"><Money fen={recon.ledgerBalanceFen} /></Descriptions.Item>
            <Descriptions.Item label="加：银行已收、企业未收">{list(recon.bankInNotLedger)}</Descriptions.Item>
            <Descriptions.Item label="减：银行已付、企业未付">{list(recon.bankOutNotLedger)}</Descriptions.Item>
            <Descriptions.Item label="调节后余额"><Money fen={recon.adjustedLedgerFen} strong /></Descriptions.Item>
          </Descriptions>
        </Col>
        <Col span={12}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="银行对账单余额"><Money fen={recon.bankBalanceFen} /></Descriptions.Item>
            <Descriptions.Item label="加：企业已收、银行未收">{list(recon.ledgerInNotBank)}</Descriptions.Item>
            <Descriptions.Item label="减：企业已付、银行未付">{list(recon.ledgerOutNotBank)}</Descriptions.Item>
            <Descriptions.Item label="调节后余额"><Money fen={recon.adjustedBankFen} strong /></Descriptions.Item>
          </Descriptions>
        </Col>
      </Row>
      {/不符|不一致|推算/.test(recon.bankBalanceSource) ? (
        <Alert type="warning" showIcon style={{ marginTop: 12 }} data-testid="recon-balance-note" message={recon.bankBalanceSource} />
      ) : (
        <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }} data-testid="recon-balance-note">{recon.bankBalanceSource}</Typography.Paragraph>
      )}
    </Card>
  );
}

function ImportModal({ bankAccountId, defaultFormat, onClose }: { bankAccountId: string; defaultFormat?: string; onClose: () => void }) {
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [formatId, setFormatId] = useState<string>('auto');
  const [preview, setPreview] = useState<CallOutput<'custody.statements.preview'> | null>(null);
  const [validOnly, setValidOnly] = useState(false);
  const [mapping, setMapping] = useState<{ name: string; amountMode: AmountMode; columns: Partial<Record<StatementField, string>> }>({ name: '自定义格式', amountMode: 'split', columns: {} });
  const saved = useCall('custody.statements.mappings', {});
  const { run, busy } = useAction();
  const source = () => ({
    bankAccountId,
    file: file!,
    formatId: formatId === 'auto' ? undefined : formatId,
    mapping: formatId === 'generic' ? mapping : undefined,
  });
  const doPreview = (f = file) =>
    f && run(async () => setPreview(await call('custody.statements.preview', { ...source(), file: f, replacesPreviewId: preview?.previewId ?? undefined })));
  const fields: StatementField[] = [...requiredFields(mapping.amountMode), 'balance', 'counterpartyName', 'summary', 'serial'];
  return (
    <Modal
      open
      width={980}
      title="导入银行对账单"
      onCancel={onClose}
      okText={preview ? `导入 ${preview.newCount} 条新流水` : '导入'}
      okButtonProps={{ disabled: !preview || (preview.issues.some((i) => !i.message.includes('早于账户启用日期')) && !validOnly) || preview.newCount === 0 }}
      confirmLoading={busy}
      onOk={() =>
        run(async () => {
          const r = await call('custody.statements.import', { ...source(), validOnly, saveMapping: formatId === 'generic', previewId: preview?.previewId ?? undefined });
          onClose();
          return r;
        }, '已导入')
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 200 }}
          value={formatId}
          onChange={(v) => {
            setFormatId(v);
            setPreview(null);
          }}
          options={[
            { value: 'auto', label: `自动识别${defaultFormat ? '' : ''}` },
            ...BANK_FORMATS.map((f) => ({ value: f.id, label: f.name })),
            { value: 'generic', label: '其他银行（自定义列）' },
          ]}
        />
        <Upload
          accept=".csv,.txt,.xlsx,.xls,.et,.htm,.html,.pdf"
          showUploadList={false}
          beforeUpload={async (f) => {
            const u = await readUpload(f);
            setFile(u);
            void doPreview(u);
            return false;
          }}
        >
          <Button>{file ? file.name : '选择文件（CSV/xlsx/xls/PDF，GBK 或 UTF-8）'}</Button>
        </Upload>
        {file && <Button onClick={() => doPreview()}>重新预览</Button>}
      </Space>
      {formatId === 'generic' && (
        <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item label="已保存">
            <Select
              style={{ width: 160 }}
              allowClear
              options={(saved.data ?? []).map((m) => ({ value: m.key, label: m.name }))}
              onChange={(k) => {
                const m = saved.data?.find((x) => x.key === k);
                if (m) setMapping({ name: m.name, amountMode: m.amountMode, columns: m.columns });
              }}
            />
          </Form.Item>
          <Form.Item label="名称">
            <Input value={mapping.name} onChange={(e) => setMapping({ ...mapping, name: e.target.value })} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item label="金额">
            <Select
              style={{ width: 170 }}
              value={mapping.amountMode}
              onChange={(v) => setMapping({ ...mapping, amountMode: v })}
              options={[
                { value: 'split', label: '收入、支出分两列' },
                { value: 'signed', label: '一列（负数为支出）' },
                { value: 'direction', label: '一列 + 借贷标志' },
              ]}
            />
          </Form.Item>
          {fields.map((f) => (
            <Form.Item key={f} label={STATEMENT_FIELD_LABELS[f]}>
              <Select
                style={{ width: 140 }}
                allowClear
                value={mapping.columns[f]}
                onChange={(v) => setMapping({ ...mapping, columns: { ...mapping.columns, [f]: v } })}
                options={(preview?.headers ?? []).filter(Boolean).map((h) => ({ value: h, label: h }))}
                placeholder="表头中的列"
              />
            </Form.Item>
          ))}
        </Form>
      )}
      {preview && (
        <>
          <Alert
            style={{ marginBottom: 8 }}
            type={preview.issues.length ? 'warning' : 'success'}
            showIcon
            message={`格式：${preview.formatName}${preview.encoding ? `（${preview.encoding}）` : ''}，表头在第 ${preview.headerRow} 行；新流水 ${preview.newCount} 条，已导入过 ${preview.duplicateCount} 条，跳过 ${preview.skippedCount} 行`}
            description={
              preview.issues.length > 0 && (
                <div style={{ maxHeight: 120, overflow: 'auto' }} data-testid="statement-issues">
                  {preview.issues.map((i, k) => (
                    <div key={k}>{i.message}</div>
                  ))}
                  {preview.issueCount > preview.issues.length && <div>……共 {preview.issueCount} 处错误,以上为前 {preview.issues.length} 处</div>}
                </div>
              )
            }
          />
          {preview.balanceBreaks.length > 0 && (
            <Alert
              style={{ marginBottom: 8 }}
              type="warning"
              showIcon
              message={`余额列不连续的行：${preview.balanceBreaks.map((b) => b.row).join('、')}${preview.balanceBreakCount > preview.balanceBreaks.length ? ` 等共 ${preview.balanceBreakCount} 处` : ''}（可能缺少流水或顺序为倒序）`}
            />
          )}
          {preview.issues.length > 0 && (
            <Checkbox checked={validOnly} onChange={(e) => setValidOnly(e.target.checked)} style={{ marginBottom: 8 }}>
              只导入没有错误的行
            </Checkbox>
          )}
          <StatementLinesTable
            preview={preview}
            columns={[
              { title: '行', dataIndex: 'row', width: 60 },
              { title: '日期', dataIndex: 'date', width: 105 },
              { title: '对方户名', dataIndex: 'counterpartyName' },
              { title: '摘要', dataIndex: 'summary' },
              { title: '金额', dataIndex: 'amountFen', align: 'right', render: (v: number) => <Money fen={v} /> },
              { title: '余额', dataIndex: 'balanceFen', align: 'right', render: (v: number | null) => (v === null ? '' : formatFenPlain(v)) },
              { title: '', dataIndex: 'duplicate', width: 80, render: (d: boolean) => (d ? <Tag>已导入</Tag> : <Tag color="blue">新</Tag>) },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

type StatementPreview = CallOutput<'custody.statements.preview'>;
type StatementPreviewLine = StatementPreview['lines'][number];
const LINES_PAGE = 8;

/**
 * The preview's lines, 8 a page: the preview sends the first lines (all of a small statement); the pages after them
 * come from the lines it kept in the core (`custody.statements.previewLines`), so a 100,000-line statement is never
 * sent whole.
 */
function StatementLinesTable({ preview, columns }: { preview: StatementPreview; columns: TableColumnsType<StatementPreviewLine> }) {
  const [page, setPage] = useState(1);
  const [fetched, setFetched] = useState<{ key: string; lines: StatementPreviewLine[] } | null>(null);
  const from = (page - 1) * LINES_PAGE;
  const own = preview.previewId === null || from + LINES_PAGE <= preview.lines.length;
  const key = `${preview.previewId}|${page}`;
  useEffect(() => setPage(1), [preview]);
  useEffect(() => {
    if (own || fetched?.key === key) return;
    let live = true;
    void call('custody.statements.previewLines', { previewId: preview.previewId!, offset: from, limit: LINES_PAGE }).then(
      (r) => live && setFetched({ key, lines: r.lines }),
      () => live && setFetched({ key, lines: [] }),
    );
    return () => {
      live = false;
    };
  }, [key, own, from, preview.previewId, fetched?.key]);
  return (
    <div data-testid="statement-lines">
      <Table
        size="small"
        rowKey="row"
        loading={!own && fetched?.key !== key}
        dataSource={own ? preview.lines.slice(from, from + LINES_PAGE) : fetched?.key === key ? fetched.lines : []}
        pagination={{ current: page, pageSize: LINES_PAGE, total: preview.lineCount, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPage }}
        columns={columns}
      />
    </div>
  );
}
