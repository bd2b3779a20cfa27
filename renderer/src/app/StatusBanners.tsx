import { useState } from 'react';
import { Alert } from 'antd';
import type { CallOutput } from '@shared/contract';

type Status = CallOutput<'system.status'>;

/**
 * Above every screen: the read-only banner when the data folder cannot be written (disk full, read-only folder
 * or file), and what the start-up did that users should know (a skipped backup, a repaired index, a finished
 * restore), each closable.
 */
export function StatusBanners({ status }: { status: Status }) {
  const [closed, setClosed] = useState<string[]>([]);
  const notices = status.notices.filter((n) => !closed.includes(n.at + n.message));
  if (!status.readOnly && notices.length === 0) return null;
  return (
    <div data-testid="status-banners">
      {status.readOnly && (
        <Alert
          banner
          type="warning"
          data-testid="read-only-banner"
          title={`查看可以，不能保存：${status.readOnly.reason}`}
          description="请腾出磁盘空间或取消数据目录的只读设置，然后重新启动程序。"
        />
      )}
      {notices.map((n) => (
        <Alert
          key={n.at + n.message}
          banner
          type="info"
          closable={{ onClose: () => setClosed((c) => [...c, n.at + n.message]) }}
          title={n.message}
        />
      ))}
    </div>
  );
}
