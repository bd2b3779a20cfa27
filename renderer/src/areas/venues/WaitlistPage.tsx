import { useState } from 'react';
import { App, Button, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { Venue, WaitlistRow } from '@shared/contract/venues';
import { WAITLIST_STATE_LABELS } from '@shared/contract/venues';
import { BOOKING_STATE_LABELS } from '@shared/venues/state';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { showInterval } from './common';
import { useIrreversibleCall } from '../../components/irreversible';
import { ListExportButton } from '../../components/ListExport';

/** The waiting list: who waits for which taken slot, in queue order, and whether the slot is free now. */
export function WaitlistPage({ venues }: { venues: Venue[] }) {
  const { message } = App.useApp();
  const sendIrreversible = useIrreversibleCall();
  const canWrite = useCan('admin', 'staff', 'approver');
  const [venueId, setVenueId] = useState<string | undefined>();
  const [includeClosed, setIncludeClosed] = useState(false);
  const list = useCall('venues.waitlist.list', { venueId, includeClosed }, [venueId, includeClosed]);
  const [withdraw, setWithdraw] = useState<WaitlistRow | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const book = async (w: WaitlistRow) => {
    setBusy(true);
    try {
      const r = await call('venues.waitlist.book', { id: w.id });
      message.success(`已转为预约(${BOOKING_STATE_LABELS[r.state]})`);
      await list.reload();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="全部场地"
          style={{ width: 260 }}
          value={venueId}
          onChange={setVenueId}
          showSearch
          optionFilterProp="label"
          options={venues.map((v) => ({ value: v.id, label: v.name }))}
        />
        <Space size={4}>
          <Switch size="small" checked={includeClosed} onChange={setIncludeClosed} />
          <Typography.Text>显示已转预约和已撤回</Typography.Text>
        </Space>
        <ListExportButton list="waitlist" input={{ venueId, includeClosed }} />
        <Typography.Text type="secondary">时段被已批准的预约占用时可加入候补;预约取消后,候补可一键转为预约(按加入顺序排队)。</Typography.Text>
      </Space>
      <Table<WaitlistRow>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.rows ?? []}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: '没有候补' }}
        data-testid="waitlist"
        tableLayout="fixed"
        scroll={{ x: 1100 }}
        columns={[
          { title: '时间', width: 170, render: (_, w) => showInterval(w.start, w.end) },
          { title: '场地', dataIndex: 'venueName', width: 150, ellipsis: true },
          { title: '组织', dataIndex: 'organizationName', width: 150, ellipsis: true },
          { title: '用途', dataIndex: 'purpose', width: 120, ellipsis: true },
          { title: '人数', dataIndex: 'expectedAttendance', width: 60, align: 'right' },
          { title: '排位', width: 70, render: (_, w) => (w.state === 'waiting' ? `第 ${w.position} 位` : '') },
          {
            title: '当前',
            width: 230,
            render: (_, w) =>
              w.state !== 'waiting' ? (
                <Tag>{WAITLIST_STATE_LABELS[w.state]}{w.withdrawReason ? `:${w.withdrawReason}` : ''}</Tag>
              ) : w.expired ? (
                <Tag>已过期</Tag>
              ) : w.blockers.length ? (
                <Typography.Text type="secondary">被占用:{w.blockers.join('、')}</Typography.Text>
              ) : (
                <Tag color="green">时段已空出</Tag>
              ),
          },
          {
            title: '操作',
            width: 150,
            render: (_, w) =>
              canWrite &&
              w.state === 'waiting' && (
                <Space size={4}>
                  <Button size="small" type="primary" disabled={w.expired || w.blockers.length > 0} loading={busy} onClick={() => book(w)}>
                    转为预约
                  </Button>
                  <Button size="small" onClick={() => (setWithdraw(w), setReason(''))}>
                    撤回
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={!!withdraw}
        title="撤回候补"
        okText="确认撤回"
        cancelText="返回"
        okButtonProps={{ disabled: !reason.trim() }}
        onCancel={() => setWithdraw(null)}
        onOk={async () => {
          try {
            const r = await sendIrreversible('venues.waitlist.withdraw', { id: withdraw!.id, reason }, `${withdraw!.organizationName} ${showInterval(withdraw!.start, withdraw!.end)}，撤回原因：${reason}`);
            if (!r) return;
            message.success('已撤回');
            setWithdraw(null);
            await list.reload();
          } catch (e) {
            message.error((e as Error).message);
          }
        }}
      >
        <Input.TextArea rows={3} placeholder="撤回原因(必填)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
      </Modal>
    </>
  );
}
