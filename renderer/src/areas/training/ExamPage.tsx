import { useEffect, useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { FormModal } from '../../components/forms';
import { NumberInput, numberRule } from '../../components/NumberInput';
import type { ExamCandidate } from '@shared/contract/training';
import { DEFAULT_EXAM_RULES, EXAM_LEVELS, EXAM_LEVEL_LABELS, type ExamLevel } from '@shared/training/exam';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { downloadBase64 } from '../../lib/files';
import { thisYear, useTrainingDicts, YearSelect } from './common';
import { TraineePicker } from './TraineePicker';

/** 社会工作者职业资格考试: candidates the hub prepares, their scores, and whether they passed (rolling window). */
export function ExamPage() {
  const [year, setYear] = useState(thisYear());
  const dicts = useTrainingDicts();
  const canWrite = useCan('admin', 'staff');
  const { data, reload, loading } = useCall('training.exam.list', { year }, [year]);
  const { run, busy } = useAction();
  const [edit, setEdit] = useState<ExamCandidate | 'new' | null>(null);
  const subjectLabel = (level: ExamLevel, code: string) => DEFAULT_EXAM_RULES[level].subjects.find((s) => s.code === code)?.label ?? code;
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space style={{ margin: '4px 0 12px' }}>
        <YearSelect value={year} onChange={setYear} />
        {canWrite && <Button type="primary" onClick={() => setEdit('new')}>登记考生</Button>}
        <Button loading={busy} onClick={async () => { const f = await run(() => call('training.exam.export', { year })); if (f) downloadBase64(f); }}>导出 Excel</Button>
      </Space>
      <Table<ExamCandidate>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data ?? []}
        onRow={(r) => ({ onClick: () => canWrite && setEdit(r), style: { cursor: canWrite ? 'pointer' : undefined } })}
        columns={[
          { title: '姓名', dataIndex: 'traineeName', width: 100 },
          { title: '人员类别', dataIndex: 'role', width: 160, render: (r: string) => dicts.role(r) },
          { title: '组织/单位', dataIndex: 'organizationName', ellipsis: true },
          { title: '报考级别', dataIndex: 'level', width: 190, render: (l: ExamLevel) => EXAM_LEVEL_LABELS[l] },
          { title: '本年成绩', render: (_, r) => r.scores.map((s) => `${subjectLabel(r.level, s.subject)} ${s.score ?? '缺考'}`).join('；') },
          {
            title: '结果',
            width: 180,
            render: (_, r) =>
              r.passed ? <Tag color="green">通过（{r.passedYear}）</Tag> : <Tag color="orange">未通过{r.missing.length ? `：差${r.missing.map((m) => subjectLabel(r.level, m)).join('、')}` : ''}</Tag>,
          },
        ]}
      />
      <CandidateModal year={year} candidate={edit === 'new' ? null : edit} open={edit !== null} onClose={() => setEdit(null)} onSaved={() => { setEdit(null); void reload(); }} />
    </div>
  );
}

function CandidateModal({ year, candidate, open, onClose, onSaved }: { year: number; candidate: ExamCandidate | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm();
  const { run, busy } = useAction();
  const level = (Form.useWatch('level', form) ?? 'assistant') as ExamLevel;
  const save = async () => {
    const v = await form.validateFields();
    const scores = DEFAULT_EXAM_RULES[v.level as ExamLevel].subjects
      .filter((s) => v[`s_${s.code}`] !== undefined && v[`s_${s.code}`] !== null && v[`s_${s.code}`] !== '')
      .map((s) => ({ subject: s.code, score: v[`s_${s.code}`] === -1 ? null : Number(v[`s_${s.code}`]) }));
    const r = await run(() => call('training.exam.saveCandidate', { id: candidate?.id, traineeId: v.traineeId, year, level: v.level, note: v.note ?? null, scores }), '已保存');
    if (r) onSaved();
  };
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    const init: Record<string, unknown> = { level: candidate?.level ?? 'assistant', traineeId: candidate?.traineeId, note: candidate?.note };
    for (const s of candidate?.scores ?? []) init[`s_${s.subject}`] = s.score ?? -1;
    form.setFieldsValue(init);
  }, [open, candidate, form]);
  return (
    <FormModal form={form}
      open={open}
      title={candidate ? `考生：${candidate.traineeName}` : `登记${year}年考生`}
      onClose={onClose}
      onOk={save}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        {candidate ? (
          <>
            <Form.Item name="traineeId" hidden>
              <Input />
            </Form.Item>
            <Form.Item label="学员">{candidate.traineeName}</Form.Item>
          </>
        ) : (
          <Form.Item name="traineeId" label="学员" rules={[{ required: true, message: '请选择学员' }]}>
            <TraineePicker />
          </Form.Item>
        )}
        <Form.Item name="level" label="报考级别" rules={[{ required: true }]}>
          <Select options={EXAM_LEVELS.map((l) => ({ value: l, label: EXAM_LEVEL_LABELS[l] }))} />
        </Form.Item>
        {DEFAULT_EXAM_RULES[level].subjects.map((s) => (
          <Form.Item key={s.code} name={`s_${s.code}`} label={`${s.label}成绩（满分${DEFAULT_EXAM_RULES[level].fullMark}，合格${DEFAULT_EXAM_RULES[level].passMark}；缺考填 -1，未出成绩留空）`} rules={[numberRule({ min: -1, max: DEFAULT_EXAM_RULES[level].fullMark, integer: true })]}>
            <NumberInput min={-1} max={DEFAULT_EXAM_RULES[level].fullMark} integer style={{ width: 160 }} />
          </Form.Item>
        ))}
        <Form.Item name="note" label="备注">
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
