import { Badge, Card, Empty, Flex, Spin, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { INCUBATION_MODE_LABELS, INCUBATION_STAGE_LABELS } from '@shared/organizations/incubation';
import { useCall } from '../../api/hooks';

/** 孵化看板: one column per stage with its count; cards of who has waited longest, overdue ones marked. */
export function BoardPage() {
  const navigate = useNavigate();
  const { data } = useCall('organizations.board', { perStage: 30 });
  if (!data) return <Spin />;
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Typography.Paragraph type="secondary">孵化期限 {data.termMonths} 个月(基地设置),超期的组织以红色标出。每列最多显示 30 个。</Typography.Paragraph>
      <Flex gap={12} align="start">
        {data.columns.map((c) => (
          <Card
            key={c.stage}
            size="small"
            style={{ flex: 1, minWidth: 220, background: '#fafafa' }}
            title={
              <span data-testid={`board-${c.stage}`}>
                {INCUBATION_STAGE_LABELS[c.stage]} <Badge count={c.count} showZero color="#1677ff" overflowCount={99999} />
                {c.overdue > 0 && <Tag color="red" style={{ marginLeft: 8 }}>超期 {c.overdue}</Tag>}
              </span>
            }
          >
            {c.cards.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无" />}
            {c.cards.map((o) => (
              <Card key={o.id} size="small" hoverable style={{ marginBottom: 8, borderColor: o.overdue ? '#ff4d4f' : undefined }} onClick={() => navigate(`/organizations/org/${o.id}`)}>
                <div style={{ fontWeight: 600 }}>{o.name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {o.street ?? ''} · {o.stageDate}
                  {o.mode && ` · ${INCUBATION_MODE_LABELS[o.mode as 'physical']}`}
                  {o.mentor && ` · 导师 ${o.mentor}`}
                </Typography.Text>
                {o.dueDate && <div style={{ fontSize: 12, color: o.overdue ? '#cf1322' : '#8c8c8c' }}>期限 {o.dueDate}{o.overdue && '(已超期)'}</div>}
              </Card>
            ))}
          </Card>
        ))}
      </Flex>
    </div>
  );
}
