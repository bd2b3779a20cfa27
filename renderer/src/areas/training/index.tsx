import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { SessionsPage } from './SessionsPage';
import { SessionDetailPage } from './SessionDetailPage';
import { SignInPage } from './SignInPage';
import { TraineesPage } from './TraineesPage';
import { StatsPage } from './StatsPage';
import { ExamPage } from './ExamPage';

const TABS = [
  { key: 'sessions', label: '培训场次' },
  { key: 'trainees', label: '学员' },
  { key: 'stats', label: '计划与统计' },
  { key: 'exam', label: '社工考试' },
];

/** 人员培训: plans and statistics, sessions with keyboard sign-in, trainees, certificates, social-work exam. */
export default function TrainingArea() {
  const navigate = useNavigate();
  const location = useLocation();
  const seg = location.pathname.split('/')[2] ?? 'sessions';
  const active = seg === 'signin' ? 'sessions' : seg;
  return (
    <div className="page">
      <Tabs activeKey={active} onChange={(k) => navigate(`/training/${k}`)} items={TABS} style={{ marginBottom: 0 }} />
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Routes>
          <Route index element={<Navigate to="sessions" replace />} />
          <Route path="sessions" element={<SessionsPage />} />
          <Route path="sessions/:id" element={<SessionDetailPage />} />
          <Route path="signin/:id" element={<SignInPage />} />
          <Route path="trainees" element={<TraineesPage />} />
          <Route path="stats" element={<StatsPage />} />
          <Route path="exam" element={<ExamPage />} />
        </Routes>
      </div>
    </div>
  );
}
