import { useMemo, useRef, useState } from 'react';
import { Button, Input, Select, Space, Tag } from 'antd';
import type { AgGridReact } from 'ag-grid-react';
import { useNavigate } from 'react-router-dom';
import type { TrainingSession } from '@shared/contract/training';
import { call } from '../../api/client';
import { useCan } from '../../app/session';
import { DataGrid, pagedDatasource, type ColDef } from '../../components/DataGrid';
import { hours, thisYear, useTrainingDicts, YearSelect } from './common';
import { SessionForm } from './SessionForm';
import { ListExportButton } from '../../components/ListExport';

export function SessionsPage() {
  const grid = useRef<AgGridReact<TrainingSession>>(null);
  const navigate = useNavigate();
  const canWrite = useCan('admin', 'staff');
  const dicts = useTrainingDicts();
  const [year, setYear] = useState(thisYear());
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const outer = useRef({ year, search, category });
  outer.current = { year, search, category };
  const lastSort = useRef<{ colId: string; sort: 'asc' | 'desc' }[]>([]);
  const datasource = useMemo(
    () =>
      pagedDatasource<TrainingSession>((req) =>
        call('training.sessions.list', {
          year: outer.current.year,
          search: outer.current.search || undefined,
          category: outer.current.category,
          startRow: req.startRow,
          endRow: req.endRow,
          sort: (lastSort.current = req.sort.map((s) => ({ colId: s.colId, sort: s.sort }))),
        }),
      ),
    [],
  );
  const refresh = () => grid.current?.api.purgeInfiniteCache();
  const columns = useMemo<ColDef<TrainingSession>[]>(
    () => [
      { field: 'date', headerName: '日期', width: 110 },
      { field: 'startTime', headerName: '开始', width: 80, sortable: false },
      { field: 'title', headerName: '培训主题', flex: 1, minWidth: 220 },
      { field: 'category', headerName: '类别', width: 120, valueFormatter: (p) => dicts.category(p.value) },
      { field: 'format', headerName: '形式', width: 110, valueFormatter: (p) => dicts.format(p.value) },
      { field: 'minutes', headerName: '学时', width: 80, valueFormatter: (p) => hours(p.value) },
      { field: 'trainer', headerName: '授课人', width: 100 },
      { colId: 'place', headerName: '场地/地点', width: 160, sortable: false, valueGetter: (p) => p.data?.venueName ?? p.data?.location ?? '' },
      { field: 'registered', headerName: '报名', width: 70, sortable: false },
      { field: 'attended', headerName: '出勤', width: 70, sortable: false },
      { field: 'certificates', headerName: '证书', width: 70, sortable: false },
      {
        field: 'status',
        headerName: '状态',
        width: 80,
        sortable: false,
        cellRenderer: (p: { value: string }) => (p.value === 'cancelled' ? <Tag color="default">已取消</Tag> : <Tag color="blue">正常</Tag>),
      },
    ],
    [dicts],
  );
  return (
    <>
      <Space style={{ margin: '4px 0 12px' }} wrap>
        <YearSelect value={year} onChange={(y) => { setYear(y); setTimeout(refresh); }} />
        <Select allowClear placeholder="培训类别" style={{ width: 150 }} value={category} options={dicts.categories} onChange={(v) => { setCategory(v); setTimeout(refresh); }} />
        <Input.Search placeholder="主题或授课人" allowClear value={search} onChange={(e) => setSearch(e.target.value)} onSearch={refresh} style={{ width: 220 }} />
        <ListExportButton list="trainingSessions" input={() => ({ year, search: search || undefined, category, sort: lastSort.current })} />
        {canWrite && (
          <Button type="primary" onClick={() => setEditing(true)}>
            新建场次
          </Button>
        )}
      </Space>
      <div className="page-fill">
        <DataGrid<TrainingSession>
          ref={grid}
          columnDefs={columns}
          rowModelType="infinite"
          datasource={datasource}
          getRowId={(p) => p.data.id}
          onRowClicked={(e) => e.data && navigate(`/training/sessions/${e.data.id}`)}
          rowStyle={{ cursor: 'pointer' }}
        />
      </div>
      <SessionForm
        open={editing}
        session={null}
        onClose={() => setEditing(false)}
        onSaved={(s) => {
          setEditing(false);
          navigate(`/training/sessions/${s.id}`);
        }}
      />
    </>
  );
}
