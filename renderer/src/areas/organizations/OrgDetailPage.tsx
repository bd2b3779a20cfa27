import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Spin, Table, Tabs, Tag, Timeline, Typography, Upload } from 'antd';
import { FormModal } from '../../components/forms';
import { useIrreversibleCall } from '../../components/irreversible';
import { NumberInput, numberRule } from '../../components/NumberInput';
import { ArrowLeftOutlined, DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useNavigate, useParams } from 'react-router-dom';
import type { ActivityRow, OrgDetail } from '@shared/contract/organizations';
import {
  INCUBATION_MODE_LABELS,
  INCUBATION_STAGE_LABELS,
  INCUBATION_TRANSITIONS,
  type IncubationStage,
} from '@shared/organizations/incubation';
import {
  AREA_TYPE_LABELS,
  MASS_ORG_LABELS,
  MGMT_CLASS_LABELS,
  ORG_MARK_LABELS,
  ORG_STATUS_LABELS,
  PARTY_ORG_FORM_LABELS,
  REGISTERED_KIND_LABELS,
} from '@shared/organizations/model';
import { EVALUATION_PARTS, EVALUATION_PART_LABELS } from '@shared/organizations/evaluation';
import { ACTIVITY_STATUS_LABELS, MAJOR_REPORT_STATUS_LABELS } from '@shared/organizations/activity';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { downloadBase64, readUpload } from '../../lib/files';
import { formatBytes, formatDateTime } from '../../lib/format';
import { StageTag, labelOf, useDict } from './common';
import { OrgFormDrawer } from './OrgFormDrawer';

const DATE = 'YYYY-MM-DD';
const d = (v: dayjs.Dayjs | null | undefined) => (v ? v.format(DATE) : undefined);

/** One organization: basics, incubation timeline, party building, evaluations, activities, reports, attachments. */
export function OrgDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data, reload } = useCall('organizations.get', { id }, [id]);
  const canWrite = useCan('admin', 'staff');
  const [editing, setEditing] = useState(false);
  if (!data) return <Spin />;
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      {/* Issue 18: a long name pushed the tags and buttons off the row; the title takes what is left (two lines at most, the whole name in a tooltip). */}
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8, minWidth: 0 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/organizations/list')} style={{ flex: 'none' }}>返回台账</Button>
        <Typography.Title level={4} style={{ margin: 0, flex: '1 1 auto', minWidth: 0 }} ellipsis={{ rows: 2, tooltip: data.input.name }} data-testid="org-title">
          {data.input.name}
        </Typography.Title>
        <Space wrap size={[6, 6]} style={{ flex: '0 1 auto', justifyContent: 'flex-end' }}>
          <Tag>{MGMT_CLASS_LABELS[data.input.mgmtClass]}</Tag>
          <StageTag stage={data.incubationStage} />
          {data.term.overdue && <Tag color="red">孵化超期 {data.term.daysOverdue} 天</Tag>}
          {data.status === 'withdrawn' && <Tag color="default">已退出</Tag>}
          {data.input.marks.map((m) => <Tag color="gold" key={m}>{ORG_MARK_LABELS[m]}</Tag>)}
          {data.latestGrade && <Tag color="purple">评估 {data.latestGrade}</Tag>}
          {canWrite && data.status === 'active' && <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>修改</Button>}
          {canWrite && data.status === 'active' && <WithdrawButton id={id} version={data.version} onDone={reload} />}
        </Space>
      </div>
      {data.filingWarnings.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={`备案条件提示:${data.filingWarnings.join(';')}`} />}
      {data.status === 'withdrawn' && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={`该组织已于 ${data.withdrawnDate} 退出:${data.withdrawnReason}`} />}
      <Tabs
        items={[
          { key: 'basic', label: '基本信息', children: <BasicTab data={data} /> },
          { key: 'incubation', label: '孵化记录', children: <IncubationTab data={data} canWrite={canWrite} onChanged={reload} /> },
          { key: 'party', label: '党建', children: <PartyTab data={data} /> },
          { key: 'evaluations', label: '评估', children: <EvaluationsTab orgId={id} canWrite={canWrite} onChanged={reload} /> },
          { key: 'activities', label: '活动', children: <ActivitiesTab orgId={id} canWrite={canWrite} onChanged={reload} /> },
          { key: 'reports', label: '工作报告与信息公开', children: <ReportsTab orgId={id} canWrite={canWrite} /> },
          { key: 'attachments', label: '附件', children: <AttachmentsTab orgId={id} canWrite={canWrite} /> },
        ]}
      />
      <OrgFormDrawer
        open={editing}
        editing={{ id, version: data.version, input: data.input }}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          void reload();
        }}
      />
    </div>
  );
}

function BasicTab({ data }: { data: OrgDetail }) {
  const field = useDict('org_field');
  const people = useDict('people_served');
  const v = data.input;
  return (
    <Card size="small">
      <Descriptions column={3} size="small" bordered>
        <Descriptions.Item label="组织名称" span={v.name.length > 24 ? 3 : 1}>{v.name}</Descriptions.Item>
        <Descriptions.Item label="简称">{v.shortName}</Descriptions.Item>
        <Descriptions.Item label="管理类别">{MGMT_CLASS_LABELS[v.mgmtClass]}{v.registeredKind && ` · ${REGISTERED_KIND_LABELS[v.registeredKind]}`}</Descriptions.Item>
        <Descriptions.Item label="统一社会信用代码" span={3}>
          {v.creditCode ?? '—'}
          {v.creditCodeConfirmed && <Tag color="orange" style={{ marginLeft: 8 }}>已核对证书保留(核对人 {data.creditCodeConfirmedBy},{formatDateTime(data.creditCodeConfirmedAt)})</Tag>}
          {data.creditCodeNotes.map((n) => <div key={n}><Typography.Text type="warning">{n}</Typography.Text></div>)}
        </Descriptions.Item>
        <Descriptions.Item label="街道(乡镇)">{v.street}</Descriptions.Item>
        <Descriptions.Item label="社区(村)">{v.community}</Descriptions.Item>
        <Descriptions.Item label="城市/农村">{labelOf(AREA_TYPE_LABELS, v.areaType)}</Descriptions.Item>
        <Descriptions.Item label="行政区划代码">{v.regionCode}</Descriptions.Item>
        <Descriptions.Item label="活动领域">{field.label(v.fieldCode)}</Descriptions.Item>
        <Descriptions.Item label="成立日期">{v.foundedDate}</Descriptions.Item>
        <Descriptions.Item label="服务对象" span={3}>{v.peopleServed.map((p) => people.label(p)).join('、')}</Descriptions.Item>
        <Descriptions.Item label="负责人">{v.leaderName} {v.leaderPhone}</Descriptions.Item>
        <Descriptions.Item label="联系人">{v.contactName} {v.contactPhone}</Descriptions.Item>
        <Descriptions.Item label="成员 / 志愿者">{v.memberCount ?? '—'} / {v.volunteerCount ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="固定活动时间">{v.fixedActivityTime}</Descriptions.Item>
        <Descriptions.Item label="固定活动地点">{v.fixedActivityPlace}</Descriptions.Item>
        <Descriptions.Item label="状态">{labelOf(ORG_STATUS_LABELS, data.status)}</Descriptions.Item>
        <Descriptions.Item label="活动数">{data.activityCount}(最近 {data.lastActivityDate ?? '—'})</Descriptions.Item>
        <Descriptions.Item label="最后修改">{formatDateTime(data.updatedAt)}</Descriptions.Item>
        <Descriptions.Item label="备注">{v.remark}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function PartyTab({ data }: { data: OrgDetail }) {
  const v = data.input;
  return (
    <Card size="small">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="章程">{v.charterAdopted ? '已制定' : '未制定'}</Descriptions.Item>
        <Descriptions.Item label="党建入章">{v.partyInCharter ? '是' : '否'}</Descriptions.Item>
        <Descriptions.Item label="党组织形式">{PARTY_ORG_FORM_LABELS[v.partyOrgForm]}</Descriptions.Item>
        <Descriptions.Item label="党建指导员">{v.partyInstructor ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="群团组织" span={2}>{v.massOrgs.length ? v.massOrgs.map((m) => MASS_ORG_LABELS[m]).join('、') : '无'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function WithdrawButton({ id, version, onDone }: { id: string; version: number; onDone(): void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { run, busy } = useAction({ onStale: () => (setOpen(false), onDone()) });
  const sendIrreversible = useIrreversibleCall();
  const submit = async () => {
    const v = await form.validateFields();
    const ok = await run(() => sendIrreversible('organizations.withdraw', { id, version, date: d(v.date)!, reason: v.reason }, `${d(v.date)} 退出，原因：${v.reason}`), '已登记退出');
    if (ok) {
      setOpen(false);
      onDone();
    }
  };
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>退出</Button>
      <FormModal form={form} title="组织退出台账" open={open} onClose={() => setOpen(false)} onOk={submit} confirmLoading={busy} okText="确认退出">
        <Typography.Paragraph type="secondary">退出后记录与原因保留在台账中,正在进行的孵化同时结束。</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ date: dayjs() }}>
          <Form.Item name="date" label="退出日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="reason" label="退出原因" rules={[{ required: true, min: 2, message: '请填写退出原因' }]}><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </FormModal>
    </>
  );
}

function IncubationTab({ data, canWrite, onChanged }: { data: OrgDetail; canWrite: boolean; onChanged(): void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction({ onStale: onChanged });
  const sendIrreversible = useIrreversibleCall();
  const to = Form.useWatch('to', form) as IncubationStage | undefined;
  const next: IncubationStage[] = data.incubationStage ? [...INCUBATION_TRANSITIONS[data.incubationStage]] : ['applied'];
  const submit = async () => {
    const v = await form.validateFields();
    const ok = await run(
      () =>
        sendIrreversible('organizations.transition', {
          orgId: data.id,
          version: data.version,
          to: v.to,
          date: d(v.date)!,
          decidedBy: v.decidedBy,
          reason: v.reason,
          mode: v.mode,
          space: v.space,
          mentor: v.mentor,
          agreementStart: d(v.agreement?.[0]),
          agreementEnd: d(v.agreement?.[1]),
        }, `「${data.input.name}」${d(v.date)} 变更为「${INCUBATION_STAGE_LABELS[v.to as IncubationStage]}」`),
      '孵化阶段已变更',
    );
    if (ok) {
      form.resetFields();
      onChanged();
    }
  };
  return (
    <Space align="start" size={24} wrap>
      <Card size="small" title="孵化时间线" style={{ minWidth: 420 }}>
        {data.history.length === 0 ? (
          <Empty description="尚无孵化记录" />
        ) : (
          <Timeline
            items={data.history.map((h) => ({
              color: h.toStage === 'withdrawn' ? 'red' : h.toStage === 'graduated' ? 'green' : 'blue',
              children: (
                <div>
                  <b>{h.date} {INCUBATION_STAGE_LABELS[h.toStage]}</b>
                  <div>决定人:{h.decidedBy};原因:{h.reason}</div>
                  {h.mode && <div>方式:{INCUBATION_MODE_LABELS[h.mode as 'physical']}{h.space && `,${h.space}`}</div>}
                  {h.mentor && <div>导师:{h.mentor};协议 {h.agreementStart} 至 {h.agreementEnd}</div>}
                  <Typography.Text type="secondary">{h.recordedBy} 登记于 {formatDateTime(h.recordedAt)}</Typography.Text>
                </div>
              ),
            }))}
          />
        )}
        {data.term.dueDate && (
          <Typography.Text type={data.term.overdue ? 'danger' : 'secondary'}>
            孵化期限至 {data.term.dueDate}{data.term.overdue ? `,已超期 ${data.term.daysOverdue} 天` : `,还剩 ${data.term.daysLeft} 天`}
          </Typography.Text>
        )}
      </Card>
      {canWrite && data.status === 'active' && next.length > 0 && (
        <Card size="small" title="变更孵化阶段" style={{ width: 420 }}>
          <Form form={form} layout="vertical" initialValues={{ date: dayjs() }}>
            <Form.Item name="to" label="下一阶段" rules={[{ required: true, message: '请选择' }]}>
              <Radio.Group options={next.map((s) => ({ value: s, label: INCUBATION_STAGE_LABELS[s] }))} />
            </Form.Item>
            <Form.Item name="date" label="日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
            <Form.Item name="decidedBy" label="决定人" rules={[{ required: true, message: '请填写决定人' }]}><Input maxLength={40} /></Form.Item>
            <Form.Item name="reason" label="原因/说明" rules={[{ required: true, message: '请填写原因或说明' }]}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
            {to === 'admitted' && (
              <>
                <Form.Item name="mode" label="孵化方式" rules={[{ required: true, message: '请选择孵化方式' }]}>
                  <Radio.Group options={Object.entries(INCUBATION_MODE_LABELS).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
                <Form.Item name="space" label="入驻工位/房间"><Input maxLength={60} /></Form.Item>
              </>
            )}
            {to === 'incubating' && (
              <>
                <Form.Item name="mentor" label="孵化导师" rules={[{ required: true, message: '请填写孵化导师' }]}><Input maxLength={40} /></Form.Item>
                <Form.Item name="agreement" label="孵化协议期限" rules={[{ required: true, message: '请选择协议起止日期' }]}><DatePicker.RangePicker /></Form.Item>
              </>
            )}
            <Button type="primary" onClick={submit} loading={busy}>确认变更</Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}

function EvaluationsTab({ orgId, canWrite, onChanged }: { orgId: string; canWrite: boolean; onChanged(): void }) {
  const { data, reload } = useCall('organizations.evaluations.list', { orgId }, [orgId]);
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const save = async () => {
    const v = await form.validateFields();
    const ok = await run(() => call('organizations.evaluations.save', { orgId, year: v.year, scores: v.scores, evaluator: v.evaluator }), '评估已保存');
    if (ok) {
      void reload();
      onChanged();
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data?.rows ?? []}
        columns={[
          { title: '年度', dataIndex: 'year' },
          ...EVALUATION_PARTS.map((p) => ({ title: `${EVALUATION_PART_LABELS[p]}(${data?.maxScores[p] ?? ''})`, render: (_: unknown, r: { scores: Record<string, number> }) => r.scores[p] })),
          { title: '总分', dataIndex: 'total' },
          { title: '等级', dataIndex: 'grade', render: (g: string) => <Tag color="purple">{g}</Tag> },
          { title: '评估人', dataIndex: 'evaluator' },
        ]}
      />
      <Typography.Text type="secondary">等级标准:{data?.bands.map((b) => `${b.grade} ≥ ${b.min} 分`).join('、')}</Typography.Text>
      {canWrite && (
        <Card size="small" title="登记年度评估">
          <Form form={form} layout="inline" initialValues={{ year: dayjs().year() - 1 }}>
            <Form.Item name="year" label="年度" rules={[numberRule({ min: 2000, max: 2100 }), { required: true }]}><NumberInput min={2000} max={2100} /></Form.Item>
            {EVALUATION_PARTS.map((p) => (
              <Form.Item key={p} name={['scores', p]} label={EVALUATION_PART_LABELS[p]} rules={[numberRule({ min: 0, max: data?.maxScores[p] }), { required: true, message: '必填' }]}>
                <NumberInput min={0} max={data?.maxScores[p]} step={0.5} style={{ width: 80 }} />
              </Form.Item>
            ))}
            <Form.Item name="evaluator" label="评估人"><Input style={{ width: 140 }} /></Form.Item>
            <Button type="primary" onClick={save} loading={busy}>保存</Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}

export function ActivityTable({ rows, canWrite, onChanged, showOrg }: { rows: ActivityRow[]; canWrite: boolean; onChanged(): void; showOrg?: boolean }) {
  const series = useDict('activity_series');
  const kinds = useDict('activity_kind');
  const { run } = useAction();
  const [reporting, setReporting] = useState<ActivityRow | null>(null);
  const [form] = Form.useForm();
  const fileReport = async () => {
    const v = await form.validateFields();
    const ok = await run(() => call('organizations.activities.fileReport', { id: reporting!.id, filedDate: d(v.filedDate)!, note: v.note }), '已登记重大活动报告');
    if (ok) {
      setReporting(null);
      onChanged();
    }
  };
  return (
    <>
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          ...(showOrg ? [{ title: '组织', dataIndex: 'orgName' }] : []),
          { title: '日期', dataIndex: 'date', width: 110 },
          { title: '活动', dataIndex: 'title' },
          { title: '品牌系列', dataIndex: 'seriesCode', render: (c: string) => series.label(c) },
          { title: '类型', dataIndex: 'kindCode', render: (c: string) => kinds.label(c) },
          { title: '预计/实际人数', render: (_: unknown, r: ActivityRow) => `${r.expectedAttendance ?? '—'} / ${r.actualAttendance ?? '—'}` },
          { title: '志愿者', dataIndex: 'volunteerCount' },
          { title: '状态', dataIndex: 'status', render: (s: ActivityRow['status']) => ACTIVITY_STATUS_LABELS[s] },
          {
            title: '重大活动报告',
            render: (_: unknown, r: ActivityRow) =>
              r.isMajor ? (
                <Space direction="vertical" size={0}>
                  <Tag color={r.reportStatus === 'filed' ? 'green' : r.reportStatus === 'missing' ? 'orange' : 'red'}>{MAJOR_REPORT_STATUS_LABELS[r.reportStatus]}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.majorReasons.join(';')}</Typography.Text>
                  {r.reportFiledDate && <Typography.Text style={{ fontSize: 12 }}>{r.reportFiledDate} {r.reportNote}</Typography.Text>}
                </Space>
              ) : (
                '—'
              ),
          },
          ...(canWrite
            ? [
                {
                  title: '操作',
                  render: (_: unknown, r: ActivityRow) =>
                    r.status === 'planned' && (
                      <Space>
                        {r.isMajor && r.reportStatus !== 'filed' && <Button size="small" onClick={() => { form.resetFields(); setReporting(r); }}>登记报告</Button>}
                        <Button size="small" onClick={() => run(() => call('organizations.activities.setStatus', { id: r.id, status: 'held' }), '已标记为已举办').then((x) => x && onChanged())}>已举办</Button>
                        <Popconfirm title="取消这次活动?" onConfirm={() => run(() => call('organizations.activities.setStatus', { id: r.id, status: 'cancelled' }), '已取消').then((x) => x && onChanged())}>
                          <Button size="small" danger>取消</Button>
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <FormModal form={form} title={`登记重大活动报告:${reporting?.title ?? ''}`} open={!!reporting} onClose={() => setReporting(null)} onOk={fileReport}>
        <Typography.Paragraph type="secondary">报告须在活动日期({reporting?.date})之前提交,否则活动不能标记为已举办。</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ filedDate: dayjs() }}>
          <Form.Item name="filedDate" label="报告日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="note" label="报告说明(报送单位、文号等)" rules={[{ required: true, min: 2, message: '请填写报告说明' }]}><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </FormModal>
    </>
  );
}

function ActivitiesTab({ orgId, canWrite, onChanged }: { orgId: string; canWrite: boolean; onChanged(): void }) {
  const { data, reload } = useCall('organizations.activities.list', { orgId, startRow: 0, endRow: 500 }, [orgId]);
  const series = useDict('activity_series');
  const kinds = useDict('activity_kind');
  const people = useDict('people_served');
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const { run, busy } = useAction();
  const save = async () => {
    const v = await form.validateFields();
    const r = await run(() => call('organizations.activities.save', { orgId, ...v, date: d(v.date)!, peopleServed: v.peopleServed ?? [] }), '活动已登记');
    if (r) {
      if (r.isMajor) Modal.info({ title: '这是重大活动', content: `${r.majorReasons.join(';')}。请在活动日期之前登记重大活动报告。` });
      setOpen(false);
      form.resetFields();
      void reload();
      onChanged();
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canWrite && <Button type="primary" onClick={() => setOpen(true)}>登记活动</Button>}
      <ActivityTable rows={data?.rows ?? []} canWrite={canWrite} onChanged={() => { void reload(); onChanged(); }} />
      <FormModal form={form} title="登记活动" open={open} onClose={() => setOpen(false)} onOk={save} confirmLoading={busy} width={640}>
        <Form form={form} layout="vertical">
          <Form.Item name="title" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }]}><Input maxLength={100} /></Form.Item>
          <Space wrap>
            <Form.Item name="seriesCode" label="品牌系列" rules={[{ required: true, message: '请选择' }]}><Select style={{ width: 160 }} options={series.options} /></Form.Item>
            <Form.Item name="kindCode" label="活动类型"><Select allowClear style={{ width: 140 }} options={kinds.options} /></Form.Item>
            <Form.Item name="date" label="日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="place" label="地点"><Input style={{ width: 220 }} /></Form.Item>
            <Form.Item name="expectedAttendance" label="预计人数" rules={[numberRule({ min: 0, integer: true })]}><NumberInput min={0} integer /></Form.Item>
            <Form.Item name="volunteerCount" label="志愿者人数" rules={[numberRule({ min: 0, integer: true })]}><NumberInput min={0} integer /></Form.Item>
          </Space>
          <Form.Item name="peopleServed" label="服务对象"><Select mode="multiple" options={people.options} /></Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}

function ReportsTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { data, reload } = useCall('organizations.reports.list', { orgId }, [orgId]);
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const save = async () => {
    const v = await form.validateFields();
    const ok = await run(() => call('organizations.reports.create', { orgId, ...v, date: d(v.date)! }), '已登记');
    if (ok) {
      form.resetFields();
      void reload();
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data ?? []}
        columns={[
          { title: '日期', dataIndex: 'date', width: 110 },
          { title: '类别', dataIndex: 'kind', width: 100, render: (k: string) => (k === 'work_report' ? '工作报告' : '信息公开') },
          { title: '标题', dataIndex: 'title' },
          { title: '报送对象', dataIndex: 'recipient' },
          { title: '内容', dataIndex: 'content', ellipsis: true },
          { title: '登记人', dataIndex: 'createdBy' },
        ]}
      />
      {canWrite && (
        <Card size="small" title="登记工作报告或信息公开">
          <Form form={form} layout="inline" initialValues={{ kind: 'work_report', date: dayjs() }}>
            <Form.Item name="kind"><Radio.Group options={[{ value: 'work_report', label: '向"两委"工作报告' }, { value: 'disclosure', label: '信息公开' }]} /></Form.Item>
            <Form.Item name="date" rules={[{ required: true }]}><DatePicker /></Form.Item>
            <Form.Item name="title" rules={[{ required: true, min: 2, message: '请填写标题' }]}><Input placeholder="标题" style={{ width: 220 }} /></Form.Item>
            <Form.Item name="content"><Input placeholder="内容摘要" style={{ width: 260 }} /></Form.Item>
            <Button type="primary" onClick={save} loading={busy}>登记</Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}

function AttachmentsTab({ orgId, canWrite }: { orgId: string; canWrite: boolean }) {
  const { data, reload } = useCall('organizations.attachments.list', { orgId }, [orgId]);
  const { run } = useAction();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canWrite && (
        <Upload
          showUploadList={false}
          beforeUpload={(file) => {
            void run(async () => {
              const r = await call('organizations.attachments.upload', { orgId, file: await readUpload(file) });
              void reload();
              return r;
            }, '已上传');
            return false;
          }}
        >
          <Button icon={<UploadOutlined />}>上传附件</Button>
        </Upload>
      )}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data ?? []}
        columns={[
          { title: '文件名', dataIndex: 'fileName' },
          { title: '大小', dataIndex: 'size', render: (n: number) => formatBytes(n) },
          { title: '上传人', dataIndex: 'uploadedBy' },
          { title: '上传时间', dataIndex: 'uploadedAt', render: (v: string) => formatDateTime(v) },
          { title: 'SHA-256', dataIndex: 'sha256', render: (v: string) => <Typography.Text code>{v.slice(0, 16)}…</Typography.Text> },
          { title: '', render: (_: unknown, r: { id: string }) => <Button size="small" icon={<DownloadOutlined />} onClick={() => run(async () => downloadBase64(await call('organizations.attachments.download', { id: r.id })))}>下载</Button> },
        ]}
      />
    </Space>
  );
}
