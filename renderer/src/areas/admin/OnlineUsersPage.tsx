import { useEffect } from 'react';
import { Button, Table, Tag } from 'antd';
import { useAction, useCall } from '../../api/hooks';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/format';
import { useIrreversibleCall } from '../../components/irreversible';

/** 系统管理 → 在线用户: who is connected, from which address and program, since when; the admin can end a session. */
export function OnlineUsersPage() {
  const { data, reload, loading } = useCall('office.sessions.list', {});
  const { run } = useAction();
  const sendIrreversible = useIrreversibleCall();
  useEffect(() => {
    // Logins and idle locks are no audited changes: the list looks again every few seconds while it is open.
    const t = setInterval(() => void reload(), 5000);
    return () => clearInterval(t);
  }, [reload]);
  return (
    <>
      <PageHeader title="在线用户" sub="连接到本机数据的所有会话(本机窗口、局域网内的电脑和浏览器)" extra={<Button onClick={() => void reload()}>刷新</Button>} />
      <Table
        rowKey="id"
        size="small"
        loading={loading && !data}
        dataSource={data ?? []}
        pagination={false}
        data-testid="online-users"
        columns={[
          { title: '用户', render: (_, r) => `${r.displayName}(${r.username})` },
          { title: '地址', dataIndex: 'address' },
          { title: '程序', dataIndex: 'program' },
          { title: '登录时间', dataIndex: 'since', render: (v: string) => formatDateTime(v) },
          { title: '最后操作', dataIndex: 'lastActivity', render: (v: string) => formatDateTime(v) },
          {
            title: '状态',
            render: (_, r) => (
              <>
                {r.current && <Tag color="blue">当前会话</Tag>}
                {r.locked ? <Tag color="orange">已锁定</Tag> : <Tag color="green">在线</Tag>}
              </>
            ),
          },
          {
            title: '操作',
            render: (_, r) => (
              <Button
                size="small"
                danger
                onClick={() =>
                  run(() => sendIrreversible('office.sessions.end', { id: r.id }, r.current ? '这是您自己的会话，结束后需要重新登录。' : `${r.displayName} 在 ${r.address} 的会话`), '已结束该会话').then(() => reload())
                }
              >
                结束会话
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
