import { useState } from 'react';
import { Alert, Button, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { SigninImportResult } from '@shared/contract/training';
import { ATTENDANCE_STATUS_LABELS } from '@shared/training/attendance';
import { ApiError, call } from '../../api/client';
import { useAction } from '../../api/hooks';
import { readUpload } from '../../lib/files';
import { hours } from './common';

/** Sign-in sheet import: the preview is the import run as a dry run; rows with errors are listed by row and column. */
export function ImportSheetModal({ sessionId, open, onClose, onDone }: { sessionId: string; open: boolean; onClose: () => void; onDone: () => void }) {
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<SigninImportResult | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const { run, busy } = useAction();
  const reset = () => {
    setFile(null);
    setPreview(null);
    setFileError(null);
  };
  const pick = async (f: File) => {
    reset();
    const up = await readUpload(f);
    setFile(up);
    try {
      setPreview(await call('training.signin.import', { sessionId, file: up, mode: 'preview' }));
    } catch (e) {
      setFileError(e instanceof ApiError ? e.message : String(e));
    }
    return false;
  };
  const commit = async (mode: 'all' | 'validOnly') => {
    if (!file) return;
    const r = await run(() => call('training.signin.import', { sessionId, file, mode }), undefined);
    if (r) {
      Modal.success({ title: '签到表已导入', content: `导入${r.recorded}行，新增学员${r.created}人${r.issues.length ? `，跳过${r.issues.length}处错误` : ''}。` });
      reset();
      onDone();
    }
  };
  return (
    <Modal open={open} title="导入签到表" onCancel={() => { reset(); onClose(); }} footer={null} width={900} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          支持 .xlsx 和 CSV（UTF-8 或 GBK）。列名可为：姓名、手机号、身份证号、人员类别、所属组织、签到时间、状态、迟到分钟、早退分钟、备注。状态留空视为出勤，签到时间晚于开始时间记为迟到。
        </Typography.Text>
        <Upload beforeUpload={pick} showUploadList={false} accept=".xlsx,.csv,.txt">
          <Button icon={<UploadOutlined />}>选择文件</Button>
        </Upload>
        {file && <Typography.Text>文件：{file.name}</Typography.Text>}
        {fileError && <Alert type="error" showIcon message={fileError} />}
        {preview && (
          <>
            <Alert
              type={preview.issues.length ? 'warning' : 'success'}
              showIcon
              message={`共${preview.dataRows}行：可导入${preview.rows.length}行（其中新学员${preview.rows.filter((r) => r.action === 'new').length}人），错误${preview.issues.length}处`}
            />
            {preview.issues.length > 0 && (
              <Table
                size="small"
                rowKey={(r) => `${r.row}-${r.path}-${r.message}`}
                dataSource={preview.issues}
                pagination={{ pageSize: 5 }}
                columns={[
                  { title: '行', dataIndex: 'row', width: 60 },
                  { title: '列', dataIndex: 'path', width: 100 },
                  { title: '问题', dataIndex: 'message' },
                ]}
              />
            )}
            <Table
              size="small"
              rowKey="row"
              dataSource={preview.rows}
              pagination={{ pageSize: 8 }}
              columns={[
                { title: '行', dataIndex: 'row', width: 60 },
                { title: '姓名', dataIndex: 'name', width: 100 },
                { title: '手机号', dataIndex: 'phone', width: 130 },
                { title: '学员', dataIndex: 'action', width: 90, render: (a: string) => (a === 'new' ? <Tag color="gold">新学员</Tag> : <Tag>已有</Tag>) },
                { title: '状态', dataIndex: 'status', width: 80, render: (s: keyof typeof ATTENDANCE_STATUS_LABELS) => ATTENDANCE_STATUS_LABELS[s] },
                { title: '迟到/早退(分)', width: 110, render: (_: unknown, r) => `${r.lateMinutes}/${r.earlyLeaveMinutes}` },
                { title: '计入学时', dataIndex: 'creditedMinutes', width: 90, render: (m: number) => hours(m) },
                { title: '说明', render: (_: unknown, r) => (r.replaces ? '覆盖已有记录' : '') },
              ]}
            />
            <Space>
              <Button type="primary" disabled={preview.issues.length > 0 || preview.rows.length === 0} loading={busy} onClick={() => commit('all')}>
                全部导入
              </Button>
              <Button disabled={preview.rows.length === 0 || preview.issues.length === 0} loading={busy} onClick={() => commit('validOnly')}>
                仅导入无误的{preview.rows.length}行
              </Button>
            </Space>
          </>
        )}
      </Space>
    </Modal>
  );
}
