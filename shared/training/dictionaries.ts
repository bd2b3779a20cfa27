/**
 * Default dictionaries of the training area. Codes are stable; labels are what the hub sees and may
 * be renamed or extended (provinces use their own lists), so code never branches on a label.
 */
export interface DictEntry {
  code: string;
  label: string;
}

export const DEFAULT_TRAINEE_ROLES: readonly DictEntry[] = [
  { code: 'civil_affairs_assistant', label: '街道(乡镇)民政助理' },
  { code: 'community_worker', label: '城乡社区工作者' },
  { code: 'child_director', label: '儿童主任' },
  { code: 'org_leader', label: '社区社会组织负责人' },
  { code: 'social_worker', label: '社区社会工作者' },
  { code: 'volunteer', label: '社区志愿者' },
];

export const DEFAULT_SESSION_CATEGORIES: readonly DictEntry[] = [
  { code: 'party_building', label: '党的建设' },
  { code: 'cultivation', label: '培育发展' },
  { code: 'capacity', label: '能力建设' },
  { code: 'operations', label: '日常运作' },
  { code: 'social_work', label: '社会工作知识' },
  { code: 'safety', label: '应急与安全' },
];

export const DEFAULT_SESSION_FORMATS: readonly DictEntry[] = [
  { code: 'demonstration', label: '示范培训' },
  { code: 'online', label: '网上课堂' },
  { code: 'new_media', label: '新媒体教学' },
  { code: 'field', label: '现场实训' },
];

/** Looks a label or a code up in a dictionary, as an imported sheet may hold either. */
export function resolveDictValue(entries: readonly DictEntry[], raw: string): DictEntry | null {
  const s = raw.normalize('NFKC').trim();
  if (s === '') return null;
  const fold = (x: string) => x.normalize('NFKC').replace(/[()（）\s]/g, '');
  return entries.find((e) => e.code === s) ?? entries.find((e) => fold(e.label) === fold(s)) ?? null;
}

export function dictLabel(entries: readonly DictEntry[], code: string): string {
  return entries.find((e) => e.code === code)?.label ?? code;
}
