import { useRef, useState } from 'react';
import { Select } from 'antd';
import { call } from '../../api/client';

/** Finds trainees by pinyin, characters or phone tail (the indexed keys), for registration and exams. */
export function TraineePicker({
  value,
  onChange,
  multiple,
  placeholder = '输入姓名拼音、汉字或手机尾号查找学员',
  style,
}: {
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  multiple?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
}) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const search = async (text: string) => {
    const my = ++seq.current;
    if (!text.trim()) return setOptions([]);
    setLoading(true);
    try {
      const r = await call('training.trainees.list', { startRow: 0, endRow: 20, search: text });
      if (my === seq.current) {
        setOptions(r.rows.map((t) => ({ value: t.id, label: `${t.name}${t.phone ? ` · ${t.phone.slice(-4)}` : ''}${t.organizationName || t.unitName ? ` · ${t.organizationName ?? t.unitName}` : ''}` })));
      }
    } catch {
      if (my === seq.current) setOptions([]);
    } finally {
      if (my === seq.current) setLoading(false);
    }
  };
  return (
    <Select
      mode={multiple ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={onChange}
      options={options}
      loading={loading}
      placeholder={placeholder}
      style={{ minWidth: 280, ...style }}
      notFoundContent={null}
    />
  );
}
