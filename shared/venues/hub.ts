/**
 * 本基地主办 (issue 18): a booking with no organization (organization_id null) is the hub's own, e.g. a training
 * the hub runs itself. Everywhere a booking's organizer is shown it reads 本基地.
 */
export const HUB_ORGANIZER_NAME = '本基地';

/** The organizer name shown for a booking: the organization's name, or 本基地 for the hub's own booking. */
export function organizerLabel(organizationId: string | null | undefined, organizationName: string | null | undefined): string {
  return organizationId ? (organizationName ?? organizationId) : HUB_ORGANIZER_NAME;
}
