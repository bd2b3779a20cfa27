import { List, Space, Tag } from 'antd';
import type { PrebuildCheck } from '@shared/contract/submission';

/** One pre-build check as the build and consolidate screens list it: count, title, a few examples. */
export function CheckItemMeta({ item }: { item: PrebuildCheck }) {
  return (
    <List.Item.Meta
      title={
        <Space>
          <Tag color="orange">{item.count} 项</Tag>
          {item.title}
        </Space>
      }
      description={`${item.examples.join('、')}${item.count > item.examples.length ? ' …' : ''}`}
    />
  );
}
