import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { HUB_LEVEL_LABELS } from '@shared/admin/hub';
import { ROLE_LABELS } from '@shared/roles';
import { useSession } from '../../app/session';
import { NAV_ITEMS } from '../../app/nav';
import { formatDateTime } from '../../lib/format';

/**
 * 工作台. Until the statistics of the submission area exist, it shows the hub and the way into each area —
 * and says plainly that the figures are not there yet.
 */
export default function DashboardArea() {
  const { me } = useSession();
  const navigate = useNavigate();
  return (
    <div className="page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        工作台
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="本基地">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="名称">{me.hub.name}</Descriptions.Item>
              <Descriptions.Item label="层级">{HUB_LEVEL_LABELS[me.hub.level]}</Descriptions.Item>
              <Descriptions.Item label="行政区划代码">{me.hub.regionCode}</Descriptions.Item>
              <Descriptions.Item label="启用时间">{formatDateTime(me.hub.createdAt)}</Descriptions.Item>
              <Descriptions.Item label="当前用户">
                {me.user.displayName}（{me.user.roles.map((r) => ROLE_LABELS[r]).join('、')}）
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="统计概览">
            <Typography.Paragraph type="secondary">
              组织、场地、资金、培训的统计图表将在各模块上线后显示在这里；目前尚无统计数据。
            </Typography.Paragraph>
          </Card>
        </Col>
        {NAV_ITEMS.filter((n) => n.key !== 'dashboard').map((n) => (
          <Col key={n.key} xs={12} md={8} xl={4}>
            <Card hoverable onClick={() => navigate(`/${n.key}`)} styles={{ body: { textAlign: 'center' } }}>
              <div style={{ fontSize: 24 }}>{n.icon}</div>
              <div>{n.label}</div>
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
