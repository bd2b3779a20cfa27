import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findExistingPerson, groupSamePerson, namePhoneKey, type ExistingPerson } from '@shared/training/dedupe';

const zhang: ExistingPerson = { id: 't1', idNumber: '11010519491231002X', nameKey: '张三', phone: '13800138000' };
const li: ExistingPerson = { id: 't2', idNumber: null, nameKey: '李四', phone: '13900139000' };

describe('findExistingPerson', () => {
  it('returns the existing person with the same ID number, even under another name or phone', () => {
    const r = findExistingPerson({ idNumber: '11010519491231002X', nameKey: '张叁', phone: null }, [zhang, li]);
    expect(r).toMatchObject({ kind: 'same', by: 'id_number', nameDiffers: true });
    expect(r.kind === 'same' && r.existing.id).toBe('t1');
  });

  it('returns the existing person with the same name and phone', () => {
    const r = findExistingPerson({ idNumber: null, nameKey: '李四', phone: '13900139000' }, [zhang, li]);
    expect(r).toMatchObject({ kind: 'same', by: 'name_phone', existing: { id: 't2' } });
    // An ID given now, none stored: still the same person (the caller may add the number).
    expect(findExistingPerson({ idNumber: '11010519800101001X', nameKey: '李四', phone: '13900139000' }, [li])).toMatchObject({ kind: 'same' });
  });

  it('does not merge same name with another phone, or same phone with another name', () => {
    expect(findExistingPerson({ idNumber: null, nameKey: '李四', phone: '13900139001' }, [li])).toEqual({ kind: 'new' });
    expect(findExistingPerson({ idNumber: null, nameKey: '李五', phone: '13900139000' }, [li])).toEqual({ kind: 'new' });
    // No phone: a name alone never identifies a person.
    expect(findExistingPerson({ idNumber: null, nameKey: '李四', phone: null }, [{ ...li, phone: null }])).toEqual({ kind: 'new' });
  });

  it('reports a conflict when name and phone match but the ID numbers differ', () => {
    const r = findExistingPerson({ idNumber: '440305198001010011', nameKey: '张三', phone: '13800138000' }, [zhang]);
    expect(r).toMatchObject({ kind: 'conflict', existing: { id: 't1' }, message: '已有同名同电话的学员，但身份证号不同，请核对后再保存' });
  });

  it('namePhoneKey is null without a phone', () => {
    expect(namePhoneKey({ nameKey: '张三', phone: null })).toBeNull();
    expect(namePhoneKey({ nameKey: '张三', phone: '13800138000' })).toBe('张三|13800138000');
  });
});

describe('groupSamePerson (one imported sheet)', () => {
  it('groups rows by ID or name+phone, transitively, to the first row', () => {
    const rows = [
      { idNumber: 'A', nameKey: '张三', phone: '1' },
      { idNumber: null, nameKey: '李四', phone: '2' },
      { idNumber: 'A', nameKey: '张三', phone: '3' }, // same ID as row 0
      { idNumber: null, nameKey: '张三', phone: '3' }, // same name+phone as row 2
      { idNumber: null, nameKey: '李四', phone: null },
      { idNumber: null, nameKey: '李四', phone: null }, // no phone: two people named 李四
    ];
    expect(groupSamePerson(rows)).toEqual([0, 1, 0, 0, 4, 5]);
  });

  it('property: the grouping agrees with a brute-force closure', () => {
    const row = fc.record({
      idNumber: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null }),
      nameKey: fc.constantFrom('x', 'y'),
      phone: fc.option(fc.constantFrom('1', '2'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const g = groupSamePerson(rows);
        const linked = (a: (typeof rows)[0], b: (typeof rows)[0]) =>
          (a.idNumber != null && a.idNumber === b.idNumber) || (a.phone != null && a.phone === b.phone && a.nameKey === b.nameKey);
        // brute force: repeated relaxation of min labels over direct links
        const label = rows.map((_, i) => i);
        let changed = true;
        while (changed) {
          changed = false;
          for (let i = 0; i < rows.length; i++)
            for (let j = 0; j < rows.length; j++)
              if (linked(rows[i], rows[j]) && label[j] < label[i]) {
                label[i] = label[j];
                changed = true;
              }
        }
        expect(g).toEqual(label);
      }),
    );
  });
});
