/**
 * How each text field of a venue is cleaned — one rule for the venue form (`zVenueInput`) and the 场地 import
 * (electron/core/venues/venueImport.ts), so a venue typed with full-width digits or two spaces is stored as its
 * own export re-imports it. The note keeps its line breaks.
 */
import { normalizeMultiline, normalizeText } from '../text/normalize';

export const VENUE_TEXT_RULES = {
  name: normalizeText,
  hostName: normalizeText,
  address: normalizeText,
  equipment: normalizeText,
  note: normalizeMultiline,
} as const satisfies Record<string, (input: string) => string>;
