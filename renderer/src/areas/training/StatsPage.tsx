import { useEffect, useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Modal, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { FormModal } from '../../components/forms';
import { NumberInput, numberRule } from '../../components/NumberInput';
import type { PlanRow, StatCellRow } from '@shared/contract/training';
import { formatPermille, cumulative } from '@shared/training/stats';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { downloadBase64 } from '../../lib/files';
import { Chart } from './Chart';
import { hours, thisYear, useTrainingDicts, YearSelect } from './common';

export function StatsPage() {
  const [year, setYear] = useState(thisYear());
  const canWrite = useCan('admin', 'staff');
  const { data: s, reload } = useCall('training.stats', { year }, [year]);
  const { data: plan, reload: reloadPlan } = useCall('training.plan.get', { year }, [year]);
  const { run, busy } = useAction();
  const [planOpen, setPlanOpen] = useState(false);
  const totalPlan = s?.plan.find((p) => p.dimension === 'total');
  const target = (dim: 'role' | 'category', key: string) => s?.plan.find((p) => p.dimension === dim && p.key === key)?.target ?? 0;
  const barVsTarget = (cells: StatCellRow[], dim: 'role' | 'category') => {
    const keys = [...new Set([...cells.map((c) => c.key), ...(s?.plan ?? []).filter((p) => p.dimension === dim).map((p) => p.key)])];
    const label = (k: string) => cells.find((c) => c.key === k)?.label ?? s?.plan.find((p) => p.key === k)?.label ?? k;
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { top: 0, data: ['实际人次', '目标人次'] },
      grid: { left: 40, right: 16, bottom: 70, top: 36 },
      xAxis: { type: 'category' as const, data: keys.map(label), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value' as const },
      series: [
        { name: '实际人次', type: 'bar' as const, data: keys.map((k) => cells.find((c) => c.key === k)?.personTimes ?? 0) },
        { name: '目标人次', type: 'bar' as const, data: keys.map((k) => target(dim, k)), itemStyle: { color: '#d9d9d9' } },
      ],
    };
  };
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space style={{ margin: '4px 0 12px' }} wrap>
        <YearSelect value={year} onChange={setYear} />
        {canWrite && <Button onClick={() => setPlanOpen(true)}>{plan ? '修改年度计划' : '制定年度计划'}</Button>}
        <Button loading={busy} onClick={async () => { const f = await run(() => call('training.stats.export', { year })); if (f) downloadBase64(f); }}>
          导出 Excel
        </Button>
        {plan && <Typography.Text type="secondary">{plan.title}</Typography.Text>}
      </Space>
      {s && (
        <>
          <Row gutter={12} style={{ marginBottom: 12 }}>
            <Col span={4}><Card size="small"><Statistic title="培训人次" value={s.total.personTimes} /></Card></Col>
            <Col span={4}><Card size="small"><Statistic title="目标人次" value={totalPlan?.target ?? '未制定'} /></Card></Col>
            <Col span={4}><Card size="small"><Statistic title="完成率" value={totalPlan ? formatPermille(totalPlan.ratePermille) : '—'} /></Card></Col>
            <Col span={4}><Card size="small"><Statistic title="按进度应完成" value={s.expectedToDate ?? '—'} /></Card></Col>
            <Col span={4}><Card size="small"><Statistic title="参训人数" value={s.total.persons} /></Card></Col>
            <Col span={4}><Card size="small"><Statistic title="场次 / 学时" value={`${s.total.sessions} / ${hours(s.total.creditedMinutes)}`} /></Card></Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Card size="small" title="每月人次与累计">
                <Chart
                  option={{
                    tooltip: { trigger: 'axis' },
                    legend: { top: 0, data: ['当月人次', '累计人次'] },
                    grid: { left: 40, right: 40, bottom: 30, top: 36 },
                    xAxis: { type: 'category', data: s.byMonth.map((m) => m.label) },
                    yAxis: [{ type: 'value' }, { type: 'value' }],
                    series: [
                      { name: '当月人次', type: 'bar', data: s.byMonth.map((m) => m.personTimes) },
                      {
                        name: '累计人次',
                        type: 'line',
                        yAxisIndex: 1,
                        data: cumulative(s.byMonth),
                        markLine: totalPlan ? { data: [{ yAxis: totalPlan.target, name: '全年目标' }], label: { formatter: '目标 {c}' } } : undefined,
                      },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title="按学员类别（对照计划）">
                <Chart option={barVsTarget(s.byRole, 'role')} />
              </Card>
            </Col>
            <Col span={12} style={{ marginTop: 12 }}>
              <Card size="small" title="按培训类别（对照计划）">
                <Chart option={barVsTarget(s.byCategory, 'category')} />
              </Card>
            </Col>
            <Col span={12} style={{ marginTop: 12 }}>
              <Card size="small" title="按培训形式">
                <Chart
                  option={{
                    tooltip: { trigger: 'item' },
                    legend: { bottom: 0 },
                    series: [{ type: 'pie', radius: ['35%', '65%'], data: s.byFormat.map((c) => ({ name: c.label, value: c.personTimes })) }],
                  }}
                />
              </Card>
            </Col>
            <Col span={24} style={{ marginTop: 12 }}>
              <Card size="small" title="按所属组织（前30）">
                <Chart
                  height={Math.max(200, s.byOrganization.length * 22)}
                  option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 200, right: 30, top: 10, bottom: 20 },
                    xAxis: { type: 'value' },
                    yAxis: { type: 'category', inverse: true, data: s.byOrganization.map((c) => c.label) },
                    series: [{ type: 'bar', data: s.byOrganization.map((c) => c.personTimes) }],
                  }}
                />
              </Card>
            </Col>
          </Row>
          <Card size="small" title="计划完成情况" style={{ marginTop: 12 }}>
            <Table<PlanRow>
              size="small"
              rowKey={(r) => `${r.dimension}:${r.key}`}
              pagination={false}
              dataSource={s.plan}
              locale={{ emptyText: '本年度尚未制定培训计划' }}
              columns={[
                { title: '项目', dataIndex: 'label' },
                { title: '目标人次', dataIndex: 'target', width: 100 },
                { title: '实际人次', dataIndex: 'actual', width: 100 },
                { title: '尚差', dataIndex: 'remaining', width: 80 },
                { title: '完成率', dataIndex: 'ratePermille', width: 100, render: (p: number | null, r) => <Tag color={r.achieved ? 'green' : 'orange'}>{formatPermille(p)}</Tag> },
              ]}
            />
          </Card>
        </>
      )}
      <PlanModal year={year} open={planOpen} onClose={() => setPlanOpen(false)} onSaved={() => { setPlanOpen(false); void reload(); void reloadPlan(); }} plan={plan ?? null} />
    </div>
  );
}

function PlanModal({ year, open, plan, onClose, onSaved }: { year: number; open: boolean; plan: { title: string; targetTotal: number; note: string | null; targets: { dimension: 'role' | 'category'; code: string; personTimes: number }[] } | null; onClose: () => void; onSaved: () => void }) {
  const dicts = useTrainingDicts();
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const save = async () => {
    const v = await form.validateFields();
    const targets = [
      ...dicts.roles.map((r) => ({ dimension: 'role' as const, code: r.value, personTimes: Number(v[`role_${r.value}`] ?? 0) })),
      ...dicts.categories.map((c) => ({ dimension: 'category' as const, code: c.value, personTimes: Number(v[`category_${c.value}`] ?? 0) })),
    ].filter((t) => t.personTimes > 0);
    const r = await run(() => call('training.plan.save', { year, title: v.title, targetTotal: v.targetTotal, note: v.note ?? null, targets }), '已保存培训计划');
    if (r) onSaved();
  };
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    const init: Record<string, unknown> = { title: plan?.title ?? `${year}年度人员培训计划`, targetTotal: plan?.targetTotal ?? 0, note: plan?.note };
    for (const t of plan?.targets ?? []) init[`${t.dimension}_${t.code}`] = t.personTimes;
    form.setFieldsValue(init);
  }, [open, plan, year, form]);
  return (
    <FormModal form={form}
      open={open}
      title={`${year}年度培训计划`}
      onClose={onClose}
      onOk={save}
      okText="保存"
      confirmLoading={busy}
      width={720}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="title" label="计划名称" rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="targetTotal" label="全年目标人次" rules={[numberRule({ min: 0 }), { required: true }]}>
          <NumberInput min={0} style={{ width: 200 }} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Typography.Text strong>按学员类别的目标人次</Typography.Text>
            {dicts.roles.map((r) => (
              <Form.Item key={r.value} name={`role_${r.value}`} label={r.label} style={{ marginBottom: 6 }} rules={[numberRule({ min: 0 })]}>
                <NumberInput min={0} style={{ width: 160 }} />
              </Form.Item>
            ))}
          </Col>
          <Col span={12}>
            <Typography.Text strong>按培训类别的目标人次</Typography.Text>
            {dicts.categories.map((c) => (
              <Form.Item key={c.value} name={`category_${c.value}`} label={c.label} style={{ marginBottom: 6 }} rules={[numberRule({ min: 0 })]}>
                <NumberInput min={0} style={{ width: 160 }} />
              </Form.Item>
            ))}
          </Col>
        </Row>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
