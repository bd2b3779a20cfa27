/**
 * Administrative levels and region codes of the five-level reporting chain 省—市—县—乡镇—村.
 *
 * A region code is the 12-digit statistical division code (统计用区划代码): 2 digits province,
 * 2 city, 2 county, 3 township, 3 village. A higher-level code is the prefix of its level padded with zeros
 * (四川省 = `510000000000`, 成都市 = `510100000000`). Shorter input (2/4/6/9 digits) is accepted and padded.
 */

export const LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<Level, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};

/** Number of significant leading digits of a code at each level. */
export const LEVEL_PREFIX_LENGTH: Record<Level, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

export const REGION_CODE_LENGTH = 12;

/** 0 = province … 4 = village; a smaller rank is a higher level. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** Accepts the Chinese label (省/市/县/乡镇/村, also 街道/社区 aliases) or the English code. */
export function parseLevel(value: string): Level | null {
  const v = value.trim();
  if (isLevel(v)) return v;
  const byLabel: Record<string, Level> = {
    省: 'province',
    市: 'city',
    县: 'county',
    区: 'county',
    '县(市、区)': 'county',
    乡镇: 'township',
    街道: 'township',
    '乡镇(街道)': 'township',
    村: 'village',
    社区: 'village',
    '村(社区)': 'village',
  };
  return byLabel[v] ?? null;
}

export type RegionCodeCheck = { ok: true; code: string } | { ok: false; message: string };

/**
 * Normalizes a region code for a level to its 12-digit form and checks that it names a region of that level:
 * digits after the level's prefix are zeros and the level's own segment is not all zeros.
 */
export function checkRegionCode(input: string, level: Level): RegionCodeCheck {
  const raw = input.trim();
  if (!/^\d+$/.test(raw)) return { ok: false, message: `区划代码“${input}”只能由数字组成` };
  if (![2, 4, 6, 9, 12].includes(raw.length)) {
    return { ok: false, message: `区划代码“${input}”应为 2、4、6、9 或 12 位数字` };
  }
  const code = raw.padEnd(REGION_CODE_LENGTH, '0');
  const prefixLength = LEVEL_PREFIX_LENGTH[level];
  if (!/^0*$/.test(code.slice(prefixLength))) {
    return {
      ok: false,
      message: `区划代码“${input}”比${LEVEL_LABELS[level]}级更细：${LEVEL_LABELS[level]}级代码第 ${prefixLength + 1} 位起应全为 0`,
    };
  }
  const rank = levelRank(level);
  const segmentStart = rank === 0 ? 0 : LEVEL_PREFIX_LENGTH[LEVELS[rank - 1]];
  if (/^0+$/.test(code.slice(segmentStart, prefixLength))) {
    return { ok: false, message: `区划代码“${input}”不是${LEVEL_LABELS[level]}级代码：第 ${segmentStart + 1}–${prefixLength} 位不能全为 0` };
  }
  return { ok: true, code };
}

/** The code of the region of `level` that contains `code` (which must be at that level or below). */
export function regionAtLevel(code: string, level: Level): string {
  return code.slice(0, LEVEL_PREFIX_LENGTH[level]).padEnd(REGION_CODE_LENGTH, '0');
}

/** The chain from the province down to the region itself: [{level, code}, …], highest first. */
export function regionChain(code: string, level: Level): { level: Level; code: string }[] {
  const chain: { level: Level; code: string }[] = [];
  for (const l of LEVELS) {
    chain.push({ level: l, code: regionAtLevel(code, l) });
    if (l === level) break;
  }
  return chain;
}

/** True when region `inner` (at `innerLevel`) lies inside region `outer` (at `outerLevel`) or is it. */
export function regionContains(outer: string, outerLevel: Level, inner: string, innerLevel: Level): boolean {
  if (levelRank(innerLevel) < levelRank(outerLevel)) return false;
  const n = LEVEL_PREFIX_LENGTH[outerLevel];
  return outer.slice(0, n) === inner.slice(0, n);
}
