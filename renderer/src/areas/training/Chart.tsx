import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

const FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export function Chart({ option, height = 260 }: { option: EChartsOption; height?: number }) {
  return <ReactEChartsCore echarts={echarts} option={{ textStyle: { fontFamily: FONT }, animation: false, ...option }} style={{ height, width: '100%' }} notMerge lazyUpdate />;
}
