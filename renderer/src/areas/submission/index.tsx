import { AreaPending } from '../../components/AreaPending';

/** Entry screen of the submission area (routes under /submission). */
export default function SubmissionArea() {
  return (
    <AreaPending
      title="上报汇总"
      plans={[
        '按季度或年度生成签名的上报数据包',
        '联合会导入、校验与合并下级数据包',
        '汇总报表与逐级查看',
      ]}
    />
  );
}
