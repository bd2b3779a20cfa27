import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AuditOutlined,
  BankOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  HomeOutlined,
  ReadOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';

export interface NavItem {
  key: string;
  label: string;
  icon: ReactNode;
  /** Each area owns everything under /<key>/*. */
  component: LazyExoticComponent<ComponentType>;
}

/** The left navigation of the brief, in its order. Areas are loaded on first use. */
export const NAV_ITEMS: NavItem[] = [
  { key: 'dashboard', label: '工作台', icon: <DashboardOutlined />, component: lazy(() => import('../areas/dashboard')) },
  { key: 'organizations', label: '组织台账', icon: <TeamOutlined />, component: lazy(() => import('../areas/organizations')) },
  { key: 'venues', label: '安家场地', icon: <HomeOutlined />, component: lazy(() => import('../areas/venues')) },
  { key: 'custody', label: '资金代管', icon: <BankOutlined />, component: lazy(() => import('../areas/custody')) },
  { key: 'training', label: '人员培训', icon: <ReadOutlined />, component: lazy(() => import('../areas/training')) },
  { key: 'submission', label: '上报汇总', icon: <CloudUploadOutlined />, component: lazy(() => import('../areas/submission')) },
  { key: 'admin', label: '系统管理', icon: <SettingOutlined />, component: lazy(() => import('../areas/admin')) },
];

export const AUDIT_ICON = <AuditOutlined />;
