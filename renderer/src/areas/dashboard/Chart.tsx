import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

// Only the chart kinds the app draws, so the bundle carries no more of echarts than needed.
echarts.use([BarChart, FunnelChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export const CHART_FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/** An echarts chart sized by its container; `onClick` receives the clicked item (bar, slice). */
export function Chart({ option, height = 180, onClick }: { option: EChartsOption; height?: number; onClick?: (p: { name: string; dataIndex: number }) => void }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={{ textStyle: { fontFamily: CHART_FONT }, animation: false, ...option }}
      style={{ height, width: '100%' }}
      notMerge
      lazyUpdate
      onEvents={onClick ? { click: onClick } : undefined}
    />
  );
}
