import { unionFind } from '../text/unionFind';

/**
 * The same person is never entered twice: a trainee is the same person as an existing one when the
 * ID numbers are equal, or when the normalized name and the normalized phone are equal. The caller
 * is then offered the existing person instead of creating a new one.
 *
 * Two records with equal name and phone but two different ID numbers are a conflict, never merged:
 * either a typo in an ID number or two people sharing a phone (a parent and a child with the same
 * name is rare but real), and only a person can tell which.
 */

export interface PersonKeys {
  /** Normalized 18-character ID number, or null. */
  idNumber: string | null;
  /** normalizeName(...).key */
  nameKey: string;
  /** normalizePhone(...).value, or null. */
  phone: string | null;
}

export interface ExistingPerson extends PersonKeys {
  id: string;
}

export type DedupeOutcome<T extends ExistingPerson> =
  | { kind: 'new' }
  | { kind: 'same'; existing: T; by: 'id_number' | 'name_phone'; /** Same ID but a different name: show both. */ nameDiffers: boolean; message: string }
  | { kind: 'conflict'; existing: T; message: string };

/** The unique key the database enforces for name + phone (null when there is no phone). */
export function namePhoneKey(p: Pick<PersonKeys, 'nameKey' | 'phone'>): string | null {
  return p.phone ? `${p.nameKey}|${p.phone}` : null;
}

/**
 * Decide against the candidates the database returned for this person's keys (rows with the same ID
 * number or the same name+phone key). ID number wins over name and phone.
 */
export function findExistingPerson<T extends ExistingPerson>(input: PersonKeys, candidates: readonly T[]): DedupeOutcome<T> {
  if (input.idNumber) {
    const byId = candidates.find((c) => c.idNumber === input.idNumber);
    if (byId) {
      const nameDiffers = byId.nameKey !== input.nameKey;
      return {
        kind: 'same',
        existing: byId,
        by: 'id_number',
        nameDiffers,
        message: nameDiffers ? '该身份证号已登记，但姓名不同，请核对' : '该身份证号已登记，已使用已有学员',
      };
    }
  }
  const key = namePhoneKey(input);
  if (key) {
    const byNamePhone = candidates.find((c) => namePhoneKey(c) === key);
    if (byNamePhone) {
      if (input.idNumber && byNamePhone.idNumber && byNamePhone.idNumber !== input.idNumber) {
        return {
          kind: 'conflict',
          existing: byNamePhone,
          message: '已有同名同电话的学员，但身份证号不同，请核对后再保存',
        };
      }
      return { kind: 'same', existing: byNamePhone, by: 'name_phone', nameDiffers: false, message: '已有同名同电话的学员，已使用已有学员' };
    }
  }
  return { kind: 'new' };
}

/**
 * Within one batch (an imported sheet), rows that are the same person: maps each row index to the
 * index of the first row of that person. Rows sharing an ID number, or sharing name+phone, are one
 * person; the relation is closed transitively (row 1 ~ row 2 by ID, row 2 ~ row 3 by phone ⇒ one).
 */
export function groupSamePerson(rows: readonly PersonKeys[]): number[] {
  const { find, union } = unionFind(rows.length);
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const keys = [r.idNumber ? `id:${r.idNumber}` : null, namePhoneKey(r) ? `np:${namePhoneKey(r)}` : null];
    for (const k of keys) {
      if (!k) continue;
      const prev = seen.get(k);
      if (prev === undefined) seen.set(k, i);
      else union(prev, i);
    }
  });
  return rows.map((_, i) => find(i));
}
