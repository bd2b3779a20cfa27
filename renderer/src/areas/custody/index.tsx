import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { VouchersPage } from './VouchersPage';
import { AccountsPage } from './AccountsPage';
import { BankPage } from './BankPage';
import { PeriodsPage } from './PeriodsPage';
import { SummaryPage } from './SummaryPage';
import { InKindPage } from './InKindPage';
import { SetupPage } from './SetupPage';
import { AccountMapPage } from './VoucherExport';

const TABS = [
  { key: 'vouchers', label: '记账凭证', element: <VouchersPage /> },
  { key: 'accounts', label: '代管账户', element: <AccountsPage /> },
  { key: 'bank', label: '银行对账', element: <BankPage /> },
  { key: 'periods', label: '期间与结账', element: <PeriodsPage /> },
  { key: 'summary', label: '来源与项目', element: <SummaryPage /> },
  { key: 'inkind', label: '物资登记', element: <InKindPage /> },
  { key: 'setup', label: '基础设置', element: <SetupPage /> },
  { key: 'account-map', label: '科目对照', element: <AccountMapPage /> },
];

/** 资金代管 (routes under /custody). Every screen is visible to every role; the core refuses what a role may not do. */
export default function CustodyArea() {
  const navigate = useNavigate();
  const location = useLocation();
  const active = location.pathname.split('/')[2] ?? TABS[0].key;
  return (
    <div className="page">
      <Tabs activeKey={active} onChange={(k) => navigate(`/custody/${k}`)} items={TABS.map((t) => ({ key: t.key, label: t.label }))} style={{ marginBottom: 0 }} />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Routes>
          <Route index element={<Navigate to="vouchers" replace />} />
          {TABS.map((t) => (
            <Route key={t.key} path={t.key} element={t.element} />
          ))}
        </Routes>
      </div>
    </div>
  );
}
