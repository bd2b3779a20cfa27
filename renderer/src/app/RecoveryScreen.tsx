import { Alert, Button, Card, List, Typography } from 'antd';
import type { BackupInfo } from '@shared/contract/admin';
import { useAction } from '../api/hooks';
import { useIrreversibleCall } from '../components/irreversible';
import { formatBytes, formatDateTime } from '../lib/format';

/** Start-up check failed: offer the newest good backup instead of opening a broken file. */
export function RecoveryScreen({ recovery, onRecovered }: { recovery: { reason: string; backups: BackupInfo[] }; onRecovered: () => void }) {
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const restore = async (fileName: string) => {
    const ok = await run(() => sendIrreversible('system.recover', { fileName }, `恢复备份 ${fileName}`), '已从备份恢复，原文件已保留在数据目录中');
    if (ok) onRecovered();
  };
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 24 }}>
      <Card style={{ width: 640 }} title="数据库检查未通过，需要从备份恢复">
        <Alert type="error" showIcon title="为保护数据，系统没有打开数据库，也不会新建空的基地。" description={recovery.reason} style={{ marginBottom: 16 }} />
        {recovery.backups.length === 0 ? (
          <Typography.Paragraph>
            数据目录中没有可用的备份。请联系技术支持，或使用命令行 <code>npm run cli -- check</code> 查看详情。
          </Typography.Paragraph>
        ) : (
          <>
            <Typography.Paragraph>以下备份均已通过完整性检查。恢复时当前文件会被保留(改名)，不会删除。</Typography.Paragraph>
            <List
              dataSource={recovery.backups}
              renderItem={(b, i) => (
                <List.Item
                  actions={[
                    <Button key="r" type={i === 0 ? 'primary' : 'default'} loading={busy} onClick={() => restore(b.fileName)}>
                      {i === 0 ? '恢复最新的完好备份' : '恢复此备份'}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta title={formatDateTime(b.createdAt)} description={`${b.fileName} · ${formatBytes(b.sizeBytes)}`} />
                </List.Item>
              )}
            />
          </>
        )}
      </Card>
    </div>
  );
}
