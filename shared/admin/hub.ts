/** The five-level chain of the national plan: 省—市—县(市、区)—乡镇(街道)—村(社区). */
export const HUB_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type HubLevel = (typeof HUB_LEVELS)[number];

export const HUB_LEVEL_LABELS: Record<HubLevel, string> = {
  province: '省',
  city: '市',
  county: '县(市、区)',
  township: '乡镇(街道)',
  village: '村(社区)',
};

/**
 * Administrative division code: 6 digits down to the county (GB/T 2260), 9 for a township and 12 for a village
 * (统计用区划代码). Returns a Chinese reason when the code is malformed, or null.
 */
export function checkRegionCode(code: string, level?: HubLevel): string | null {
  if (!/^\d+$/.test(code)) return '行政区划代码只能包含数字';
  if (![6, 9, 12].includes(code.length)) return '行政区划代码应为 6 位(县级及以上)、9 位(乡镇)或 12 位(村/社区)';
  if (code.startsWith('00')) return '行政区划代码的前两位(省级)不能为 00';
  if (level === 'township' && code.length < 9) return '乡镇(街道)级基地请填写 9 位或 12 位代码';
  if (level === 'village' && code.length < 12) return '村(社区)级基地请填写 12 位代码';
  return null;
}
