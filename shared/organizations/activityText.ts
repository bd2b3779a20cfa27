/**
 * How each text field of an activity record is cleaned — one rule for the activity form (`zActivityInput`, the
 * report form) and the 活动记录 import (electron/core/organizations/activityImport.ts), so an activity typed with
 * full-width digits or two spaces is stored as its own export re-imports it. The description keeps its line breaks.
 */
import { normalizeMultiline, normalizeText } from '../text/normalize';

export const ACTIVITY_TEXT_RULES = {
  title: normalizeText,
  place: normalizeText,
  reportNote: normalizeText,
  description: normalizeMultiline,
} as const satisfies Record<string, (input: string) => string>;
