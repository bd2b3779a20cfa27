// The one exceljs internal module readTable patches (see there); exceljs ships no typings for it.
declare module 'exceljs/lib/utils/utils.js' {
  const utils: { xmlDecode(text: string): string };
  export default utils;
}
