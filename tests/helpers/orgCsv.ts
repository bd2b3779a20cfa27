/** An organization CSV of `rows` new organizations (名称, 类别, 所属街道), for the long-import test and bench. */
export function bigCsv(rows = 30_000, prefix = '并发导入'): string {
  const lines = ['单位名称,类别,所属街道'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}${i},社区指导,簇桥街道`);
  return lines.join('\r\n') + '\r\n';
}
