import type { Field } from 'payload'

/**
 * How Payload's own date chrome shows a stored instant (document meta, pickers we do not replace): in the viewer's
 * browser zone with that zone's offset named, e.g. "Fri 11 Dec 2026 14:30 (GMT+01:00)" (date-fns tokens).
 */
export const ZONED_DISPLAY_FORMAT = 'EEE d MMM yyyy HH:mm (zzzz)'

export const ZONED_DATE = { date: { pickerAppearance: 'dayAndTime' as const, displayFormat: ZONED_DISPLAY_FORMAT } }

/** List cells name the zone itself ("… (Europe/Paris)"), which date-fns cannot: src/admin/zones/ZonedDateCell.tsx. */
export const ZONED_DATE_CELL = '/admin/zones/ZonedDateCell#ZonedDateCell'

/** A read-only instant shown in the viewer's zone, named (src/admin/zones/ZonedDateTime.tsx). */
export const VIEWER_ZONE_FIELD = '/admin/zones/ZonedDateTime#ViewerZoneDateTime'

/**
 * Payload's `createdAt`/`updatedAt`, declared as Payload would add them (it adds only those a collection lacks),
 * with the zone-naming list cell.
 */
export const zonedTimestamps: Field[] = [
  {
    name: 'updatedAt',
    type: 'date',
    index: true,
    label: ({ t }) => t('general:updatedAt'),
    admin: { disableBulkEdit: true, hidden: true, components: { Cell: ZONED_DATE_CELL } },
  },
  {
    name: 'createdAt',
    type: 'date',
    index: true,
    label: ({ t }) => t('general:createdAt'),
    admin: { disableBulkEdit: true, hidden: true, components: { Cell: ZONED_DATE_CELL } },
  },
]
