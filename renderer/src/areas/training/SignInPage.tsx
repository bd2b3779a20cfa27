import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, List, Select, Space, Statistic, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import type { LookupCandidate } from '@shared/contract/training';
import { ATTENDANCE_STATUS_LABELS } from '@shared/training/attendance';
import { ApiError, call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { formatDateTime } from '../../lib/format';
import { StatusTag, useTrainingDicts } from './common';

type Flash = { type: 'success' | 'error' | 'info'; text: string } | null;

/** 「迟到 15 分钟」, or for a few minutes within the grace period 「（晚到 7 分钟，在宽限时间内）」. */
const lateNote = (status: string | null, minutes: number) => (!minutes ? '' : status === 'late' ? ` ${minutes} 分钟` : `（晚到 ${minutes} 分钟，在宽限时间内）`);

/**
 * The door: type a few letters of the name (pinyin initials or full pinyin), characters, or the phone
 * tail, press Enter. Arrow keys choose among equals; an unknown person is added on the spot.
 */
export function SignInPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const dicts = useTrainingDicts();
  const { data: session } = useCall('training.sessions.get', { id }, [id]);
  const { data: rows, reload } = useCall('training.attendance.list', { sessionId: id }, [id]);
  const { data: options } = useCall('training.options', {});
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<LookupCandidate[]>([]);
  const [pick, setPick] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [flash, setFlash] = useState<Flash>(null);
  const [adding, setAdding] = useState(false);
  const [clock, setClock] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<InputRef>(null);
  const seq = useRef(0);
  /** The query the shown candidates answer: keys act only on the answer to what is typed now (issue 18). */
  const shownFor = useRef<string | null>(null);
  const [form] = Form.useForm();

  const lookupNow = useCallback(
    async (q: string): Promise<{ candidates: LookupCandidate[]; pick: string | null } | null> => {
      const my = ++seq.current;
      try {
        const r = await call('training.signin.lookup', { sessionId: id, query: q });
        if (my !== seq.current) return null;
        setCandidates(r.candidates);
        setPick(r.pick);
        setHint(r.message);
        // The highlight stays where the keys put it while the answer is for the same text.
        if (shownFor.current !== q) setActive(-1);
        shownFor.current = q;
        return { candidates: r.candidates, pick: r.pick };
      } catch (e) {
        if (my === seq.current) setHint(e instanceof ApiError ? e.message : String(e));
        return null;
      }
    },
    [id],
  );
  /** The lookup under way: a key pressed while the typed text's answer is coming waits for that same answer. */
  const inflight = useRef<{ q: string; answer: Promise<{ candidates: LookupCandidate[]; pick: string | null } | null> } | null>(null);
  const lookup = useCallback(
    (q: string): Promise<{ candidates: LookupCandidate[]; pick: string | null } | null> => {
      if (inflight.current?.q === q) return inflight.current.answer;
      const answer = lookupNow(q);
      inflight.current = { q, answer };
      void answer.finally(() => {
        if (inflight.current?.answer === answer) inflight.current = null;
      });
      return answer;
    },
    [lookupNow],
  );
  useEffect(() => {
    const t = setTimeout(() => void lookup(query), 80);
    return () => clearTimeout(t);
  }, [query, lookup]);

  const refocus = () => setTimeout(() => input.current?.focus(), 0);
  const clear = () => {
    setQuery('');
    setCandidates([]);
    setPick(null);
    setActive(-1);
    shownFor.current = '';
    refocus();
  };
  const signIn = async (c: LookupCandidate) => {
    if (busy) return;
    setBusy(true);
    try {
      const r = await call('training.signin.record', { sessionId: id, traineeId: c.id, clock: clock || undefined });
      setFlash({ type: r.status === 'late' ? 'info' : 'success', text: `${r.name} 签到成功：${ATTENDANCE_STATUS_LABELS[r.status!]}${lateNote(r.status, r.lateMinutes)}` });
      clear();
      void reload();
    } catch (e) {
      setFlash({ type: 'error', text: e instanceof ApiError ? e.message : String(e) });
      refocus();
    } finally {
      setBusy(false);
    }
  };
  const startAdding = () => {
    const q = query.trim();
    form.resetFields();
    form.setFieldsValue({
      name: /[\u4e00-\u9fff]/.test(q) ? q : '',
      phone: /^\d{11}$/.test(q) ? q : '',
      role: dicts.roles[0]?.value,
    });
    setAdding(true);
  };
  /**
   * ↓/↑/Enter act on the candidates for the text typed now. Typed fast (type, ↓, Enter within the lookup's delay)
   * the list on screen was the answer to a shorter text, and Enter took whoever stood first there: the keys
   * now wait for the answer to the current text first. ↓ moves from the highlighted person (the Enter pick).
   */
  const current = async (): Promise<{ candidates: LookupCandidate[]; pick: string | null; fresh: boolean }> => {
    if (shownFor.current === query) return { candidates, pick, fresh: false };
    const r = await lookup(query);
    return r ? { ...r, fresh: true } : { candidates, pick, fresh: false };
  };
  const onKeyDown = async (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Enter') e.preventDefault();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const c = await current();
      const from = c.fresh ? -1 : active;
      const start = from >= 0 ? from : c.candidates.findIndex((x) => x.id === c.pick);
      if (!c.candidates.length) return;
      setActive(e.key === 'ArrowDown' ? Math.min(c.candidates.length - 1, start + 1) : Math.max(0, start < 0 ? 0 : start - 1));
    } else if (e.key === 'Escape') {
      clear();
    } else if (e.key === 'Enter') {
      const c = await current();
      const candidates = c.candidates;
      const idx = c.fresh ? -1 : active;
      const chosen = idx >= 0 ? candidates[idx] : candidates.find((x) => x.id === c.pick);
      if (chosen?.signedIn) {
        // A second Enter at the door is common; say so calmly instead of an error.
        setFlash({ type: 'info', text: `${chosen.name}已签到，无需重复签到` });
        clear();
      } else if (chosen) void signIn(chosen);
      else if (candidates.length > 1) {
        setActive(0);
        setFlash({ type: 'info', text: '有多位相同匹配，请用 ↑↓ 选择后按 Enter' });
      } else if (candidates.length === 0 && query.trim()) startAdding();
    } else if (e.key === 'F2') {
      e.preventDefault();
      startAdding();
    }
  };
  const addPerson = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await call('training.signin.addPerson', {
        sessionId: id,
        name: v.name,
        phone: v.phone || null,
        idNumber: v.idNumber || null,
        role: v.role,
        organizationId: v.organizationId ?? null,
        unitName: v.unitName || null,
        clock: clock || undefined,
      });
      setFlash({ type: 'success', text: `${r.row.name} ${r.existing ? '（已有学员）' : '（新登记）'}签到成功：${ATTENDANCE_STATUS_LABELS[r.row.status!]}` });
      setAdding(false);
      clear();
      void reload();
    } catch (e) {
      setFlash({ type: 'error', text: e instanceof ApiError ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  const attended = (rows ?? []).filter((r) => r.status === 'present' || r.status === 'late');
  return (
    <div style={{ display: 'flex', gap: 16, flex: 1, minHeight: 0 }}>
      <div style={{ flex: 3, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        <Space style={{ margin: '4px 0 8px' }} wrap>
          <Button onClick={() => navigate(`/training/sessions/${id}`)}>返回场次</Button>
          <Typography.Title level={4} style={{ margin: 0 }}>
            快速签到：{session?.title}
          </Typography.Title>
          <Typography.Text type="secondary">{session ? `${session.date} ${session.startTime ?? ''}` : ''}</Typography.Text>
        </Space>
        <Input
          ref={input}
          autoFocus
          size="large"
          aria-label="签到输入"
          placeholder="拼音首字母(如 zs)、全拼、汉字或手机尾号，Enter 签到"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => void onKeyDown(e)}
          style={{ fontSize: 22, height: 56 }}
        />
        <Space style={{ margin: '8px 0' }}>
          <Typography.Text type="secondary">补录签到时间(留空为当前时间)：</Typography.Text>
          <Input value={clock} onChange={(e) => setClock(e.target.value)} placeholder="HH:MM" style={{ width: 90 }} aria-label="补录时间" />
          <Button onClick={startAdding}>现场登记(F2)</Button>
        </Space>
        {flash && <Alert type={flash.type} showIcon message={flash.text} style={{ marginBottom: 8, fontSize: 16 }} closable onClose={() => setFlash(null)} />}
        {hint && <Alert type="warning" message={hint} style={{ marginBottom: 8 }} />}
        <List
          bordered
          dataSource={candidates}
          locale={{ emptyText: query ? '没有匹配的学员，按 Enter 现场登记' : '等待输入' }}
          renderItem={(c, i) => (
            <List.Item
              onClick={() => void signIn(c)}
              style={{ cursor: 'pointer', background: i === active ? '#e6f4ff' : c.id === pick && active < 0 ? '#f6ffed' : undefined, fontSize: 16 }}
              data-testid="signin-candidate"
              data-highlighted={(active >= 0 ? i === active : c.id === pick) ? 'true' : undefined}
            >
              <Space size="large">
                <strong style={{ fontSize: 18 }}>{c.name}</strong>
                <span>{c.phoneTail ? `尾号 ${c.phoneTail}` : '无手机'}</span>
                <span>{dicts.role(c.role)}</span>
                <span>{c.organizationName ?? ''}</span>
              </Space>
              <Space>
                {c.registered ? <Tag color="blue">已报名</Tag> : <Tag>未报名</Tag>}
                {c.signedIn && <Tag color="green">已签到</Tag>}
                {(c.id === pick && active < 0) || i === active ? c.signedIn ? <Tag>无需重复签到</Tag> : <Tag color="success">Enter 签到</Tag> : null}
              </Space>
            </List.Item>
          )}
        />
        {adding && (
          <Card title="现场登记新学员并签到" size="small" style={{ marginTop: 12 }} extra={<Button size="small" onClick={() => { setAdding(false); refocus(); }}>取消</Button>}>
            <Form form={form} layout="inline" onFinish={addPerson} style={{ rowGap: 8 }}>
              <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
                <Input autoFocus style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}>
                <Input style={{ width: 150 }} />
              </Form.Item>
              <Form.Item name="role" label="人员类别" rules={[{ required: true }]}>
                <Select options={dicts.roles} style={{ width: 190 }} />
              </Form.Item>
              <Form.Item name="organizationId" label="所属组织">
                <Select allowClear showSearch optionFilterProp="label" style={{ width: 220 }} options={(options?.organizations ?? []).map((o) => ({ value: o.id, label: o.name }))} />
              </Form.Item>
              <Form.Item name="unitName" label="单位(无组织时)">
                <Input style={{ width: 180 }} />
              </Form.Item>
              <Form.Item name="idNumber" label="身份证号(可选)">
                <Input style={{ width: 200 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                登记并签到
              </Button>
            </Form>
          </Card>
        )}
      </div>
      <div style={{ flex: 2, display: 'flex', flexDirection: 'column', minWidth: 280 }}>
        <Space size="large" style={{ margin: '4px 0 8px' }}>
          <Statistic title="已签到" value={attended.length} />
          <Statistic title="报名" value={(rows ?? []).filter((r) => r.registered).length} />
          <Statistic title="容量" value={session?.capacity ?? '不限'} />
        </Space>
        <List
          size="small"
          bordered
          style={{ overflow: 'auto', flex: 1 }}
          header="签到记录(按到场时间，最晚在上)"
          dataSource={(rows ?? []).filter((r) => r.status)}
          renderItem={(r) => (
            <List.Item>
              <Space>
                <strong>{r.name}</strong>
                <StatusTag status={r.status} />
                {r.lateMinutes > 0 && <span>{r.status === 'late' ? `迟到${r.lateMinutes}分` : `晚到${r.lateMinutes}分(宽限内)`}</span>}
              </Space>
              <span>{formatDateTime(r.signedInAt).slice(11)}</span>
            </List.Item>
          )}
        />
      </div>
    </div>
  );
}
