import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { BuildPage } from './BuildPage';
import { ImportPage } from './ImportPage';
import { HubsPage } from './HubsPage';
import { MembersPage } from './MembersPage';
import { ConsolidatedPage } from './ConsolidatedPage';

const TABS = [
  { key: 'build', label: '本级上报', element: <BuildPage /> },
  { key: 'consolidated', label: '汇总数据', element: <ConsolidatedPage /> },
  { key: 'import', label: '导入上报包', element: <ImportPage /> },
  { key: 'hubs', label: '下级单位', element: <HubsPage /> },
  { key: 'members', label: '会员单位与会费', element: <MembersPage /> },
];

/** 上报汇总: build and sign this hub's package; as a federation, register lower hubs, import, consolidate. */
export default function SubmissionArea() {
  const navigate = useNavigate();
  const location = useLocation();
  const active = location.pathname.split('/')[2] ?? TABS[0].key;
  return (
    <div className="page">
      <Tabs activeKey={active} onChange={(k) => navigate(`/submission/${k}`)} items={TABS.map((t) => ({ key: t.key, label: t.label }))} style={{ marginBottom: 0 }} />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Routes>
          <Route index element={<Navigate to={TABS[0].key} replace />} />
          {TABS.map((t) => (
            <Route key={t.key} path={t.key} element={t.element} />
          ))}
        </Routes>
      </div>
    </div>
  );
}
