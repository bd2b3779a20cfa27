import { useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { downloadBase64 } from '../../lib/files';

type Format = 'yonyou' | 'kingdee' | 'xlsx';
const FORMATS: { value: Format; label: string; help: string }[] = [
  { value: 'yonyou', label: '用友 T3/U8 凭证引入（txt）', help: '逗号分隔、GBK 编码，在用友「总账工具 → 凭证引入」中引入' },
  { value: 'kingdee', label: '金蝶 KIS 凭证引入（xls）', help: 'Excel 97-2003 格式，在金蝶 KIS「凭证引入」中选择 Excel 文件。每张表最多 65535 行分录，超过时分为几张表（凭证1、凭证2…），同一张凭证不拆到两张表，请逐张表引入' },
  { value: 'xlsx', label: '普通 Excel（xlsx）', help: '每条分录一行，含本系统科目与对照后的科目' },
];

/** 导出凭证: posted vouchers of a date range, for the hub's accounting software, codes through the 科目对照. */
export function VoucherExportButton() {
  const [open, setOpen] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs().endOf('month')]);
  const [format, setFormat] = useState<Format>('yonyou');
  const { run, busy } = useAction();
  return (
    <>
      <Button onClick={() => setOpen(true)}>导出凭证</Button>
      {open && (
        <Modal
          open
          title="导出已记账凭证"
          okText="导出"
          confirmLoading={busy}
          onCancel={() => setOpen(false)}
          onOk={async () => {
            const ok = await run(async () => {
              downloadBase64(await call('custody.vouchers.export', { format, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') }));
              return true;
            });
            if (ok) setOpen(false);
          }}
        >
          <Form layout="vertical">
            <Form.Item label="凭证日期">
              <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
            </Form.Item>
            <Form.Item label="格式" extra={FORMATS.find((f) => f.value === format)?.help}>
              <Radio.Group value={format} onChange={(e) => setFormat(e.target.value as Format)}>
                <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                  {FORMATS.map((f) => (
                    <Radio key={f.value} value={f.value}>
                      {f.label}
                    </Radio>
                  ))}
                </div>
              </Radio.Group>
            </Form.Item>
          </Form>
          <Typography.Text type="secondary">科目编码按「科目对照」换成本单位总账软件的科目；未设置对照的科目按本系统编码导出。</Typography.Text>
        </Modal>
      )}
    </>
  );
}

interface MapRow {
  ourCode: string;
  ourName: string;
  level: number;
  theirCode: string;
  theirName: string;
}

/** 科目对照: our accounts → the hub's chart codes, edited in place and saved together. */
export function AccountMapPage() {
  const list = useCall('custody.accountMap.list', {}, []);
  const canWrite = useCan('admin', 'accountant');
  const [edits, setEdits] = useState<Record<string, { theirCode: string; theirName: string }>>({});
  const { run, busy } = useAction();
  const rows: MapRow[] = (list.data ?? []).map((r) => ({ ...r, ...edits[r.ourCode] }));
  const changed = Object.keys(edits);
  const edit = (code: string, patch: Partial<{ theirCode: string; theirName: string }>) => {
    const cur = rows.find((r) => r.ourCode === code)!;
    setEdits((e) => ({ ...e, [code]: { theirCode: cur.theirCode, theirName: cur.theirName, ...patch } }));
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message="导出凭证时，本系统科目换成下表中的对方科目编码。一级科目（如 2601）的对照会替换其明细科目的前缀：2601 → 220101 时 26010003 导出为 2201010003。留空表示按本系统编码导出。"
      />
      <Space style={{ marginBottom: 12 }}>
        {canWrite && (
          <Button
            type="primary"
            disabled={changed.length === 0}
            loading={busy}
            onClick={() =>
              run(async () => {
                await call('custody.accountMap.save', { rows: changed.map((c) => ({ ourCode: c, theirCode: edits[c].theirCode.trim(), theirName: edits[c].theirName.trim() })) });
                setEdits({});
                list.reload();
              }, '科目对照已保存')
            }
          >
            保存对照（{changed.length}）
          </Button>
        )}
      </Space>
      <div style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
        <Table<MapRow>
          size="small"
          rowKey="ourCode"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '本系统科目编码', dataIndex: 'ourCode', width: 140 },
            { title: '本系统科目名称', dataIndex: 'ourName', render: (v: string, r) => (r.level === 1 ? <b>{v}</b> : v) },
            {
              title: '对方科目编码',
              dataIndex: 'theirCode',
              width: 180,
              render: (v: string, r) => <Input size="small" value={v} disabled={!canWrite} aria-label={`${r.ourCode} 对方科目编码`} onChange={(e) => edit(r.ourCode, { theirCode: e.target.value })} />,
            },
            {
              title: '对方科目名称',
              dataIndex: 'theirName',
              width: 260,
              render: (v: string, r) => <Input size="small" value={v} disabled={!canWrite} aria-label={`${r.ourCode} 对方科目名称`} onChange={(e) => edit(r.ourCode, { theirName: e.target.value })} />,
            },
          ]}
        />
      </div>
    </div>
  );
}
