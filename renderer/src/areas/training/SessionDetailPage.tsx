import { useEffect, useState } from 'react';
import { Button, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import { NumberInput, numberRule } from '../../components/NumberInput';
import { useNavigate, useParams } from 'react-router-dom';
import type { AttendanceRow } from '@shared/contract/training';
import { ATTENDANCE_STATUSES, ATTENDANCE_STATUS_LABELS, type AttendanceStatus } from '@shared/training/attendance';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { downloadBase64, printHtml } from '../../lib/files';
import { formatDateTime } from '../../lib/format';
import { hours, StatusTag, useTrainingDicts } from './common';
import { ImportSheetModal } from './ImportSheetModal';
import { SessionForm } from './SessionForm';
import { TraineePicker } from './TraineePicker';
import { useIrreversibleCall } from '../../components/irreversible';

const BOOKING_LABELS: Record<string, string> = { requested: '待审批', approved: '已批准', used: '已使用', no_show: '未使用', cancelled: '已取消' };

export function SessionDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const dicts = useTrainingDicts();
  const canWrite = useCan('admin', 'staff');
  const { data: s, reload } = useCall('training.sessions.get', { id }, [id]);
  const { data: rows, reload: reloadRows, loading } = useCall('training.attendance.list', { sessionId: id }, [id]);
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const [editing, setEditing] = useState(false);
  const [importing, setImporting] = useState(false);
  const [registering, setRegistering] = useState<string[]>([]);
  const [edit, setEdit] = useState<AttendanceRow | null>(null);
  const [cancelReason, setCancelReason] = useState('');
  const refresh = () => {
    void reload();
    void reloadRows();
  };
  if (!s) return null;
  const cancelled = s.status === 'cancelled';
  const print = async (serials: string[]) => {
    const r = await run(() => call('training.certificates.print', { serials }));
    if (r) await printHtml(r.html, r.fileName);
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1, overflow: 'auto' }}>
      <Space style={{ margin: '4px 0 8px' }} wrap>
        <Button onClick={() => navigate('/training/sessions')}>返回列表</Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {s.title}
        </Typography.Title>
        {cancelled && <Tag>已取消</Tag>}
      </Space>
      <Descriptions size="small" bordered column={3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="日期">{`${s.date} ${s.startTime ?? ''}`}</Descriptions.Item>
        <Descriptions.Item label="学时">{hours(s.minutes)} 小时</Descriptions.Item>
        <Descriptions.Item label="授课人">{s.trainer}</Descriptions.Item>
        <Descriptions.Item label="类别">{dicts.category(s.category)}</Descriptions.Item>
        <Descriptions.Item label="形式">{dicts.format(s.format)}</Descriptions.Item>
        <Descriptions.Item label="容量">{s.capacity ?? '不限'}</Descriptions.Item>
        <Descriptions.Item label="场地">
          {s.venueName ? `${s.venueName}（${BOOKING_LABELS[s.bookingState ?? ''] ?? '未预约'}）` : (s.location ?? '—')}
        </Descriptions.Item>
        <Descriptions.Item label="主办方">{s.organizerId ? `${s.organizerName ?? '—'}承办` : '本基地主办'}</Descriptions.Item>
        <Descriptions.Item label="人数">{`报名 ${s.registered} · 出勤 ${s.attended} · 证书 ${s.certificates}`}</Descriptions.Item>
      </Descriptions>
      {canWrite && !cancelled && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button type="primary" onClick={() => navigate(`/training/signin/${s.id}`)}>
            快速签到
          </Button>
          <Button onClick={() => setImporting(true)}>导入签到表</Button>
          <Button onClick={async () => { const f = await run(() => call('training.signin.template', { sessionId: s.id })); if (f) downloadBase64(f); }}>下载签到表</Button>
          <Space.Compact>
            <TraineePicker multiple value={registering} onChange={(v) => setRegistering(v as string[])} style={{ width: 320 }} placeholder="查找学员报名" />
            <Button
              disabled={!registering.length}
              onClick={async () => {
                const r = await run(() => call('training.registrations.add', { sessionId: s.id, traineeIds: registering }), '已报名');
                if (r) { setRegistering([]); refresh(); }
              }}
            >
              报名
            </Button>
          </Space.Compact>
          <Popconfirm title="把已报名但没有签到记录的学员记为缺勤？" onConfirm={async () => { const r = await run(() => call('training.attendance.markAbsent', { sessionId: s.id })); if (r) { Modal.info({ title: `已记缺勤 ${r.marked} 人` }); refresh(); } }}>
            <Button>未签到记为缺勤</Button>
          </Popconfirm>
          <Button
            onClick={async () => {
              const r = await run(() => sendIrreversible('training.certificates.issue', { sessionId: s.id }, `「${s.title}」${s.date}`));
              if (r) { Modal.success({ title: `已颁发结业证书 ${r.issued.length} 份`, content: r.skipped ? `${r.skipped}人未达结业要求或已有证书` : undefined }); refresh(); }
            }}
          >
            颁发结业证书
          </Button>
          <Button disabled={!rows?.some((r) => r.certificateSerial)} onClick={() => print(rows!.filter((r) => r.certificateSerial).map((r) => r.certificateSerial!))}>
            打印全部证书
          </Button>
          <Button onClick={() => setEditing(true)}>修改场次</Button>
          <Popconfirm
            title={<Input placeholder="取消原因(必填)" aria-label="取消原因" value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />}
            okText="继续"
            cancelText="不取消"
            okButtonProps={{ disabled: !cancelReason.trim() }}
            onConfirm={async () => { const r = await run(() => sendIrreversible('training.sessions.cancel', { id: s.id, reason: cancelReason }, `「${s.title}」${s.date}，取消原因：${cancelReason}`), '已取消场次'); if (r) refresh(); }}
          >
            <Button danger>取消场次</Button>
          </Popconfirm>
        </Space>
      )}
      <Table<AttendanceRow>
        size="small"
        rowKey="traineeId"
        loading={loading}
        dataSource={rows ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 1500 }}
        locale={{ emptyText: '尚无报名或签到：可在上方报名学员、快速签到或导入签到表' }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 110, fixed: 'left' },
          { title: '手机号', dataIndex: 'phone', width: 130 },
          { title: '人员类别', dataIndex: 'role', width: 150, render: (r: string) => dicts.role(r) },
          { title: '组织/单位', dataIndex: 'organizationName', width: 200, ellipsis: true },
          { title: '报名', dataIndex: 'registered', width: 60, render: (v: boolean) => (v ? '是' : '现场') },
          { title: '状态', dataIndex: 'status', width: 80, render: (v: AttendanceStatus | null) => <StatusTag status={v} /> },
          { title: '签到时间', dataIndex: 'signedInAt', width: 140, render: (v: string | null) => formatDateTime(v) },
          { title: '迟到/早退', width: 90, render: (_, r) => (r.status ? `${r.lateMinutes}/${r.earlyLeaveMinutes}分` : '') },
          { title: '计入学时', dataIndex: 'creditedMinutes', width: 80, render: (m: number, r) => (r.status ? hours(m) : '') },
          { title: '结业', dataIndex: 'completed', width: 60, render: (v: boolean, r) => (r.status ? (v ? '是' : '否') : '') },
          { title: '证书编号', dataIndex: 'certificateSerial', width: 140 },
          { title: '备注', dataIndex: 'remark', width: 140, ellipsis: true },
          {
            title: '',
            width: 130,
            fixed: 'right',
            render: (_, r) => (
              <Space size={4}>
                {canWrite && !cancelled && (
                  <Button size="small" type="link" onClick={() => setEdit(r)}>
                    出勤
                  </Button>
                )}
                {r.certificateSerial && (
                  <Button size="small" type="link" onClick={() => print([r.certificateSerial!])}>
                    打印证书
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <SessionForm open={editing} session={s} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); refresh(); }} />
      <ImportSheetModal sessionId={s.id} open={importing} onClose={() => setImporting(false)} onDone={() => { setImporting(false); refresh(); }} />
      <AttendanceEditModal row={edit} sessionId={s.id} busy={busy} onClose={() => setEdit(null)} onSave={async (v) => { const r = await run(() => call('training.attendance.set', { sessionId: s.id, traineeId: edit!.traineeId, ...v }), '已保存'); if (r) { setEdit(null); refresh(); } }} />
    </div>
  );
}

type EditValues = { status: AttendanceStatus; lateMinutes: number; earlyLeaveMinutes: number; remark: string | null };

function AttendanceEditModal({ row, busy, onClose, onSave }: { row: AttendanceRow | null; sessionId: string; busy: boolean; onClose: () => void; onSave: (v: EditValues) => void }) {
  const [form] = Form.useForm<EditValues>();
  useEffect(() => {
    if (row) form.setFieldsValue({ status: row.status ?? 'present', lateMinutes: row.lateMinutes, earlyLeaveMinutes: row.earlyLeaveMinutes, remark: row.remark });
  }, [row, form]);
  return (
    <FormModal form={form}
      open={!!row}
      title={`出勤情况：${row?.name ?? ''}`}
      onClose={onClose}
      onOk={async () => onSave(await form.validateFields())}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="status" label="状态" rules={[{ required: true }]}>
          <Select options={ATTENDANCE_STATUSES.map((s) => ({ value: s, label: ATTENDANCE_STATUS_LABELS[s] }))} />
        </Form.Item>
        <Space>
          <Form.Item name="lateMinutes" label="迟到(分钟)" rules={[numberRule({ min: 0, max: 1440 })]}>
            <NumberInput min={0} max={1440} />
          </Form.Item>
          <Form.Item name="earlyLeaveMinutes" label="早退(分钟)" rules={[numberRule({ min: 0, max: 1440 })]}>
            <NumberInput min={0} max={1440} />
          </Form.Item>
        </Space>
        <Form.Item name="remark" label="备注(如请假原因)">
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
