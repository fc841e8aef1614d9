/**
 * How the admin shows a stored instant: in the viewer's browser zone with that zone's offset named, e.g.
 * "Fri 11 Dec 2026 14:30 (GMT+01:00)" (date-fns tokens; list cells and read-only pickers use it).
 */
export const ZONED_DISPLAY_FORMAT = 'EEE d MMM yyyy HH:mm (zzzz)'

export const ZONED_DATE = { date: { pickerAppearance: 'dayAndTime' as const, displayFormat: ZONED_DISPLAY_FORMAT } }
