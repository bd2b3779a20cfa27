import { forwardRef, useEffect, useMemo, useRef } from 'react';
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react';
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  type ColDef,
  type GridApi,
  type IDatasource,
  type IGetRowsParams,
  type SortModelItem,
} from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import { areaOfEntity, callAffected } from '@shared/server/live';
import { onChanges } from '../api/live';
import { useDisplay } from '../app/display';

ModuleRegistry.registerModules([AllCommunityModule]);

export const gridTheme = themeQuartz.withParams({
  fontFamily: ['"Noto Sans CJK SC"', '"Microsoft YaHei"', '"PingFang SC"', 'sans-serif'],
  fontSize: 13,
  headerFontWeight: 600,
  spacing: 6,
  accentColor: '#1677ff',
});

/** One page of rows as the core returns it for ag-grid's infinite model. */
export interface PageResult<Row> {
  rows: Row[];
  total: number;
}

export interface PageRequest {
  startRow: number;
  endRow: number;
  sort: SortModelItem[];
  /** ag-grid's filter model, to be translated into the call's own filter by the page. */
  filterModel: Record<string, unknown>;
}

/** A datasource that asks the core for each block: filtering and sorting run in SQL, never in the renderer. */
export function pagedDatasource<Row>(fetchPage: (req: PageRequest) => Promise<PageResult<Row>>, onError?: (e: unknown) => void): IDatasource {
  return {
    getRows(params: IGetRowsParams) {
      fetchPage({
        startRow: params.startRow,
        endRow: params.endRow,
        sort: params.sortModel as SortModelItem[],
        filterModel: (params.filterModel ?? {}) as Record<string, unknown>,
      })
        .then((r) => params.successCallback(r.rows, r.total))
        .catch((e) => {
          onError?.(e);
          params.failCallback();
        });
    },
  };
}

type Props<Row> = AgGridReactProps<Row> & {
  columnDefs: ColDef<Row>[];
  height?: number | string;
  /** Live refresh of an infinite grid: the area whose changes reload it (default: any business change). */
  liveArea?: string;
};

const ADMIN_ONLY_AREAS = new Set(['users', 'backups', 'office', 'dict', 'settings']);

/** ag-grid with the Chinese locale and the app theme; every large table in the app uses it. */
function DataGridInner<Row>({ height = '100%', liveArea, ...props }: Props<Row>, ref: React.ForwardedRef<AgGridReact<Row>>) {
  // 系统管理 → 显示 → 字号: the grid's text and rows grow with the app's font size.
  const { fontSize } = useDisplay();
  const theme = useMemo(() => (fontSize === 14 ? gridTheme : gridTheme.withParams({ fontSize: fontSize - 1, rowHeight: fontSize * 2 + 8, headerHeight: fontSize * 2 + 10 })), [fontSize]);
  const defaultColDef = useMemo<ColDef<Row>>(() => ({ resizable: true, sortable: true, minWidth: 80, ...props.defaultColDef }), [props.defaultColDef]);
  const api = useRef<GridApi<Row> | null>(null);
  const infinite = props.rowModelType === 'infinite';
  // Live: a committed change of another user re-reads the visible blocks of a paged grid (rows stay in place).
  useEffect(
    () =>
      infinite
        ? onChanges((changes) => {
            const relevant = liveArea
              ? callAffected(`${liveArea}.list`, changes)
              : changes.some((c) => c.entity === '*' || !ADMIN_ONLY_AREAS.has(areaOfEntity(c.entity) ?? ''));
            if (relevant && api.current && !api.current.isDestroyed()) api.current.refreshInfiniteCache();
          })
        : undefined,
    [infinite, liveArea],
  );
  const onGridReady = props.onGridReady;
  return (
    <div style={{ height, width: '100%' }}>
      <AgGridReact<Row>
        ref={ref}
        theme={theme}
        localeText={AG_GRID_LOCALE_CN}
        animateRows={false}
        cacheBlockSize={100}
        {...props}
        onGridReady={(e) => {
          api.current = e.api;
          onGridReady?.(e);
        }}
        defaultColDef={defaultColDef}
      />
    </div>
  );
}

export const DataGrid = forwardRef(DataGridInner) as <Row>(
  p: Props<Row> & { ref?: React.Ref<AgGridReact<Row>> },
) => ReturnType<typeof DataGridInner>;

export type { GridApi, ColDef };
