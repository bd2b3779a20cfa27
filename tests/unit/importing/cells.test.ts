import { describe, expect, it } from 'vitest';
import { listCell } from '../../../electron/core/importing/cells';

describe('listCell: the items of one cell', () => {
  it('splits items written one per line in the cell (Alt+Enter in Excel), not only by 、 and commas', () => {
    expect(listCell('投影仪\n音响\r\n白板')).toEqual(['投影仪', '音响', '白板']);
    expect(listCell('老年人、儿童\n残疾人')).toEqual(['老年人', '儿童', '残疾人']);
  });
  it('cleans each item the way every text is cleaned (full-width, inner blanks) and drops repeats and empties', () => {
    expect(listCell('　投影仪 ，  投影仪；（大）会议桌,,')).toEqual(['投影仪', '(大)会议桌']);
    expect(listCell(null)).toEqual([]);
    expect(listCell(12)).toEqual(['12']);
  });
});
