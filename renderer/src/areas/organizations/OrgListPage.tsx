import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Input, Segmented, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, SaveOutlined, UploadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { AgGridReact } from 'ag-grid-react';
import type { OrgListRow } from '@shared/contract/organizations';
import { INCUBATION_STAGES, INCUBATION_STAGE_LABELS } from '@shared/organizations/incubation';
import { MGMT_CLASSES, MGMT_CLASS_LABELS, ORG_MARKS, ORG_MARK_LABELS, ORG_STATUS_LABELS, type MgmtClass, type OrgMark } from '@shared/organizations/model';
import { ORG_GROUP_BY_LABELS, ORG_LIST_COLUMNS, type OrgFilterModel, type OrgGroupBy, type OrgQuickFilters } from '@shared/organizations/list';
import type { IncubationStage } from '@shared/organizations/incubation';
import { call } from '../../api/client';
import { useAction } from '../../api/hooks';
import { useCan, useSession } from '../../app/session';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { downloadBase64 } from '../../lib/files';
import { StageTag, labelOf, useDict } from './common';
import { OrgFormDrawer } from './OrgFormDrawer';

interface SavedView {
  name: string;
  search: string;
  quick: OrgQuickFilters;
}

const viewsKey = (user: string) => `incubase.orgViews.${user}`;

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
  const { me } = useSession();
  const field = useDict('org_field');
  const [search, setSearch] = useState('');
  const [quick, setQuick] = useState<OrgQuickFilters>({});
  const [total, setTotal] = useState<number | null>(null);
  const [groupBy, setGroupBy] = useState<OrgGroupBy>('street');
  const [groups, setGroups] = useState<{ key: string | null; label: string; count: number }[]>([]);
  const [creating, setCreating] = useState(false);
  const [views, setViews] = useState<SavedView[]>([]);
  const { run, busy } = useAction();
  const state = useRef({ search, quick, filterModel: {} as OrgFilterModel, sort: [] as { colId: string; sort: 'asc' | 'desc' }[] });
  state.current.search = search;
  state.current.quick = quick;
  const userKey = me?.user.username ?? 'anon';

  useEffect(() => {
    try {
      setViews(JSON.parse(localStorage.getItem(viewsKey(userKey)) ?? '[]'));
    } catch {
      setViews([]);
    }
  }, [userKey]);

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

  const setQ = (patch: Partial<OrgQuickFilters>) => setQuick((q) => Object.fromEntries(Object.entries({ ...q, ...patch }).filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))) as OrgQuickFilters);

  const pickGroup = (key: string | null) => {
    if (key == null) return;
    if (groupBy === 'street') setQ({ street: key });
    else if (groupBy === 'mgmtClass') setQ({ mgmtClass: [key as MgmtClass] });
    else if (groupBy === 'incubationStage') setQ({ incubationStage: [key as IncubationStage] });
    else if (groupBy === 'fieldCode') setQ({ fieldCode: key });
    else if (groupBy === 'areaType') setQ({ areaType: key as 'urban' | 'rural' });
    else if (groupBy === 'status') setQ({ status: [key as 'active' | 'withdrawn'] });
  };

  const saveView = () => {
    const name = window.prompt('视图名称', `视图 ${views.length + 1}`);
    if (!name) return;
    const next = [...views.filter((v) => v.name !== name), { name, search, quick }];
    setViews(next);
    localStorage.setItem(viewsKey(userKey), JSON.stringify(next));
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
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search
          data-testid="org-search"
          placeholder="名称、信用代码、负责人、电话尾号或拼音首字母(如 llsw)"
          allowClear
          style={{ width: 380 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={refresh}
        />
        <Select mode="multiple" allowClear placeholder="管理类别" style={{ minWidth: 150 }} value={quick.mgmtClass ?? []} onChange={(v) => setQ({ mgmtClass: v })} options={MGMT_CLASSES.map((c) => ({ value: c, label: MGMT_CLASS_LABELS[c] }))} />
        <Select mode="multiple" allowClear placeholder="孵化阶段" style={{ minWidth: 140 }} value={quick.incubationStage ?? []} onChange={(v) => setQ({ incubationStage: v })} options={INCUBATION_STAGES.map((s) => ({ value: s, label: INCUBATION_STAGE_LABELS[s] }))} />
        <Select allowClear placeholder="标识" style={{ width: 130 }} value={quick.mark} onChange={(v: OrgMark | undefined) => setQ({ mark: v })} options={ORG_MARKS.map((m) => ({ value: m, label: ORG_MARK_LABELS[m] }))} />
        {quick.street && <Tag closable onClose={() => setQ({ street: undefined })}>街道:{quick.street}</Tag>}
        {quick.fieldCode && <Tag closable onClose={() => setQ({ fieldCode: undefined })}>领域:{field.label(quick.fieldCode)}</Tag>}
        <Space size={4}><Switch size="small" checked={!!quick.overdue} onChange={(v) => setQ({ overdue: v })} />孵化超期</Space>
        <Space size={4}><Switch size="small" checked={!!quick.filingWarnings} onChange={(v) => setQ({ filingWarnings: v })} />备案条件不足</Space>
        <Select
          placeholder="已保存的视图"
          style={{ width: 150 }}
          value={null}
          onChange={(name) => {
            const v = views.find((x) => x.name === name);
            if (v) {
              setSearch(v.search);
              state.current.search = v.search;
              setQuick(v.quick);
            }
          }}
          options={views.map((v) => ({ value: v.name, label: v.name }))}
        />
        <Tooltip title="保存当前的搜索与筛选"><Button icon={<SaveOutlined />} onClick={saveView} /></Tooltip>
      </Space>
      <Space wrap style={{ marginBottom: 8 }} align="center">
        <Typography.Text type="secondary">共 {total ?? '…'} 个组织 · 分组统计</Typography.Text>
        <Segmented size="small" value={groupBy} onChange={(v) => setGroupBy(v as OrgGroupBy)} options={(Object.keys(ORG_GROUP_BY_LABELS) as OrgGroupBy[]).map((k) => ({ value: k, label: ORG_GROUP_BY_LABELS[k] }))} />
        {groups.slice(0, 14).map((g) => (
          <Tag key={String(g.key)} style={{ cursor: g.key ? 'pointer' : 'default' }} onClick={() => pickGroup(g.key)}>
            {groupBy === 'fieldCode' && g.key ? field.label(g.key) : g.label} {g.count}
          </Tag>
        ))}
        <span style={{ flex: 1 }} />
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>新建组织</Button>}
        {canWrite && <Button icon={<UploadOutlined />} onClick={() => navigate('/organizations/import')}>导入台账</Button>}
        <Button icon={<DownloadOutlined />} loading={busy} onClick={exportView}>导出当前视图</Button>
      </Space>
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
