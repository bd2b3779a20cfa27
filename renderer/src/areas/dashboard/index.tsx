import type { ReactNode } from 'react';
import { Card, Col, Empty, List, Progress, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { HUB_LEVEL_LABELS } from '@shared/admin/hub';
import { formatFen } from '@shared/money';
import { periodLabel } from '@shared/submission/period';
import { useCall } from '../../api/hooks';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../lib/format';
import { Chart } from './Chart';

const hours = (minutes: number) => `${(minutes / 60).toFixed(1)} 小时`;

/** A tile: the whole card opens the screen behind it. */
function Tile({ title, to, children, testId, extra }: { title: string; to: string; children: ReactNode; testId: string; extra?: ReactNode }) {
  const navigate = useNavigate();
  return (
    <Card
      size="small"
      title={title}
      extra={extra}
      hoverable
      data-testid={testId}
      onClick={() => navigate(to)}
      style={{ height: '100%', cursor: 'pointer' }}
      styles={{ body: { paddingTop: 8 } }}
    >
      {children}
    </Card>
  );
}

/** 工作台: the first screen after login — figures of every area, each tile opening its screen. */
export default function DashboardArea() {
  const { me } = useSession();
  const navigate = useNavigate();
  const { data, loading } = useCall('dashboard.summary', {});
  return (
    <div className="page" style={{ overflow: 'auto' }}>
      <Space align="baseline" style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          工作台
        </Typography.Title>
        <Typography.Text type="secondary">
          {me.hub.name} · {HUB_LEVEL_LABELS[me.hub.level]} · {me.user.displayName}
          {data ? ` · ${data.today}` : ''}
        </Typography.Text>
      </Space>
      {loading && !data ? (
        <Card loading />
      ) : !data ? (
        <Empty description="统计数据暂时无法读取" />
      ) : (
        <Row gutter={[16, 16]}>
          {data.organizations && (
            <Col xs={24} md={12} xl={8}>
              <Tile title="社会组织" to="/organizations/list" testId="tile-organizations" extra={<Typography.Text strong>{data.organizations.total} 个</Typography.Text>}>
                <Chart
                  height={170}
                  option={{
                    tooltip: { trigger: 'item', formatter: '{b}：{c} 个({d}%)' },
                    legend: { bottom: 0, itemWidth: 10, itemHeight: 10 },
                    series: [
                      {
                        type: 'pie',
                        radius: ['40%', '68%'],
                        center: ['50%', '42%'],
                        label: { formatter: '{c}' },
                        data: data.organizations.byClass.map((c) => ({ name: c.label, value: c.count })),
                      },
                    ],
                  }}
                />
              </Tile>
            </Col>
          )}
          {data.organizations && (
            <Col xs={24} md={12} xl={8}>
              <Tile
                title="孵化进度"
                to="/organizations/board"
                testId="tile-incubation"
                extra={data.organizations.overdueIncubation > 0 ? <Tag color="red">超期 {data.organizations.overdueIncubation}</Tag> : undefined}
              >
                <Chart
                  height={170}
                  option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 8, right: 24, top: 8, bottom: 4, containLabel: true },
                    xAxis: { type: 'value', minInterval: 1 },
                    yAxis: { type: 'category', inverse: true, data: data.organizations.byStage.map((s) => s.label) },
                    series: [{ type: 'bar', data: data.organizations.byStage.map((s) => s.count), label: { show: true, position: 'right' }, itemStyle: { color: '#52c41a' } }],
                  }}
                />
              </Tile>
            </Col>
          )}
          {data.venues && (
            <Col xs={24} md={12} xl={8}>
              <Tile
                title={`本月场地使用(${data.venues.month})`}
                to="/venues/utilization"
                testId="tile-venues"
                extra={data.venues.pendingApproval > 0 ? <Tag color="orange">待审批 {data.venues.pendingApproval}</Tag> : undefined}
              >
                <Space size="large" style={{ marginBottom: 4 }}>
                  <Statistic title="预约场次" value={data.venues.bookings} />
                  <Statistic title="已使用" value={hours(data.venues.minutesUsed)} />
                  <Statistic title="已预约" value={hours(data.venues.minutesBooked)} />
                </Space>
                {data.venues.byVenue.length > 0 && (
                  <Chart
                    height={110}
                    option={{
                      tooltip: { trigger: 'axis' },
                      grid: { left: 8, right: 8, top: 8, bottom: 4, containLabel: true },
                      xAxis: { type: 'category', data: data.venues.byVenue.map((v) => v.name), axisLabel: { show: false } },
                      yAxis: { type: 'value', name: '小时' },
                      series: [
                        { type: 'bar', name: '预约', data: data.venues.byVenue.map((v) => +(v.minutesBooked / 60).toFixed(1)) },
                        { type: 'bar', name: '使用', data: data.venues.byVenue.map((v) => +(v.minutesUsed / 60).toFixed(1)) },
                      ],
                    }}
                  />
                )}
              </Tile>
            </Col>
          )}
          {data.custody && (
            <Col xs={24} md={12} xl={8}>
              <Tile
                title="代管资金"
                to="/custody/accounts"
                testId="tile-custody"
                extra={data.custody.pendingApproval > 0 ? <Tag color="orange">待审批凭证 {data.custody.pendingApproval}</Tag> : undefined}
              >
                <Statistic title="代管余额合计" value={formatFen(data.custody.totalBalanceFen)} />
                {data.custody.bySource.length > 0 && (
                  <Chart
                    height={110}
                    option={{
                      tooltip: { trigger: 'item', formatter: (p: unknown) => { const x = p as { name: string; value: number }; return `${x.name}：${formatFen(x.value)}`; } },
                      series: [{ type: 'pie', radius: ['35%', '65%'], label: { fontSize: 10 }, data: data.custody.bySource.map((s) => ({ name: s.label, value: s.balanceFen })) }],
                    }}
                  />
                )}
                <div>
                  {data.custody.unreconciledMonths.length === 0 ? (
                    <Tag color="green">近 12 个月均已对账</Tag>
                  ) : (
                    <Space
                      wrap
                      size={4}
                      data-testid="unreconciled-months"
                      title="打开银行对账"
                      onClick={(e) => {
                        e.stopPropagation();
                        navigate('/custody/bank');
                      }}
                    >
                      <Typography.Text type="danger">未对账月份：</Typography.Text>
                      {data.custody.unreconciledMonths.map((m) => (
                        <Tag key={m} color="red">
                          {m}
                        </Tag>
                      ))}
                    </Space>
                  )}
                </div>
              </Tile>
            </Col>
          )}
          {data.training && (
            <Col xs={24} md={12} xl={8}>
              <Tile title={`${data.training.year} 年培训人次`} to="/training/stats" testId="tile-training">
                <Space align="center" size="large">
                  <Statistic title="已完成人次" value={data.training.personTimes} />
                  {data.training.target ? (
                    <Progress type="circle" size={64} percent={Math.min(100, Math.round((data.training.personTimes / data.training.target) * 100))} format={(p) => `${p}%`} />
                  ) : (
                    <Typography.Text type="secondary">尚未制定年度计划</Typography.Text>
                  )}
                  {data.training.target ? <Typography.Text type="secondary">计划 {data.training.target} 人次</Typography.Text> : null}
                </Space>
                <Chart
                  height={110}
                  option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 8, right: 8, top: 8, bottom: 4, containLabel: true },
                    xAxis: { type: 'category', data: data.training.byMonth.map((m) => `${Number(m.month.slice(5))}月`), axisLabel: { fontSize: 10 } },
                    yAxis: { type: 'value', minInterval: 1 },
                    series: [{ type: 'line', smooth: true, areaStyle: {}, data: data.training.byMonth.map((m) => m.personTimes) }],
                  }}
                />
              </Tile>
            </Col>
          )}
          {data.activities && (
            <Col xs={24} md={12} xl={8}>
              <Tile
                title="重大活动待报告"
                to="/organizations/activities"
                testId="tile-activities"
                extra={<Typography.Text type="secondary">本月已举办活动 {data.activities.heldThisMonth} 次</Typography.Text>}
              >
                {data.activities.majorDueWithoutReport.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有待报告的重大活动" />
                ) : (
                  <List
                    size="small"
                    dataSource={data.activities.majorDueWithoutReport.slice(0, 6)}
                    renderItem={(a) => (
                      <List.Item style={{ padding: '4px 0' }}>
                        <Space>
                          <Tag color={a.date < data.today ? 'red' : 'orange'}>{a.date}</Tag>
                          <span>{a.title}</span>
                          <Typography.Text type="secondary">{a.orgName}</Typography.Text>
                        </Space>
                      </List.Item>
                    )}
                  />
                )}
              </Tile>
            </Col>
          )}
          <Col xs={24} md={12} xl={8}>
            <Tile title="上报汇总" to="/submission/build" testId="tile-submission">
              <Space size="large" wrap>
                <Statistic title="本季度" value={periodLabel(data.submission.currentPeriod)} />
                <Statistic title="已登记下级单位" value={data.submission.memberHubs} />
                <Statistic title="本季度收到上报包" value={data.submission.packagesThisPeriod} />
              </Space>
              <div style={{ marginTop: 8 }}>
                {data.submission.lastBuild ? (
                  <Typography.Text>
                    最近上报：{periodLabel(data.submission.lastBuild.period)}，{formatDateTime(data.submission.lastBuild.createdAt)}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">尚未生成过上报包</Typography.Text>
                )}
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                本单位公钥指纹 {data.submission.fingerprint.slice(0, 19)} …
              </Typography.Text>
            </Tile>
          </Col>
        </Row>
      )}
    </div>
  );
}
