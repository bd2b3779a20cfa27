import { emptyPackageData, type PackageData } from '@shared/submission/records';

/** A small hub's data touching every table and edge of the standard tables (period 2026-Q3). */
export function sample(hub = 'h1'): PackageData {
  const d = emptyPackageData();
  const org = (id: string, over: Partial<PackageData['organizations'][number]> = {}) => ({
    gid: `${hub}:${id}`,
    name: `组织${id}`,
    creditCode: null,
    managementClass: 'guided' as const,
    fieldCode: 'F01',
    fieldLabel: '为民服务',
    regionCode: '510104002003',
    regionName: '幸福社区',
    urbanRural: 'urban' as const,
    stage: null,
    foundedOn: null,
    memberCount: 12,
    volunteerCount: 3,
    status: 'active' as const,
    ...over,
  });
  d.organizations = [
    org('o1', { managementClass: 'registered', stage: 'incubating' }),
    org('o2', { urbanRural: 'rural', fieldCode: 'F04', fieldLabel: '文体娱乐', stage: 'graduated' }),
    org('o3', { managementClass: 'filed', urbanRural: null }),
    org('o4', { status: 'withdrawn' }),
  ];
  d.incubation_events = [
    { gid: `${hub}:e1`, orgGid: `${hub}:o2`, fromStage: 'incubating', toStage: 'graduated', date: '2026-08-01' },
    { gid: `${hub}:e2`, orgGid: `${hub}:o1`, fromStage: 'admitted', toStage: 'incubating', date: '2026-05-01' },
  ];
  d.venues = [{ gid: `${hub}:v1`, name: '多功能厅', hostTypeLabel: null, capacity: 80 }];
  d.bookings = [
    { gid: `${hub}:b1`, venueGid: `${hub}:v1`, orgGid: `${hub}:o1`, date: '2026-07-03', minutes: 120, status: 'used', attendance: 30 },
    { gid: `${hub}:b2`, venueGid: `${hub}:v1`, orgGid: `${hub}:o2`, date: '2026-07-04', minutes: 60, status: 'approved', attendance: null },
    { gid: `${hub}:b3`, venueGid: `${hub}:v1`, orgGid: `${hub}:o2`, date: '2026-07-05', minutes: 60, status: 'cancelled', attendance: null },
    { gid: `${hub}:b4`, venueGid: `${hub}:v1`, orgGid: `${hub}:o2`, date: '2026-10-05', minutes: 60, status: 'used', attendance: 9 },
  ];
  d.custody_entries = [
    { gid: `${hub}:j1`, orgGid: `${hub}:o1`, date: '2026-03-01', kind: 'receipt', sourceCode: 'Z01', sourceLabel: '政府购买服务', amountFen: 500000, voucherNo: '1' },
    { gid: `${hub}:j2`, orgGid: `${hub}:o1`, date: '2026-07-10', kind: 'disbursement', sourceCode: 'Z01', sourceLabel: '政府购买服务', amountFen: 123450, voucherNo: '2' },
    { gid: `${hub}:j3`, orgGid: `${hub}:o2`, date: '2026-09-30', kind: 'receipt', sourceCode: 'Z05', sourceLabel: '社会捐赠', amountFen: 1001, voucherNo: '3' },
    { gid: `${hub}:j4`, orgGid: `${hub}:o2`, date: '2026-10-01', kind: 'receipt', sourceCode: 'Z05', sourceLabel: '社会捐赠', amountFen: 99999, voucherNo: '4' },
  ];
  d.training_sessions = [
    { gid: `${hub}:s1`, title: '党建培训', categoryCode: 'C01', categoryLabel: '党的建设', formatLabel: null, date: '2026-07-20', minutes: 120 },
    { gid: `${hub}:s2`, title: '财务', categoryCode: 'C04', categoryLabel: '日常运作', formatLabel: null, date: '2026-09-20', minutes: 60 },
    { gid: `${hub}:s3`, title: '旧课', categoryCode: 'C04', categoryLabel: '日常运作', formatLabel: null, date: '2026-06-20', minutes: 60 },
  ];
  const att = (id: string, s: string, role: string, label: string, status: 'present' | 'late' | 'absent' | 'excused') => ({
    gid: `${hub}:a${id}`,
    sessionGid: `${hub}:${s}`,
    traineeGid: `${hub}:t${id}`,
    roleCode: role,
    roleLabel: label,
    status,
  });
  d.attendances = [
    att('1', 's1', 'R04', '社区社会组织负责人', 'present'),
    att('2', 's1', 'R04', '社区社会组织负责人', 'late'),
    att('3', 's1', 'R06', '社区志愿者', 'absent'),
    att('4', 's2', 'R06', '社区志愿者', 'present'),
    att('5', 's3', 'R06', '社区志愿者', 'present'),
  ];
  const act = (id: string, over: Partial<PackageData['activities'][number]>) => ({
    gid: `${hub}:x${id}`,
    orgGid: `${hub}:o1`,
    title: `活动${id}`,
    date: '2026-08-08',
    seriesCode: 'S01',
    seriesLabel: '邻里守望',
    kindLabel: '志愿服务',
    status: 'held' as const,
    participants: 20,
    volunteers: 5,
    major: false,
    reportFiledOn: null,
    ...over,
  });
  d.activities = [
    act('1', {}),
    act('2', { seriesCode: null, seriesLabel: null }),
    act('3', { major: true, kindLabel: '文化演出', participants: 300, reportFiledOn: '2026-08-01' }),
    act('4', { major: true, status: 'planned', date: '2026-09-28', participants: 150, reportFiledOn: null }),
    act('5', { status: 'cancelled', major: true }),
  ];
  return d;
}

