import { Suspense, useEffect, useState } from 'react';
import { Avatar, Dropdown, Layout, Menu, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { HUB_LEVEL_LABELS } from '@shared/admin/hub';
import { ROLE_LABELS } from '@shared/roles';
import { NAV_ITEMS } from './nav';
import { useSession } from './session';
import { bridge } from '../api/client';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { ScreenErrorBoundary } from './ScreenErrorBoundary';
import { ConnectionBanner } from './ConnectionBanner';
import { DisplayUser } from './display';
import { OPEN_HELP_EVENT, SHORTCUTS, useShortcuts } from './shortcuts';

const { Sider, Header, Content } = Layout;

export function Shell() {
  const { me, logout, demo } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const current = location.pathname.split('/')[1] || 'dashboard';
  useShortcuts();
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const open = () => setHelp(true);
    window.addEventListener(OPEN_HELP_EVENT, open);
    return () => window.removeEventListener(OPEN_HELP_EVENT, open);
  }, []);
  return (
    <Layout style={{ height: '100%' }}>
      <DisplayUser username={me.user.username} />
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={188} theme="dark">
        <div style={{ color: '#fff', padding: '16px 12px', fontWeight: 600, fontSize: collapsed ? 12 : 16, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {collapsed ? '孵化' : '孵化基地管理系统'}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[current]}
          items={NAV_ITEMS.map((n) => ({ key: n.key, icon: n.icon, label: n.label }))}
          onClick={(e) => navigate(`/${e.key}`)}
          data-testid="main-nav"
        />
      </Sider>
      <Layout style={{ minWidth: 0 }}>
        <ConnectionBanner />
        <Header className="app-header" style={{ background: '#fff', padding: '0 20px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #eee' }}>
          <Space size={8} align="center" style={{ minWidth: 0, overflow: 'hidden' }}>
            <Typography.Text strong ellipsis>
              {me.hub.name}
            </Typography.Text>
            <Tag>{HUB_LEVEL_LABELS[me.hub.level]}级</Tag>
            <Typography.Text type="secondary">区划 {me.hub.regionCode}</Typography.Text>
            {demo && (
              <Tag color="orange" data-testid="demo-tag">
                演示数据(单独的文件夹，不是正式数据)
              </Tag>
            )}
          </Space>
          <Dropdown
            menu={{
              items: [
                { key: 'pw', label: '修改密码', onClick: () => setChangingPassword(true) },
                { key: 'keys', label: '快捷键(F1)', onClick: () => setHelp(true) },
                { key: 'display', label: '字号与显示', onClick: () => navigate('/admin/display') },
                ...(demo && bridge.switchHub ? [{ key: 'real', label: '退出演示，打开正式数据', onClick: () => void bridge.switchHub?.('real') }] : []),
                { type: 'divider' },
                { key: 'out', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void logout() },
              ],
            }}
          >
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} />
              <span>{me.user.displayName}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {me.user.roles.map((r) => ROLE_LABELS[r]).join('、')}
              </Typography.Text>
            </Space>
          </Dropdown>
        </Header>
        <Content style={{ overflow: 'auto', minHeight: 0 }}>
          <ScreenErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<Spin style={{ margin: 48 }} />}>
              <Routes>
                <Route path="/" element={<Navigate to="/dashboard" replace />} />
                {NAV_ITEMS.map((n) => (
                  <Route key={n.key} path={`/${n.key}/*`} element={<n.component />} />
                ))}
                <Route path="*" element={<Navigate to="/dashboard" replace />} />
              </Routes>
            </Suspense>
          </ScreenErrorBoundary>
        </Content>
      </Layout>
      <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)} />
      <Modal open={help} onCancel={() => setHelp(false)} footer={null} title="快捷键" width={720} data-testid="shortcut-help">
        <Table
          size="small"
          rowKey="keys"
          pagination={false}
          dataSource={SHORTCUTS}
          columns={[
            { title: '按键', dataIndex: 'keys', width: 190, render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text> },
            { title: '作用', dataIndex: 'what' },
          ]}
        />
      </Modal>
    </Layout>
  );
}
