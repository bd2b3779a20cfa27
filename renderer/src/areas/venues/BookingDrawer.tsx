import { useCallback, useEffect, useState } from 'react';
import { App, Button, Descriptions, Drawer, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import type { CallOutput } from '@shared/contract';
import { RECURRENCE_LABELS, type RecurrenceKind } from '@shared/venues/recurrence';
import { call } from '../../api/client';
import { useStaleRecovery } from '../../api/staleRecovery';
import { useCan } from '../../app/session';
import { formatDateTime } from '../../lib/format';
import { fromDate, showInterval, StateTag } from './common';
import { useIrreversibleCall } from '../../components/irreversible';

type Scope = 'one' | 'from' | 'all';
const SCOPES: { value: Scope; label: string }[] = [
  { value: 'one', label: '仅此一次' },
  { value: 'from', label: '从此日期起' },
  { value: 'all', label: '整个系列' },
];

/** One booking: details, its series, and the actions the user's roles allow. */
export function BookingDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [data, setData] = useState<CallOutput<'venues.bookings.get'> | null>(null);
  const reload = useCallback(async () => {
    if (id) setData(await call('venues.bookings.get', { id }));
  }, [id]);
  useEffect(() => {
    reload().catch((e) => message.error((e as Error).message));
  }, [reload]);
  const canApprove = useCan('admin', 'approver');
  const canWrite = useCan('admin', 'staff', 'approver');
  const [scope, setScope] = useState<Scope>('one');
  const [cancelOpen, setCancelOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [rejectOpen, setRejectOpen] = useState(false);
  const [rejectReason, setRejectReason] = useState('');
  const sendIrreversible = useIrreversibleCall();
  const [busy, setBusy] = useState(false);
  const { showStale } = useStaleRecovery();
  const b = id && data?.booking.id === id ? data.booking : null;
  const isSeries = (data?.series.length ?? 0) > 1;

  const run = async (fn: () => Promise<CallOutput<'venues.bookings.approve'> | { ok: true } | undefined>, done: string) => {
    setBusy(true);
    try {
      const r = await fn();
      if (!r) return false; // 取消 at the question before an irreversible call: nothing was sent
      if ('skipped' in r && r.skipped.length) {
        Modal.info({
          title: `${done} ${r.changed.length} 次,${r.skipped.length} 次未处理`,
          content: (
            <ul>
              {r.skipped.map((s) => (
                <li key={s.id}>
                  {s.date}:{s.message}
                </li>
              ))}
            </ul>
          ),
        });
      } else message.success(done);
      if ('waitlistFreed' in r && r.waitlistFreed) message.info(`候补名单中有 ${r.waitlistFreed} 个申请的时段已空出,可在「候补名单」中转为预约`);
      await reload();
      onChanged();
      return true;
    } catch (e) {
      // Changed by someone else since it was read: say who and when, and offer to reload it.
      if (!showStale(e, () => void reload().then(onChanged))) message.error((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={!!id} onClose={onClose} title="预约详情" size={620} destroyOnHidden>
      {b && (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="场地">{b.venueName}</Descriptions.Item>
            <Descriptions.Item label="组织">{b.organizationName}</Descriptions.Item>
            <Descriptions.Item label="时间">{showInterval(b.start, b.end)}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <StateTag state={b.state} rejected={b.rejected} />
              {b.cancelReason && (
                <Typography.Text type={b.rejected ? 'danger' : 'secondary'} data-testid="booking-reason">
                  {' '}
                  {b.rejected ? '驳回理由' : '取消原因'}：{b.cancelReason}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="用途">{b.purpose}</Descriptions.Item>
            <Descriptions.Item label="预计人数">{b.expectedAttendance} 人</Descriptions.Item>
            <Descriptions.Item label="重复">
              {RECURRENCE_LABELS[b.recurrenceKind as RecurrenceKind]}
              {data?.recurrence.until ? `,至 ${data.recurrence.until}` : ''}
              {isSeries ? `(共 ${data!.series.length} 次)` : ''}
            </Descriptions.Item>
            {b.source !== 'venues' && <Descriptions.Item label="来源">{b.source === 'training' ? '人员培训' : b.source}</Descriptions.Item>}
            {b.decidedBy && (
              <Descriptions.Item label="处理">
                {b.decidedBy} {formatDateTime(b.decidedAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          {isSeries && (
            <Space>
              <Typography.Text>操作范围:</Typography.Text>
              <Radio.Group optionType="button" size="small" value={scope} onChange={(e) => setScope(e.target.value)} options={SCOPES} />
            </Space>
          )}
          <Space wrap>
            {canApprove && (
              <Button
                type="primary"
                loading={busy}
                disabled={!isSeries && b.state !== 'requested'}
                onClick={() => run(() => call('venues.bookings.approve', { id: b.id, version: b.version, scope: { kind: scope } }), '已批准')}
              >
                批准
              </Button>
            )}
            {canApprove && (
              <Button danger loading={busy} disabled={!isSeries && b.state !== 'requested'} onClick={() => setRejectOpen(true)} data-testid="booking-reject">
                驳回
              </Button>
            )}
            {canWrite && (
              <Button danger loading={busy} disabled={!isSeries && !['requested', 'approved'].includes(b.state)} onClick={() => setCancelOpen(true)}>
                取消预约
              </Button>
            )}
            {canWrite && b.state === 'approved' && b.start <= fromDate(new Date()) && (
              <>
                <Button loading={busy} onClick={() => run(() => call('venues.bookings.record', { id: b.id, version: b.version, outcome: 'used' }), '已登记为已使用')}>
                  登记已使用
                </Button>
                <Button loading={busy} onClick={() => run(() => call('venues.bookings.record', { id: b.id, version: b.version, outcome: 'no_show' }), '已登记为未到场')}>
                  登记未到场
                </Button>
              </>
            )}
          </Space>
          {isSeries && (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data!.series}
              rowClassName={(r) => (r.id === b.id ? 'ant-table-row-selected' : '')}
              columns={[
                { title: '日期时间', render: (_, r) => showInterval(r.start, r.end) },
                { title: '状态', width: 90, render: (_, r) => <StateTag state={r.state} rejected={r.rejected} /> },
              ]}
            />
          )}
        </Space>
      )}
      <Modal
        open={cancelOpen}
        title="取消预约"
        okText="确认取消"
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        cancelText="返回"
        onCancel={() => setCancelOpen(false)}
        onOk={async () => {
          if (b && (await run(() => sendIrreversible('venues.bookings.cancel', { id: b.id, version: b.version, scope: { kind: scope }, reason }, `${b.organizationName} ${b.venueName} ${showInterval(b.start, b.end)}`), '已取消'))) {
            setCancelOpen(false);
            setReason('');
          }
        }}
      >
        <Typography.Paragraph>范围:{SCOPES.find((s) => s.value === scope)?.label}</Typography.Paragraph>
        <Input.TextArea rows={3} placeholder="取消原因(必填)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
      </Modal>
      <Modal
        open={rejectOpen}
        title="驳回预约申请"
        okText="驳回"
        okButtonProps={{ danger: true, disabled: !rejectReason.trim() }}
        cancelText="返回"
        onCancel={() => setRejectOpen(false)}
        onOk={async () => {
          if (
            b &&
            (await run(
              () => sendIrreversible('venues.bookings.reject', { id: b.id, version: b.version, scope: { kind: scope }, reason: rejectReason }, `${b.organizationName} ${b.venueName} ${showInterval(b.start, b.end)}`),
              '已驳回',
            ))
          ) {
            setRejectOpen(false);
            setRejectReason('');
          }
        }}
      >
        <Typography.Paragraph>驳回理由会显示给预约的组织，并记入操作日志。{isSeries ? `范围:${SCOPES.find((s) => s.value === scope)?.label}` : ''}</Typography.Paragraph>
        <Input.TextArea rows={3} aria-label="驳回理由" placeholder="驳回理由(必填)，例如：当天场地用于社区选举" value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} maxLength={200} />
      </Modal>
    </Drawer>
  );
}
