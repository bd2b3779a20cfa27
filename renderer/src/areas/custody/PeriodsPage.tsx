import { useState } from 'react';
import { Alert, Button, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { daysInMonth } from '@shared/dates/parse';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useIrreversibleCall } from '../../components/irreversible';
import { useCan } from '../../app/session';
import { formatDateTime } from '../../lib/format';
import { downloadBase64, printHtml } from '../../lib/files';
import { ListExportButton } from '../../components/ListExport';

const lastDay = (period: string) => `${period}-${String(daysInMonth(Number(period.slice(0, 4)), Number(period.slice(5, 7)))).padStart(2, '0')}`;

/**
 * 会计期间: close a reconciled month (on the 银行对账 tab) and, as admin, reopen it with a reason; print a month's
 * vouchers for binding and export them (with the standard account codes) for the general accounting software.
 */
export function PeriodsPage() {
  const periods = useCall('custody.periods.list', {});
  const isAdmin = useCan('admin');
  const canClose = useCan('admin', 'accountant');
  const [reopen, setReopen] = useState<string | null>(null);
  const sendIrreversible = useIrreversibleCall();
  const [reason, setReason] = useState('');
  const { run, busy } = useAction();
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message="结账前：该月所有凭证已记账，每个银行账户的余额调节表相符，更早的月份已结账。已结账月份不接受任何凭证、冲销或取消勾对；反结账由系统管理员填写理由后进行，并记入审计日志。"
      />
      <div style={{ marginBottom: 8 }}>
        <ListExportButton list="periods" />
      </div>
      <Table
        size="small"
        rowKey="period"
        pagination={false}
        dataSource={periods.data ?? []}
        columns={[
          { title: '期间', dataIndex: 'period', width: 100 },
          { title: '状态', dataIndex: 'closed', width: 90, render: (c: boolean) => (c ? <Tag color="green">已结账</Tag> : <Tag>未结账</Tag>) },
          { title: '凭证数', dataIndex: 'voucherCount', width: 90 },
          { title: '未记账', dataIndex: 'unpostedCount', width: 90 },
          { title: '结账', render: (_, p) => (p.closedAt ? `${p.closedByName ?? ''} ${formatDateTime(p.closedAt)}` : '') },
          { title: '反结账理由', dataIndex: 'reopenReason', render: (r: string | null) => r ?? '' },
          {
            title: '凭证',
            width: 200,
            render: (_, p) =>
              p.voucherCount > p.unpostedCount && (
                <Space size={4}>
                  <Button size="small" onClick={() => run(async () => { const r = await call('custody.vouchers.printPeriod', { period: p.period }); await printHtml(r.html, r.fileName); })}>
                    打印凭证
                  </Button>
                  <Button size="small" onClick={() => run(async () => downloadBase64(await call('custody.vouchers.export', { from: `${p.period}-01`, to: lastDay(p.period) })))}>
                    导出 Excel
                  </Button>
                </Space>
              ),
          },
          {
            title: '',
            width: 100,
            render: (_, p) =>
              p.closed ? (
                isAdmin && (
                  <Button size="small" danger onClick={() => { setReopen(p.period); setReason(''); }}>
                    反结账
                  </Button>
                )
              ) : (
                canClose && (
                  <Button
                    size="small"
                    data-testid="period-close"
                    onClick={async () => {
                      await run(async () => {
                        const r = await sendIrreversible('custody.periods.close', { period: p.period }, `结账 ${p.period}`);
                        if (r) await periods.reload();
                        return r;
                      }, `${p.period} 已结账`);
                    }}
                  >
                    结账
                  </Button>
                )
              ),
          },
        ]}
      />
      {reopen && (
        <Modal
          open
          title={`反结账 ${reopen}`}
          confirmLoading={busy}
          onCancel={() => setReopen(null)}
          onOk={() =>
            run(async () => {
              const r = await sendIrreversible('custody.periods.reopen', { period: reopen, reason }, `反结账 ${reopen}，理由：${reason}`);
              if (r) {
                setReopen(null);
                await periods.reload();
              }
              return r;
            }, '已反结账')
          }
        >
          <Typography.Paragraph>反结账后该月可以补录和冲销凭证。请写明理由（至少 5 个字）：</Typography.Paragraph>
          <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Modal>
      )}
    </div>
  );
}
