import { Result, Typography } from 'antd';

/**
 * What an area shows before it is built: a plain statement, no fake data and no buttons that do nothing.
 */
export function AreaPending({ title, plans }: { title: string; plans: string[] }) {
  return (
    <Result
      status="info"
      title={`「${title}」模块尚未开放`}
      subTitle="本版本尚未实现此模块的功能，这里没有可用的数据或操作。计划提供："
      extra={
        <Typography.Paragraph style={{ textAlign: 'left', display: 'inline-block' }}>
          <ul>
            {plans.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Typography.Paragraph>
      }
    />
  );
}
