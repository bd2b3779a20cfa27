import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { OrgListPage } from './OrgListPage';
import { OrgDetailPage } from './OrgDetailPage';
import { BoardPage } from './BoardPage';
import { StreetSummaryPage } from './StreetSummaryPage';
import { ActivitiesPage } from './ActivitiesPage';
import { ImportPage } from './ImportPage';

const TABS = [
  { key: 'list', label: '组织台账' },
  { key: 'board', label: '孵化看板' },
  { key: 'streets', label: '分街道汇总' },
  { key: 'activities', label: '活动与重大活动报告' },
  { key: 'import', label: '导入台账' },
];

/** 组织台账: list, detail pages, incubation board, per-street summary, activities, workbook import. */
export default function OrganizationsArea() {
  const navigate = useNavigate();
  const location = useLocation();
  const seg = location.pathname.split('/')[2] ?? 'list';
  const active = seg === 'org' ? 'list' : seg;
  return (
    <div className="page">
      <Tabs activeKey={active} onChange={(k) => navigate(`/organizations/${k}`)} items={TABS} style={{ marginBottom: 0 }} />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Routes>
          <Route index element={<Navigate to="list" replace />} />
          <Route path="list" element={<OrgListPage />} />
          <Route path="org/:id" element={<OrgDetailPage />} />
          <Route path="board" element={<BoardPage />} />
          <Route path="streets" element={<StreetSummaryPage />} />
          <Route path="activities" element={<ActivitiesPage />} />
          <Route path="import" element={<ImportPage />} />
        </Routes>
      </div>
    </div>
  );
}
