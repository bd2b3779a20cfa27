import { useMemo, useState } from 'react';
import { Button, Checkbox, Form, Input, Modal, Space, Switch, Tag } from 'antd';
import { FormModal } from '../../components/forms';
import { PlusOutlined } from '@ant-design/icons';
import type { UserRow } from '@shared/contract/admin';
import { ROLES, ROLE_LABELS, type Role } from '@shared/roles';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useIrreversibleCall } from '../../components/irreversible';
import { DataGrid, type ColDef } from '../../components/DataGrid';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/format';
import { ListExportButton } from '../../components/ListExport';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function UsersPage() {
  const { data, reload } = useCall('users.list', {});
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const columns = useMemo<ColDef<UserRow>[]>(
    () => [
      { field: 'username', headerName: '用户名', width: 130 },
      { field: 'displayName', headerName: '姓名', flex: 1 },
      {
        field: 'roles',
        headerName: '角色',
        flex: 1.4,
        cellRenderer: (p: { value: Role[] }) => p.value.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>),
      },
      {
        field: 'disabled',
        headerName: '状态',
        width: 110,
        cellRenderer: (p: { data: UserRow }) =>
          p.data.disabled ? <Tag color="default">已停用</Tag> : p.data.lockedUntil && new Date(p.data.lockedUntil) > new Date() ? <Tag color="red">已锁定</Tag> : <Tag color="green">启用</Tag>,
      },
      { field: 'lastLoginAt', headerName: '最近登录', width: 160, valueFormatter: (p) => formatDateTime(p.value) },
      {
        headerName: '操作',
        width: 190,
        sortable: false,
        cellRenderer: (p: { data: UserRow }) => (
          <Space>
            <Button size="small" onClick={() => setEditing(p.data)}>
              编辑
            </Button>
            <Button size="small" onClick={() => setResetting(p.data)}>
              重置密码
            </Button>
          </Space>
        ),
      },
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="用户"
        sub="角色：系统管理员、孵化专员、会计/出纳、审批人、只读查看；一个用户可兼任多个角色"
        extra={
          <Space>
            <ListExportButton list="users" />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              新建用户
            </Button>
          </Space>
        }
      />
      <div className="page-fill">
        <DataGrid<UserRow> rowData={data ?? []} columnDefs={columns} getRowId={(p) => p.data.id} />
      </div>
      {editing && <UserDialog user={editing === 'new' ? null : editing} onClose={(changed) => { setEditing(null); if (changed) void reload(); }} />}
      {resetting && <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}

function UserDialog({ user, onClose }: { user: UserRow | null; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction({ onStale: () => onClose(true) });
  const sendIrreversible = useIrreversibleCall();
  return (
    <FormModal form={form}
      open
      title={user ? `编辑用户「${user.username}」` : '新建用户'}
      okText="保存"
      confirmLoading={busy}
      onClose={() => onClose(false)}
      onOk={async () => {
        const v = await form.validateFields();
        const ok = user
          ? await run(() => sendIrreversible('users.update', { id: user.id, version: user.version, displayName: v.displayName, roles: v.roles, disabled: !v.enabled }, `用户「${user.username}」${user.displayName}`), '已保存')
          : await run(() => call('users.create', { username: v.username, displayName: v.displayName, roles: v.roles, password: v.password }), '用户已创建');
        if (ok) onClose(true);
      }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={user ? { displayName: user.displayName, roles: user.roles, enabled: !user.disabled } : { roles: ['staff'], enabled: true }}
      >
        {!user && (
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请填写用户名' }, { pattern: /^[A-Za-z0-9_.-]{2,32}$/, message: '2-32 位字母、数字、下划线、点或减号' }]}>
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={[{ required: true, message: '至少选择一个角色' }]}>
          <Checkbox.Group options={roleOptions} />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label="初始密码" rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {user && (
          <Form.Item name="enabled" label="启用" valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  return (
    <FormModal form={form}
      open
      title={`重置「${user.username}」的密码`}
      okText="重置"
      confirmLoading={busy}
      onClose={onClose}
      onOk={async () => {
        const v = await form.validateFields();
        if (await run(() => sendIrreversible('users.resetPassword', { id: user.id, newPassword: v.password }, `用户「${user.username}」`), '密码已重置，该用户需重新登录')) onClose();
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="password" label="新密码" rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
