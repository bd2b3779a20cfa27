import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useCall } from '../../api/hooks';
import { CalendarPage } from './CalendarPage';
import { ListPage } from './ListPage';
import { UtilizationPage } from './UtilizationPage';
import { VenuesPage } from './VenuesPage';
import { WaitlistPage } from './WaitlistPage';

const TABS = [
  { key: 'calendar', label: '预约日历' },
  { key: 'list', label: '预约列表' },
  { key: 'waitlist', label: '候补名单' },
  { key: 'utilization', label: '使用率' },
  { key: 'manage', label: '场地管理' },
];

/** 安家场地: calendars, the booking list, utilization and the venues themselves (routes under /venues). */
export default function VenuesArea() {
  const navigate = useNavigate();
  const location = useLocation();
  const active = location.pathname.split('/')[2] ?? 'calendar';
  const { data, reload } = useCall('venues.list', {}, []);
  const venues = data?.rows ?? [];
  return (
    <div className="page">
      <Tabs activeKey={active} onChange={(k) => navigate(`/venues/${k}`)} items={TABS} style={{ marginBottom: 0 }} />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', overflow: 'auto' }}>
        {data && (
          <Routes>
            <Route index element={<Navigate to="calendar" replace />} />
            <Route path="calendar" element={<CalendarPage venues={venues} reloadVenues={reload} />} />
            <Route path="list" element={<ListPage venues={venues} />} />
            <Route path="waitlist" element={<WaitlistPage venues={venues} />} />
            <Route path="utilization" element={<UtilizationPage venues={venues} />} />
            <Route path="manage" element={<VenuesPage venues={venues} reload={reload} />} />
          </Routes>
        )}
      </div>
    </div>
  );
}
