import { AreaPending } from '../../components/AreaPending';

/** Entry screen of the organizations area (routes under /organizations). */
export default function OrganizationsArea() {
  return (
    <AreaPending
      title="组织台账"
      plans={[
        '社区社会组织台账：登记、备案、社区指导三类组织的基本信息与分类管理',
        '孵化流程：申请、入驻、孵化中、出壳或退出',
        '党建、评估评议、活动与重大活动报告',
        '台账工作簿导入与导出',
      ]}
    />
  );
}
