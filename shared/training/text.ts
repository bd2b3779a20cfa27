/**
 * How the free-text fields of a trainee are cleaned — one rule for the trainee form (`zTraineeInput`) and the
 * 学员花名册 import (electron/core/training/traineeImport.ts). Name, phone and ID number have their own keys
 * (`traineeKeys`), already shared by both. The note keeps its line breaks.
 */
import { normalizeMultiline, normalizeText } from '../text/normalize';

export const TRAINEE_TEXT_RULES = {
  unitName: normalizeText,
  note: normalizeMultiline,
} as const satisfies Record<string, (input: string) => string>;
