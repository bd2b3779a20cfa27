import { AreaPending } from '../../components/AreaPending';

/** Entry screen of the venues area (routes under /venues). */
export default function VenuesArea() {
  return (
    <AreaPending
      title="安家场地"
      plans={[
        '场地与开放时间、关闭日期',
        '预约审批，杜绝同一场地重复预约',
        '周视图与日视图日历',
        '场地使用率统计与导出',
      ]}
    />
  );
}
