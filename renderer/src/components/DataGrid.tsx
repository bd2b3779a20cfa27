import { forwardRef, useMemo } from 'react';
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

type Props<Row> = AgGridReactProps<Row> & { columnDefs: ColDef<Row>[]; height?: number | string };

/** ag-grid with the Chinese locale and the app theme; every large table in the app uses it. */
function DataGridInner<Row>({ height = '100%', ...props }: Props<Row>, ref: React.ForwardedRef<AgGridReact<Row>>) {
  const defaultColDef = useMemo<ColDef<Row>>(() => ({ resizable: true, sortable: true, minWidth: 80, ...props.defaultColDef }), [props.defaultColDef]);
  return (
    <div style={{ height, width: '100%' }}>
      <AgGridReact<Row>
        ref={ref}
        theme={gridTheme}
        localeText={AG_GRID_LOCALE_CN}
        animateRows={false}
        cacheBlockSize={100}
        {...props}
        defaultColDef={defaultColDef}
      />
    </div>
  );
}

export const DataGrid = forwardRef(DataGridInner) as <Row>(
  p: Props<Row> & { ref?: React.Ref<AgGridReact<Row>> },
) => ReturnType<typeof DataGridInner>;

export type { GridApi, ColDef };
