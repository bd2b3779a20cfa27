import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Modal, Select, Space, Table, Tooltip } from 'antd';
import { FormModal } from '../../components/forms';
import type { AgGridReact } from 'ag-grid-react';
import type { CallOutput } from '@shared/contract';
import type { Trainee, TraineeDuplicate, TraineeListRow } from '@shared/contract/training';
import { chinaDateOf } from '@shared/dates/parse';
import { ApiError, call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { TableImportDialog } from '../../components/TableImportDialog';
import { ShapedExportButton } from '../../components/ShapedExportButton';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { downloadBase64 } from '../../lib/files';
import { hours, StatusTag, useTrainingDicts } from './common';
import { ListExportButton } from '../../components/ListExport';

export function TraineesPage() {
  const grid = useRef<AgGridReact<TraineeListRow>>(null);
  const dicts = useTrainingDicts();
  const canWrite = useCan('admin', 'staff');
  const isAdmin = useCan('admin');
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [editing, setEditing] = useState<Trainee | 'new' | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const outer = useRef({ search, role });
  outer.current = { search, role };
  const lastSort = useRef<{ colId: string; sort: 'asc' | 'desc' }[]>([]);
  const datasource = useMemo(
    () =>
      pagedDatasource<TraineeListRow>((req) =>
        call('training.trainees.list', {
          startRow: req.startRow,
          endRow: req.endRow,
          search: outer.current.search || undefined,
          role: outer.current.role,
          sort: (lastSort.current = req.sort.map((s) => ({ colId: s.colId, sort: s.sort }))),
        }),
      ),
    [],
  );
  const refresh = () => grid.current?.api.purgeInfiniteCache();
  const columns = useMemo<ColDef<TraineeListRow>[]>(
    () => [
      { field: 'name', headerName: '姓名', width: 110 },
      { field: 'phone', headerName: '手机号', width: 140 },
      { field: 'idNumber', headerName: '身份证号', width: 190, sortable: false },
      { field: 'role', headerName: '人员类别', width: 170, valueFormatter: (p) => dicts.role(p.value) },
      { colId: 'org', headerName: '所属组织/单位', flex: 1, minWidth: 200, sortable: false, valueGetter: (p) => p.data?.organizationName ?? p.data?.unitName ?? '' },
      { field: 'personTimes', headerName: '参训人次', width: 100, sortable: false },
      { field: 'creditedMinutes', headerName: '累计学时', width: 100, sortable: false, valueFormatter: (p) => hours(p.value) },
      { field: 'createdAt', headerName: '登记时间', width: 120, valueFormatter: (p) => (p.value ? chinaDateOf(String(p.value)) : '') },
    ],
    [dicts],
  );
  return (
    <>
      <Space style={{ margin: '4px 0 12px' }} wrap>
        <Input.Search placeholder="拼音、汉字或手机尾号(Ctrl+K)" data-shortcut="search" allowClear value={search} onChange={(e) => setSearch(e.target.value)} onSearch={refresh} style={{ width: 260 }} />
        <Select allowClear placeholder="人员类别" style={{ width: 190 }} value={role} options={dicts.roles} onChange={(v) => { setRole(v); setTimeout(refresh); }} />
        <ListExportButton list="trainees" input={() => ({ search: search || undefined, role, sort: lastSort.current })} />
        {canWrite && (
          <Tooltip title="快捷键 Alt+N">
            <Button type="primary" onClick={() => setEditing('new')} data-shortcut="new">
              新增学员
            </Button>
          </Tooltip>
        )}
        {canWrite && (
          <Button onClick={() => setImporting(true)} data-testid="trainee-import">
            导入花名册
          </Button>
        )}
        {isAdmin && (
          <ShapedExportButton
            call="training.trainees.exportRoster"
            label="导出花名册(导入格式)"
            done="已导出学员花名册"
            confirm="花名册含完整身份证号,导出会记入操作日志。继续导出?"
            testId="trainee-roster-export"
          />
        )}
      </Space>
      {importing && (
        <TableImportDialog
          title="导入学员花名册"
          rowLabel="姓名"
          calls={{ preview: 'training.trainees.import.preview', commit: 'training.trainees.import.commit', template: 'training.trainees.import.template' }}
          onClose={(imported) => {
            setImporting(false);
            if (imported) refresh();
          }}
        />
      )}
      <div className="page-fill">
        <DataGrid<TraineeListRow>
          ref={grid}
          columnDefs={columns}
          rowModelType="infinite"
          datasource={datasource}
          getRowId={(p) => p.data.id}
          onRowClicked={(e) => e.data && setViewing(e.data.id)}
          rowStyle={{ cursor: 'pointer' }}
        />
      </div>
      <TraineeForm
        trainee={editing === 'new' ? null : editing}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={(t) => { setEditing(null); refresh(); setViewing(t.id); }}
        onUseExisting={(t) => { setEditing(null); setViewing(t.id); }}
      />
      <TraineeDrawer id={viewing} onClose={() => setViewing(null)} onEdit={(t) => { setViewing(null); setEditing(t); }} canWrite={canWrite} />
    </>
  );
}

type FormValues = { name: string; phone: string | null; idNumber: string | null; role: string; organizationId: string | null; unitName: string | null; note: string | null };

function TraineeForm({ trainee, open, onClose, onSaved, onUseExisting }: { trainee: Trainee | null; open: boolean; onClose: () => void; onSaved: (t: Trainee) => void; onUseExisting: (t: Trainee) => void }) {
  const [form] = Form.useForm<FormValues>();
  const dicts = useTrainingDicts();
  const { data: options } = useCall('training.options', {});
  const [dup, setDup] = useState<TraineeDuplicate | null>(null);
  const { run, busy } = useAction();
  const save = async () => {
    const v = await form.validateFields();
    setDup(null);
    try {
      const t = await call('training.trainees.save', { ...v, id: trainee?.id, version: trainee?.version });
      onSaved(t);
    } catch (e) {
      const d = e instanceof ApiError ? (e.details as { duplicate?: TraineeDuplicate } | undefined)?.duplicate : undefined;
      if (d) setDup(d);
      else await run(() => Promise.reject(e));
    }
  };
  useEffect(() => {
    if (!open) return;
    setDup(null);
    form.resetFields();
    if (trainee) form.setFieldsValue(trainee);
  }, [open, trainee, form]);
  return (
    <FormModal form={form}
      open={open}
      title={trainee ? '修改学员' : '新增学员'}
      onClose={onClose}
      onOk={save}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
    >
      {dup && (
        <Alert
          type={dup.kind === 'conflict' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          message={dup.message}
          description={`${dup.existing.name} · ${dup.existing.phone ?? '无手机'} · ${dup.existing.idNumber ?? '无身份证号'} · ${dup.existing.organizationName ?? dup.existing.unitName ?? ''}`}
          action={dup.kind === 'same' ? <Button size="small" type="primary" onClick={() => onUseExisting(dup.existing)}>使用已有学员</Button> : undefined}
        />
      )}
      <Form form={form} layout="vertical">
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="phone" label="手机号/电话">
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="idNumber" label="身份证号(可选；保存后只显示部分号码，留着带 * 的号码即不修改)">
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="role" label="人员类别" rules={[{ required: true, message: '请选择人员类别' }]}>
          <Select options={dicts.roles} />
        </Form.Item>
        <Form.Item name="organizationId" label="所属组织">
          <Select allowClear showSearch optionFilterProp="label" options={(options?.organizations ?? []).map((o) => ({ value: o.id, label: o.name }))} />
        </Form.Item>
        <Form.Item name="unitName" label="工作单位(不属于登记组织时)">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** The masked number; an admin may show the whole one, which is written to the audit log (asked first). */
function IdNumberCell({ traineeId, masked }: { traineeId: string; masked: string | null }) {
  const isAdmin = useCan('admin');
  const { modal } = App.useApp();
  const { run } = useAction();
  const [full, setFull] = useState<{ id: string; value: string | null } | null>(null);
  if (!masked) return <>—</>;
  const shown = full?.id === traineeId ? full.value : null;
  return (
    <Space size={8}>
      <span data-testid="id-number">{shown ?? masked}</span>
      {isAdmin && !shown && (
        <Button
          size="small"
          type="link"
          onClick={() =>
            modal.confirm({
              title: '显示完整身份证号？',
              content: '本次查看将记入操作日志(谁、何时、查看了哪位学员)。',
              okText: '显示',
              cancelText: '取消',
              onOk: async () => {
                const r = await run(() => call('training.trainees.revealIdNumber', { id: traineeId }));
                if (r) setFull({ id: traineeId, value: r.idNumber });
              },
            })
          }
        >
          显示完整号码
        </Button>
      )}
    </Space>
  );
}

function TraineeDrawer({ id, onClose, onEdit, canWrite }: { id: string | null; onClose: () => void; onEdit: (t: Trainee) => void; canWrite: boolean }) {
  const dicts = useTrainingDicts();
  const { message } = App.useApp();
  const { run, busy } = useAction();
  const [data, setData] = useState<CallOutput<'training.trainees.get'>>();
  // Loaded only while a trainee is open (a closed drawer has no id to ask for).
  useEffect(() => {
    if (!id) return;
    let live = true;
    call('training.trainees.get', { id }).then(
      (r) => live && setData(r),
      (e: unknown) => live && message.error(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [id, message]);
  const d = id && data?.trainee.id === id ? data : null;
  return (
    <Drawer open={!!id} onClose={onClose} width={760} title={d ? `学员培训档案：${d.trainee.name}` : '学员培训档案'} extra={
        d && (
          <Space>
            <Button loading={busy} onClick={async () => { const f = await run(() => call('training.trainees.export', { id: d.trainee.id })); if (f) downloadBase64(f); }}>
              导出档案
            </Button>
            {canWrite && <Button onClick={() => onEdit(d.trainee)}>修改</Button>}
          </Space>
        )
      }
    >
      {d && (
        <>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="手机号">{d.trainee.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="身份证号">
              <IdNumberCell traineeId={d.trainee.id} masked={d.trainee.idNumber} />
            </Descriptions.Item>
            <Descriptions.Item label="人员类别">{dicts.role(d.trainee.role)}</Descriptions.Item>
            <Descriptions.Item label="组织/单位">{d.trainee.organizationName ?? d.trainee.unitName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="参训人次">{d.totals.personTimes}</Descriptions.Item>
            <Descriptions.Item label="累计学时">{hours(d.totals.creditedMinutes)} 小时</Descriptions.Item>
            <Descriptions.Item label="结业场次">{d.totals.completed}</Descriptions.Item>
            <Descriptions.Item label="缺勤">{d.totals.absences}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="sessionId"
            dataSource={d.history}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '日期', dataIndex: 'date', width: 100 },
              { title: '培训主题', dataIndex: 'title' },
              { title: '类别', dataIndex: 'category', width: 110, render: (c: string) => dicts.category(c) },
              { title: '状态', dataIndex: 'status', width: 70, render: (s) => <StatusTag status={s} /> },
              { title: '学时', dataIndex: 'creditedMinutes', width: 60, render: (m: number) => hours(m) },
              { title: '证书', dataIndex: 'certificateSerial', width: 140 },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
