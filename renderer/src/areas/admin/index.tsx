import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ROLES, type Role } from '@shared/roles';
import { useSession } from '../../app/session';
import { UsersPage } from './UsersPage';
import { SettingsPage } from './SettingsPage';
import { AuditPage } from './AuditPage';
import { BackupsPage } from './BackupsPage';
import { DictionariesPage } from './DictionariesPage';
import { OnlineUsersPage } from './OnlineUsersPage';
import { WorkModePage } from './WorkModePage';
import { DisplayPage } from './DisplayPage';

const TABS: { key: string; label: string; element: React.ReactNode; roles: Role[] }[] = [
  { key: 'users', label: '用户', element: <UsersPage />, roles: ['admin'] },
  { key: 'settings', label: '基地设置', element: <SettingsPage />, roles: [...ROLES] },
  { key: 'dictionaries', label: '字典', element: <DictionariesPage />, roles: [...ROLES] },
  { key: 'audit', label: '审计日志', element: <AuditPage />, roles: ['admin', 'approver'] },
  { key: 'backups', label: '备份与恢复', element: <BackupsPage />, roles: ['admin'] },
  { key: 'online', label: '在线用户', element: <OnlineUsersPage />, roles: ['admin'] },
  { key: 'workmode', label: '工作方式', element: <WorkModePage />, roles: ['admin'] },
  { key: 'display', label: '显示', element: <DisplayPage />, roles: [...ROLES] },
];

/** 系统管理. Pages check nothing themselves: the core refuses what a role may not do; the tabs only hide the obvious. */
export default function AdminArea() {
  const { me } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const tabs = TABS.filter((t) => t.roles.some((r) => me.user.roles.includes(r)));
  const active = location.pathname.split('/')[2] ?? tabs[0].key;
  return (
    <div className="page">
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(`/admin/${k}`)}
        items={tabs.map((t) => ({ key: t.key, label: t.label }))}
        style={{ marginBottom: 0 }}
      />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Routes>
          <Route index element={<Navigate to={tabs[0].key} replace />} />
          {tabs.map((t) => (
            <Route key={t.key} path={t.key} element={t.element} />
          ))}
        </Routes>
      </div>
    </div>
  );
}
