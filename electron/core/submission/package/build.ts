import { requirePeriod } from '@shared/submission/period';
import { PACKAGE_TABLE_NAMES, checkRecord, type PackageData, type PackageTableName } from '@shared/submission/records';
import { StandardTablesBuilder, type MeasureKey, type StandardTable } from '@shared/submission/standardTables';
import type { Origin, PackageKind } from '@shared/submission/manifest';
import { buildPackage, type BuildPackageResult, type PackageHub } from './writer';
import { writeStandardWorkbook } from './workbook';
import { sm3Ready } from './digest';

/**
 * A submission package from typed record sources: records stream into the zip and, on the way, into the
 * standard-tables accumulator whose result becomes `tables.xlsx`. Tables without a source are left out of
 * the package (an area that keeps no such data yet), never sent empty as if there were none.
 */

export type RecordSources = { [T in PackageTableName]?: Iterable<PackageData[T][number]> | AsyncIterable<PackageData[T][number]> };

export interface BuildSubmissionInput {
  outPath: string;
  hub: PackageHub;
  period: string;
  kind?: PackageKind;
  lowerOrigins?: Origin[];
  sources: RecordSources;
  privateKeyPem: string;
  now?: Date;
  packageId?: string;
  /** Check each record against its schema while writing (import always checks). */
  validate?: boolean;
  compressionLevel?: number;
  /** Members' packages and key rotations (see writer.ts). */
  extraEntries?: { name: string; bytes: Buffer }[];
}

export interface BuildSubmissionResult extends BuildPackageResult {
  tables: StandardTable[];
  measures: Record<MeasureKey, number>;
}

function tapOne<T extends PackageTableName>(table: T, rec: PackageData[T][number], n: number, summary: StandardTablesBuilder, validate: boolean): Record<string, unknown> {
  if (validate) {
    const c = checkRecord(table, rec);
    if (!c.ok) throw new Error(`表“${table}”第 ${n} 条记录不合规：${c.message}`);
  }
  summary.add(table, rec);
  return rec as unknown as Record<string, unknown>;
}

/**
 * Each record on its way into the zip: checked, summarized, passed on. A synchronous source (the database
 * snapshot) stays synchronous: a promise per record would cost more than the record itself.
 */
function tap<T extends PackageTableName>(
  table: T,
  source: Iterable<PackageData[T][number]> | AsyncIterable<PackageData[T][number]>,
  summary: StandardTablesBuilder,
  validate: boolean,
): Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>> {
  let n = 0;
  if (Symbol.iterator in source) {
    return (function* () {
      for (const rec of source) yield tapOne(table, rec, ++n, summary, validate);
    })();
  }
  return (async function* () {
    for await (const rec of source) yield tapOne(table, rec, ++n, summary, validate);
  })();
}

export async function buildSubmissionPackage(input: BuildSubmissionInput): Promise<BuildSubmissionResult> {
  await sm3Ready();
  const period = requirePeriod(input.period);
  const summary = new StandardTablesBuilder(period);
  const now = input.now ?? new Date();
  const names = PACKAGE_TABLE_NAMES.filter((t) => input.sources[t] !== undefined);
  let tables: StandardTable[] = [];
  const result = await buildPackage({
    outPath: input.outPath,
    hub: input.hub,
    period: input.period,
    kind: input.kind,
    lowerOrigins: input.lowerOrigins,
    privateKeyPem: input.privateKeyPem,
    now,
    packageId: input.packageId,
    compressionLevel: input.compressionLevel,
    extraEntries: input.extraEntries,
    tables: names.map((t) => ({ name: t, records: tap(t, input.sources[t]!, summary, input.validate ?? false) })),
    workbook: async () => {
      tables = summary.tables();
      const members = (input.lowerOrigins ?? []).map((o) => o.hubName);
      return writeStandardWorkbook(
        { hubName: input.hub.hubName, regionCode: input.hub.regionCode, level: input.hub.level, period: input.period, createdAt: now.toISOString(), kind: input.kind ?? 'hub', members },
        tables,
      );
    },
  });
  return { ...result, tables, measures: summary.measures() };
}
