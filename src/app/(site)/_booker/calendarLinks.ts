/** "Add to calendar" links for one session: Google's and Outlook's add-event pages (UTC instants, no zone guessing). */
export type CalendarEvent = { title: string; start: number; end: number; details: string; location?: string | null }

/** 20261210T090000Z, the form Google's `dates` takes. */
const basicUtc = (instant: number): string => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

export function googleCalendarUrl(event: CalendarEvent): string {
  const search = new URLSearchParams({ action: 'TEMPLATE', text: event.title, dates: `${basicUtc(event.start)}/${basicUtc(event.end)}`, details: event.details })
  if (event.location) search.set('location', event.location)
  return `https://calendar.google.com/calendar/render?${search}`
}

export function outlookCalendarUrl(event: CalendarEvent): string {
  const search = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: new Date(event.start).toISOString(),
    enddt: new Date(event.end).toISOString(),
    body: event.details,
  })
  if (event.location) search.set('location', event.location)
  return `https://outlook.live.com/calendar/0/action/compose?${search}`
}
