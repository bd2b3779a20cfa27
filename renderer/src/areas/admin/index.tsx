import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useCan } from '../../app/session';
import { UsersPage } from './UsersPage';
import { SettingsPage } from './SettingsPage';
import { AuditPage } from './AuditPage';
import { BackupsPage } from './BackupsPage';
import { DictionariesPage } from './DictionariesPage';

const TABS = [
  { key: 'users', label: '用户', element: <UsersPage />, admin: true },
  { key: 'settings', label: '基地设置', element: <SettingsPage />, admin: false },
  { key: 'dictionaries', label: '字典', element: <DictionariesPage />, admin: false },
  { key: 'audit', label: '审计日志', element: <AuditPage />, admin: false },
  { key: 'backups', label: '备份与恢复', element: <BackupsPage />, admin: true },
];

/** 系统管理. Pages check nothing themselves: the core refuses what a role may not do; the tabs only hide the obvious. */
export default function AdminArea() {
  const isAdmin = useCan('admin');
  const navigate = useNavigate();
  const location = useLocation();
  const tabs = TABS.filter((t) => isAdmin || !t.admin);
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
