import { downloadBase64 } from '../../lib/files';
import { Alert, Button, Space, Table, Typography } from 'antd';
import type { BackupInfo } from '@shared/contract/admin';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useIrreversibleCall } from '../../components/irreversible';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useSession } from '../../app/session';

const REASONS: Record<string, string> = {
  daily: '每日自动',
  manual: '手动',
  setup: '首次设置后',
  'pre-restore': '恢复前自动',
};
const reasonLabel = (r: string) => REASONS[r] ?? (r.startsWith('pre-migrate') ? '升级前自动' : r);

export function BackupsPage() {
  const { data, reload, loading } = useCall('backups.list', {});
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const { logout } = useSession();
  const restore = async (b: BackupInfo) => {
    const ok = await run(() => sendIrreversible('backups.restore', { fileName: b.fileName }, `用 ${formatDateTime(b.createdAt)} 的备份替换当前数据库`), '已恢复，请重新登录');
    if (ok) await logout();
  };
  return (
    <>
      <PageHeader
        title="备份与恢复"
        sub="每天首次启动时自动备份(保留最近的份数见基地设置)；也可随时手动备份"
        extra={
          <Space>
            <Button
              loading={busy}
              data-testid="export-diagnostics"
              onClick={async () => {
                const file = await run(() => call('system.diagnostics', {}));
                if (file) downloadBase64(file);
              }}
            >
              导出诊断包
            </Button>
            <Button type="primary" loading={busy} onClick={async () => (await run(() => call('backups.create', {}), '备份完成')) && reload()}>
              立即备份
            </Button>
          </Space>
        }
      />
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title="备份文件位于数据目录的 backups 文件夹中，可复制到移动硬盘或其他电脑保存。" />
      <Table<BackupInfo>
        rowKey="fileName"
        size="small"
        loading={loading}
        dataSource={data ?? []}
        pagination={{ pageSize: 15 }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v), width: 170 },
          { title: '类型', dataIndex: 'reason', render: reasonLabel, width: 120 },
          { title: '大小', dataIndex: 'sizeBytes', render: formatBytes, width: 110 },
          { title: '文件', dataIndex: 'fileName', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: '操作',
            width: 100,
            render: (_: unknown, b) => (
              <Space>
                <Button size="small" danger onClick={() => restore(b)}>
                  恢复
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
