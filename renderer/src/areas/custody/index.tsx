import { AreaPending } from '../../components/AreaPending';

/** Entry screen of the custody area (routes under /custody). */
export default function CustodyArea() {
  return (
    <AreaPending
      title="资金代管"
      plans={[
        '代管账户、资金来源与项目预算',
        '记账凭证的录入、审批与过账',
        '银行对账与余额调节表、月末结账',
        '代管资金对账单与凭证打印',
      ]}
    />
  );
}
