import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Input, Modal, Segmented, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, PlusOutlined, SaveOutlined, UploadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { AgGridReact } from 'ag-grid-react';
import type { OrgListRow, OrgView } from '@shared/contract/organizations';
import { INCUBATION_STAGES, INCUBATION_STAGE_LABELS } from '@shared/organizations/incubation';
import { MGMT_CLASSES, MGMT_CLASS_LABELS, ORG_MARKS, ORG_MARK_LABELS, ORG_STATUS_LABELS, type MgmtClass, type OrgMark } from '@shared/organizations/model';
import { ORG_GROUP_BY_LABELS, ORG_LIST_COLUMNS, type OrgFilterModel, type OrgGroupBy, type OrgListColumn, type OrgQuickFilters } from '@shared/organizations/list';
import type { IncubationStage } from '@shared/organizations/incubation';
import { call } from '../../api/client';
import { useAction, useCall } from '../../api/hooks';
import { useIrreversibleCall } from '../../components/irreversible';
import { useCan } from '../../app/session';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { downloadBase64 } from '../../lib/files';
import { StageTag, labelOf, useDict } from './common';
import { OrgFormDrawer } from './OrgFormDrawer';

/** Keeps only the grid filters the core accepts (whitelisted columns). */
function toFilterModel(fm: Record<string, unknown>): OrgFilterModel {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fm)) if (k in ORG_LIST_COLUMNS) out[k] = v;
  return out as OrgFilterModel;
}

/** 组织台账: 50,000 rows stay in SQLite; the grid asks for blocks with its filters and sort. */
export function OrgListPage() {
  const navigate = useNavigate();
  const grid = useRef<AgGridReact<OrgListRow>>(null);
  const canWrite = useCan('admin', 'staff');
  const field = useDict('org_field');
  const [search, setSearch] = useState('');
  const [quick, setQuick] = useState<OrgQuickFilters>({});
  const [total, setTotal] = useState<number | null>(null);
  const [groupBy, setGroupBy] = useState<OrgGroupBy>('street');
  const [groups, setGroups] = useState<{ key: string | null; label: string; count: number }[]>([]);
  const [creating, setCreating] = useState(false);
  const [viewName, setViewName] = useState<string | null>(null);
  const [naming, setNaming] = useState<string | null>(null);
  const canKeepViews = useCan('admin', 'staff', 'accountant', 'approver');
  const views = useCall('organizations.views.list', {}, []);
  const { run, busy } = useAction();
  const sendIrreversible = useIrreversibleCall();
  const state = useRef({ search, quick, filterModel: {} as OrgFilterModel, sort: [] as { colId: string; sort: 'asc' | 'desc' }[] });
  state.current.search = search;
  state.current.quick = quick;

  const datasource = useMemo(
    () =>
      pagedDatasource<OrgListRow>(async (req) => {
        const s = state.current;
        s.filterModel = toFilterModel(req.filterModel);
        s.sort = req.sort.map((x) => ({ colId: x.colId, sort: x.sort }));
        const r = await call('organizations.list', {
          startRow: req.startRow,
          endRow: req.endRow,
          search: s.search.trim() || undefined,
          quick: s.quick,
          filterModel: s.filterModel,
          sortModel: s.sort.filter((x) => x.colId in ORG_LIST_COLUMNS) as never,
          withCount: true,
        });
        setTotal(r.total);
        return { rows: r.rows, total: r.total ?? 0 };
      }),
    [],
  );

  const loadGroups = useCallback(async () => {
    const s = state.current;
    setGroups(await call('organizations.groupCounts', { by: groupBy, search: s.search.trim() || undefined, quick: s.quick, filterModel: s.filterModel }));
  }, [groupBy]);

  const refresh = useCallback(() => {
    grid.current?.api?.purgeInfiniteCache();
    void loadGroups();
  }, [loadGroups]);

  useEffect(() => {
    refresh();
  }, [quick, refresh]);

  const setQ = (patch: Partial<OrgQuickFilters>) => {
    setViewName(null);
    applyQuick(patch);
  };
  const applyQuick = (patch: Partial<OrgQuickFilters>) => setQuick((q) => Object.fromEntries(Object.entries({ ...q, ...patch }).filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))) as OrgQuickFilters);

  const pickGroup = (key: string | null) => {
    if (key == null) return;
    if (groupBy === 'street') setQ({ street: key });
    else if (groupBy === 'mgmtClass') setQ({ mgmtClass: [key as MgmtClass] });
    else if (groupBy === 'incubationStage') setQ({ incubationStage: [key as IncubationStage] });
    else if (groupBy === 'fieldCode') setQ({ fieldCode: key });
    else if (groupBy === 'areaType') setQ({ areaType: key as 'urban' | 'rural' });
    else if (groupBy === 'status') setQ({ status: [key as 'active' | 'withdrawn'] });
  };

  const saveView = async () => {
    const name = naming?.trim();
    if (!name) return;
    const s = state.current;
    const ok = await run(
      () =>
        call('organizations.views.save', {
          name,
          state: { search: s.search.trim(), quick: s.quick, filterModel: s.filterModel, sortModel: s.sort.filter((x) => x.colId in ORG_LIST_COLUMNS) as { colId: OrgListColumn; sort: 'asc' | 'desc' }[] },
        }),
      `已保存视图「${name}」`,
    );
    if (ok) {
      setNaming(null);
      setViewName(name);
      void views.reload();
    }
  };

  /** Puts a saved view back: search box, quick filters, and the grid's own filters and sort. */
  const applyView = (v: OrgView) => {
    setViewName(v.name);
    setSearch(v.state.search);
    state.current.search = v.state.search;
    const api = grid.current?.api;
    if (api) {
      api.setFilterModel(Object.keys(v.state.filterModel).length ? v.state.filterModel : null);
      api.applyColumnState({ state: v.state.sortModel.map((x, i) => ({ colId: x.colId, sort: x.sort, sortIndex: i })), defaultState: { sort: null } });
    }
    setQuick(v.state.quick);
  };

  const deleteView = async (v: OrgView) => {
    const ok = await run(() => sendIrreversible('organizations.views.delete', { id: v.id }, `视图「${v.name}」`), `已删除视图「${v.name}」`);
    if (ok) {
      if (viewName === v.name) setViewName(null);
      void views.reload();
    }
  };

  const exportView = () =>
    run(async () => {
      const s = state.current;
      const file = await call('organizations.export', { search: s.search.trim() || undefined, quick: s.quick, filterModel: s.filterModel, sortModel: s.sort as never });
      downloadBase64(file);
      return file;
    }, '已导出当前视图');

  const text = { filter: 'agTextColumnFilter' };
  const num = { filter: 'agNumberColumnFilter' };
  const date = { filter: 'agDateColumnFilter' };
  const columns = useMemo<ColDef<OrgListRow>[]>(
    () => [
      { field: 'name', headerName: '组织名称', width: 260, pinned: 'left', ...text },
      { field: 'creditCode', headerName: '统一社会信用代码', width: 190, ...text, cellRenderer: (p: { value: string | null; data?: OrgListRow }) => (p.value ? <span>{p.value}{p.data?.creditCodeConfirmed && <Tag color="orange" style={{ marginLeft: 4 }}>已核对</Tag>}</span> : '') },
      { field: 'mgmtClass', headerName: '管理类别', width: 130, valueFormatter: (p) => labelOf(MGMT_CLASS_LABELS, p.value) },
      { field: 'street', headerName: '街道(乡镇)', width: 120, ...text },
      { field: 'community', headerName: '社区(村)', width: 130, ...text },
      { field: 'fieldCode', headerName: '活动领域', width: 110, sortable: true, valueFormatter: (p) => field.label(p.value) },
      { field: 'leaderName', headerName: '负责人', width: 100, ...text },
      { field: 'leaderPhone', headerName: '负责人电话', width: 130, ...text },
      { field: 'memberCount', headerName: '成员', width: 90, ...num },
      { field: 'volunteerCount', headerName: '志愿者', width: 90, ...num },
      { field: 'foundedDate', headerName: '成立日期', width: 120, ...date },
      { field: 'incubationStage', headerName: '孵化阶段', width: 130, cellRenderer: (p: { value: IncubationStage | null; data?: OrgListRow }) => (p.data ? <span><StageTag stage={p.value} />{p.data.overdue && <Tag color="red">超期</Tag>}</span> : null) },
      { field: 'incubationDate', headerName: '阶段日期', width: 120, ...date },
      { field: 'activityCount', headerName: '活动数', width: 90, ...num },
      { field: 'lastActivityDate', headerName: '最近活动', width: 120, ...date },
      { field: 'latestGrade', headerName: '评估等级', width: 100, ...text },
      { field: 'status', headerName: '状态', width: 90, valueFormatter: (p) => labelOf(ORG_STATUS_LABELS, p.value) },
    ],
    [field],
  );

  return (
    <>
      <div className="org-toolbar" style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 8 }}>
        <Input.Search
          data-testid="org-search"
          placeholder="名称、信用代码、负责人、电话尾号或拼音首字母(如 llsw)，Ctrl+K"
          allowClear
          style={{ width: 340, flex: '0 1 340px' }}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setViewName(null);
          }}
          onSearch={refresh}
        />
        <Select mode="multiple" allowClear maxTagCount="responsive" placeholder="管理类别" style={{ width: 150 }} value={quick.mgmtClass ?? []} onChange={(v) => setQ({ mgmtClass: v })} options={MGMT_CLASSES.map((c) => ({ value: c, label: MGMT_CLASS_LABELS[c] }))} />
        <Select mode="multiple" allowClear maxTagCount="responsive" placeholder="孵化阶段" style={{ width: 140 }} value={quick.incubationStage ?? []} onChange={(v) => setQ({ incubationStage: v })} options={INCUBATION_STAGES.map((s) => ({ value: s, label: INCUBATION_STAGE_LABELS[s] }))} />
        <Select allowClear placeholder="标识" style={{ width: 120 }} value={quick.mark} onChange={(v: OrgMark | undefined) => setQ({ mark: v })} options={ORG_MARKS.map((m) => ({ value: m, label: ORG_MARK_LABELS[m] }))} />
        <span style={{ flex: 1 }} />
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-shortcut="new" title="快捷键 Alt+N">新建组织</Button>}
        {canWrite && <Button icon={<UploadOutlined />} onClick={() => navigate('/organizations/import')}>导入台账</Button>}
      </div>
      <div style={{ display: 'flex', gap: 12, alignItems: 'center', marginBottom: 8, flexWrap: 'wrap' }}>
        <Space size={4}><Switch size="small" checked={!!quick.overdue} onChange={(v) => setQ({ overdue: v })} />孵化超期</Space>
        <Space size={4}><Switch size="small" checked={!!quick.filingWarnings} onChange={(v) => setQ({ filingWarnings: v })} />备案条件不足</Space>
        <Space size={4}><Switch size="small" checked={!!quick.confirmedCode} onChange={(v) => setQ({ confirmedCode: v })} />核对保留的代码</Space>
        {quick.street && <Tag closable onClose={() => setQ({ street: undefined })}>街道:{quick.street}</Tag>}
        {quick.fieldCode && <Tag closable onClose={() => setQ({ fieldCode: undefined })}>领域:{field.label(quick.fieldCode)}</Tag>}
        {quick.areaType && <Tag closable onClose={() => setQ({ areaType: undefined })}>{quick.areaType === 'urban' ? '城市' : '农村'}</Tag>}
        {quick.status && <Tag closable onClose={() => setQ({ status: undefined })}>状态:{quick.status.map((x) => labelOf(ORG_STATUS_LABELS, x)).join('、')}</Tag>}
        <span style={{ flex: 1 }} />
        <Select
          data-testid="org-views"
          placeholder="已保存的视图"
          style={{ width: 190 }}
          value={viewName}
          onSelect={(name: string) => {
            const v = views.data?.find((x) => x.name === name);
            if (v) applyView(v);
          }}
          notFoundContent="尚未保存视图"
          options={(views.data ?? []).map((v) => ({ value: v.name, label: v.name, view: v }))}
          optionRender={(o) => (
            <div style={{ display: 'flex', alignItems: 'center' }}>
              <span style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis' }}>{o.label}</span>
              {canKeepViews && (
                <DeleteOutlined
                  aria-label={`删除视图「${o.label}」`}
                  onClick={(e) => {
                    e.stopPropagation();
                    void deleteView(o.data.view);
                  }}
                  style={{ color: '#999' }}
                />
              )}
            </div>
          )}
        />
        {canKeepViews && (
          <Tooltip title="把当前的搜索、筛选和排序保存为视图">
            <Button data-testid="org-view-save" icon={<SaveOutlined />} onClick={() => setNaming(viewName ?? `视图 ${(views.data?.length ?? 0) + 1}`)}>保存视图</Button>
          </Tooltip>
        )}
        <Button icon={<DownloadOutlined />} loading={busy} onClick={exportView}>导出当前视图</Button>
      </div>
      <div style={{ display: 'flex', gap: 6, alignItems: 'center', marginBottom: 8, flexWrap: 'wrap' }}>
        <Typography.Text type="secondary" data-testid="org-total">共 {total ?? '…'} 个组织 · 分组统计</Typography.Text>
        <Segmented size="small" value={groupBy} onChange={(v) => setGroupBy(v as OrgGroupBy)} options={(Object.keys(ORG_GROUP_BY_LABELS) as OrgGroupBy[]).map((k) => ({ value: k, label: ORG_GROUP_BY_LABELS[k] }))} />
        {groups.slice(0, 12).map((g) => (
          <Tag key={String(g.key)} style={{ cursor: g.key ? 'pointer' : 'default', marginInlineEnd: 0 }} onClick={() => pickGroup(g.key)}>
            {groupBy === 'fieldCode' && g.key ? field.label(g.key) : g.label} <b>{g.count}</b>
          </Tag>
        ))}
        {groups.length > 12 && <Typography.Text type="secondary">等 {groups.length} 组</Typography.Text>}
      </div>
      <div className="page-fill">
        <DataGrid<OrgListRow>
          ref={grid}
          rowModelType="infinite"
          datasource={datasource}
          columnDefs={columns}
          getRowId={(p) => p.data.id}
          onFilterChanged={() => void loadGroups()}
          onRowClicked={(e) => e.data && navigate(`/organizations/org/${e.data.id}`)}
          rowStyle={{ cursor: 'pointer' }}
        />
      </div>
      <Modal title="保存视图" open={naming !== null} onCancel={() => setNaming(null)} onOk={() => void saveView()} confirmLoading={busy} okText="保存">
        <Typography.Paragraph type="secondary">保存当前的搜索、快捷筛选、列筛选和排序。同名视图会被替换。</Typography.Paragraph>
        <Input data-testid="org-view-name" maxLength={40} value={naming ?? ''} onChange={(e) => setNaming(e.target.value)} onPressEnter={() => void saveView()} />
      </Modal>
      <OrgFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(id) => {
          setCreating(false);
          navigate(`/organizations/org/${id}`);
        }}
      />
    </>
  );
}
