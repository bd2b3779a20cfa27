/**
 * 场地 import on the import engine: one row per venue, matched to the venues already recorded by name (venue
 * names are unique). Host facility types are labels of the `venue_host_type` dictionary, opening hours are
 * written as offices write them (`周一至周五 08:30-12:00,14:00-21:00;周六 09:00-17:00`), equipment as a list.
 * A new venue takes the default booking rules; a column the file does not have keeps what is stored, so
 * re-importing the same file changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { VenueInput } from '@shared/contract/venues';
import type { TableImportCommitInput, TableImportInput } from '@shared/importing/contract';
import { normalizeName } from '@shared/text/normalize';
import { formatWeeklyHoursText, parseWeeklyHoursText } from '@shared/venues/hoursText';
import { DEFAULT_RULES } from '@shared/venues/rules';
import { VENUE_TEXT_RULES } from '@shared/venues/text';
import type { CallContext, Trx } from '../api/context';
import { nextVersion } from '../api/versions';
import { countCell, dictLookup, dictVocabulary, listCell, yesNoCell, type CellResult } from '../importing/cells';
import { DICTIONARY_KINDS } from '@shared/admin/dictionaries';
import { commitTableImport, importShapedExport, importTemplate, previewTableImport, type Importer, type PlannedRow } from '../importing/engine';
import { cellText } from '../importing/readTable';
import { chinaToday, dictEntries } from '../training/common';
import { venueColumns, venueFromRow } from './venueService';

type Key = 'name' | 'hostType' | 'hostName' | 'address' | 'capacity' | 'equipment' | 'bookable' | 'approvalRequired' | 'openingHours' | 'note';

export const VENUE_IMPORT_FIELDS = [
  { key: 'name', title: '场地名称', aliases: ['名称', '场地', '活动室名称', '功能室名称', '房间名称'], required: true },
  { key: 'hostType', title: '依托设施类型', aliases: ['设施类型', '依托设施', '阵地类型', '场地类型'] },
  { key: 'hostName', title: '依托设施名称', aliases: ['所属设施', '所在设施', '所属阵地', '所在阵地', '服务中心名称'] },
  { key: 'address', title: '地址', aliases: ['场地地址', '位置', '所在位置', '详细地址'] },
  { key: 'capacity', title: '容纳人数', aliases: ['容量', '可容纳人数', '核定人数', '人数', '座位数'] },
  { key: 'equipment', title: '设施设备', aliases: ['设备', '配套设备', '配套设施'] },
  { key: 'bookable', title: '可预约', aliases: ['是否可预约', '对外开放', '是否开放'] },
  { key: 'approvalRequired', title: '预约需审批', aliases: ['需要审批', '是否需要审批', '是否审批'] },
  { key: 'openingHours', title: '开放时间', aliases: ['开放时段', '开放时间段', '服务时间'] },
  { key: 'note', title: '备注', aliases: ['说明'] },
] as const satisfies readonly { key: Key; title: string; aliases: readonly string[]; required?: boolean }[];

interface Payload {
  existingId: string | null;
  input: VenueInput;
}

export const venueImporter: Importer<Key, Payload> = {
  name: 'venues.venues',
  title: '场地',
  entity: 'venue',
  fields: VENUE_IMPORT_FIELDS,
  async vocabularies(db) {
    return { hostType: dictVocabulary('venue_host_type', DICTIONARY_KINDS.venue_host_type, await dictEntries(db, 'venue_host_type')) };
  },
  async plan(_ctx, rows, p) {
    const hostTypes = dictLookup(await dictEntries(p.db, 'venue_host_type'));
    const existing = new Map((await p.db.selectFrom('venues').selectAll().execute()).map((r) => [normalizeName(r.name), venueFromRow(r)]));
    const firstRow = new Map<string, number>();
    const out: PlannedRow<Payload>[] = [];
    for (const r of rows) {
      const issues: { column: string; message: string }[] = [];
      const err = (k: Key, message: string) => issues.push({ column: p.column(k), message });
      const take = <T>(k: Key, res: CellResult<T>): T | null => {
        if (res.ok) return res.value;
        err(k, res.message);
        return null;
      };
      const v = r.values;
      const name = VENUE_TEXT_RULES.name(cellText(v.name ?? null));
      const row: PlannedRow<Payload> = { rowNumber: r.rowNumber, label: name, action: 'error', issues, warnings: [], changes: [] };
      out.push(row);
      if (!name) err('name', '请填写场地名称');
      else if (name.length < 2 || name.length > 60) err('name', '场地名称应为 2 到 60 个字');
      const key = normalizeName(name);
      const before = name ? existing.get(key) : undefined;
      if (name) {
        const first = firstRow.get(key);
        if (first != null) err('name', `与第 ${first} 行的场地名称相同,同一场地只能出现一次`);
        else firstRow.set(key, r.rowNumber);
      }
      const hostText = cellText(v.hostType ?? null);
      const hostCode = hostText ? hostTypes.get(hostText) : null;
      if (hostText && !hostCode) err('hostType', `依托设施类型"${hostText}"不在字典中(可选:${hostTypes.known})`);
      else if (!hostCode && !before) err('hostType', `新场地请填写依托设施类型(可选:${hostTypes.known})`);
      const capacity = take('capacity', countCell(v.capacity, 100_000));
      if (capacity === 0) err('capacity', '容纳人数至少 1 人');
      else if (capacity == null && !before && !issues.some((i) => i.column === p.column('capacity'))) err('capacity', '新场地请填写容纳人数');
      const bookable = take('bookable', yesNoCell(v.bookable));
      const approval = take('approvalRequired', yesNoCell(v.approvalRequired));
      const hoursText = cellText(v.openingHours ?? null);
      let hours = null;
      if (hoursText) {
        const parsed = parseWeeklyHoursText(hoursText);
        if (parsed.ok) hours = parsed.hours;
        else err('openingHours', parsed.message);
      }
      const equipment = listCell(v.equipment);
      if (equipment.some((e) => e.length > 40)) err('equipment', '每项设备名称不能超过 40 个字');
      const hostName = VENUE_TEXT_RULES.hostName(cellText(v.hostName ?? null));
      const address = VENUE_TEXT_RULES.address(cellText(v.address ?? null));
      if (hostName.length > 100) err('hostName', '依托设施名称不能超过 100 个字');
      if (address.length > 200) err('address', '地址不能超过 200 个字');
      if (issues.length) continue;
      // a column the file does not have (or an empty cell) keeps what is stored; a new venue takes the defaults
      const base: VenueInput = before
        ? { ...before }
        : {
            name,
            hostTypeCode: hostCode!,
            hostName: '',
            address: '',
            capacity: capacity!,
            equipment: [],
            bookable: DEFAULT_RULES.bookable,
            openingHours: DEFAULT_RULES.openingHours,
            closed: [],
            minLengthMinutes: DEFAULT_RULES.minLengthMinutes,
            maxLengthMinutes: DEFAULT_RULES.maxLengthMinutes,
            minNoticeMinutes: DEFAULT_RULES.minNoticeMinutes,
            maxNoticeDays: DEFAULT_RULES.maxNoticeDays,
            approvalRequired: DEFAULT_RULES.approvalRequired,
            quotas: [],
            note: '',
          };
      const input: VenueInput = {
        ...base,
        name: before?.name ?? name,
        hostTypeCode: hostCode ?? base.hostTypeCode,
        hostName: p.has('hostName') ? hostName : base.hostName,
        address: p.has('address') ? address : base.address,
        capacity: capacity ?? base.capacity,
        equipment: p.has('equipment') ? equipment : base.equipment,
        bookable: bookable ?? base.bookable,
        approvalRequired: approval ?? base.approvalRequired,
        openingHours: hours ?? base.openingHours,
        // the note keeps its line breaks (Alt+Enter in a cell), as the form keeps them
        note: p.has('note') ? (typeof v.note === 'string' ? VENUE_TEXT_RULES.note(v.note) : cellText(v.note ?? null)) : base.note,
      };
      if (!before) {
        row.action = 'create';
        if (!hours) row.warnings.push(`没有填写开放时间,按默认时间导入:${formatWeeklyHoursText(input.openingHours)}`);
      } else {
        const cmp: [Key, unknown, unknown][] = [
          ['hostType', before.hostTypeCode, input.hostTypeCode],
          ['hostName', before.hostName, input.hostName],
          ['address', before.address, input.address],
          ['capacity', before.capacity, input.capacity],
          ['equipment', JSON.stringify(before.equipment), JSON.stringify(input.equipment)],
          ['bookable', before.bookable, input.bookable],
          ['approvalRequired', before.approvalRequired, input.approvalRequired],
          ['openingHours', JSON.stringify(before.openingHours), JSON.stringify(input.openingHours)],
          ['note', before.note, input.note],
        ];
        row.changes = cmp.filter(([, a, b]) => a !== b).map(([k]) => p.column(k));
        row.action = row.changes.length ? 'update' : 'unchanged';
      }
      if (row.action !== 'unchanged') row.payload = { existingId: before?.id ?? null, input };
    }
    return out;
  },
  async apply(ctx, trx: Trx, rows) {
    const now = ctx.now().toISOString();
    for (const r of rows) {
      const { existingId, input } = r.payload!;
      if (existingId) await trx.updateTable('venues').set({ ...venueColumns(input), updated_at: now, version: nextVersion() }).where('id', '=', existingId).execute();
      else await trx.insertInto('venues').values({ id: randomUUID(), ...venueColumns(input), created_at: now, updated_at: now, version: 1 }).execute();
    }
  },
};

export const previewVenueImport = (ctx: CallContext, input: TableImportInput) => previewTableImport(ctx, venueImporter, input, chinaToday(ctx.now()));
export const commitVenueImport = (ctx: CallContext, input: TableImportCommitInput) => commitTableImport(ctx, venueImporter, input, chinaToday(ctx.now()));
export const venueImportTemplate = () =>
  importTemplate(
    VENUE_IMPORT_FIELDS.map((f) => ({ ...f, required: ('required' in f && f.required) || f.key === 'hostType' || f.key === 'capacity' })),
    ['多功能活动室', '党群服务中心', 'XX街道党群服务中心', 'XX路 1 号 2 楼', 40, '投影仪、音响、桌椅', '是', '是', '周一至周五 08:30-12:00,14:00-21:00;周六 09:00-17:00', ''],
    '场地',
    '场地导入模板.xlsx',
  );

/**
 * Every venue as a file in this importer's shape (the template's columns): host type by its label, equipment as a
 * list, opening hours as the office writes them. Importing it into the same hub changes nothing; into a fresh hub it
 * gives the same venues (booking rules beyond the template's columns take the defaults there, as a new venue does).
 */
export async function exportVenuesForImport(ctx: CallContext) {
  const hostLabel = new Map((await dictEntries(ctx.db, 'venue_host_type')).map((e) => [e.code, e.label]));
  const rows = (await ctx.db.selectFrom('venues').selectAll().orderBy('name').execute()).map(venueFromRow);
  return importShapedExport(
    VENUE_IMPORT_FIELDS,
    rows.map((v) => ({
      name: v.name,
      hostType: hostLabel.get(v.hostTypeCode) ?? v.hostTypeCode,
      hostName: v.hostName,
      address: v.address,
      capacity: v.capacity,
      equipment: v.equipment.join('、'),
      bookable: v.bookable ? '是' : '否',
      approvalRequired: v.approvalRequired ? '是' : '否',
      openingHours: formatWeeklyHoursText(v.openingHours),
      note: v.note,
    })),
    '场地',
    `场地清单-${chinaToday(ctx.now())}.xlsx`,
  );
}
