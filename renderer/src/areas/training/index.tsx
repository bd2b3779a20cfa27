import { AreaPending } from '../../components/AreaPending';

/** Entry screen of the training area (routes under /training). */
export default function TrainingArea() {
  return (
    <AreaPending
      title="人员培训"
      plans={[
        '年度培训计划与目标人次',
        '培训场次、学员与快速签到',
        '结业证书',
        '人次统计与导出',
      ]}
    />
  );
}
