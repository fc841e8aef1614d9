import type { AdminViewServerProps } from 'payload'
import { DefaultTemplate } from '@payloadcms/next/templates'
import { Gutter } from '@payloadcms/ui'
import { redirect } from 'next/navigation'

import type { Tutor } from '../../payload-types'
import type { CalendarTutor } from './calendarData'
import { CalendarClient } from './CalendarClient'

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)

/**
 * /admin/calendar: the sessions of a week or a day, per tutor. Custom admin views are public in Payload, so the
 * view checks the visitor itself. What it shows comes through the viewer's own access (a tutor: their own).
 */
export async function CalendarView({ initPageResult, params, searchParams }: AdminViewServerProps) {
  const { req, permissions, visibleEntities, locale } = initPageResult
  if (!req.user || !permissions?.canAccessAdmin) redirect('/admin/login?redirect=%2Fadmin%2Fcalendar')
  const maySeeSessions = Boolean(permissions.collections?.appointments?.read)

  let tutors: CalendarTutor[] = []
  if (maySeeSessions) {
    const found = await req.payload.find({
      collection: 'tutors',
      user: req.user,
      overrideAccess: false,
      depth: 0,
      pagination: false,
      sort: 'name',
      select: { name: true, timeZone: true, weeklyAvailability: true, dateOverrides: true, timeOff: true },
    })
    tutors = (found.docs as Tutor[]).map((tutor) => ({
      id: String(tutor.id),
      name: tutor.name,
      timeZone: tutor.timeZone,
      weeklyRules: (tutor.weeklyAvailability ?? []).map(({ day, start, end }) => ({ day, start, end })),
      dateOverrides: (tutor.dateOverrides ?? []).map(({ date, ranges }) => ({ date, ranges: (ranges ?? []).map(({ start, end }) => ({ start, end })) })),
      timeOff: (tutor.timeOff ?? []).map(({ start, end, reason }) => ({ start, end, reason: reason ?? undefined })),
    }))
  }

  const view = first(searchParams?.view) === 'day' ? 'day' : 'week'
  const date = first(searchParams?.date)
  return (
    <DefaultTemplate
      i18n={req.i18n}
      locale={locale}
      params={params}
      payload={req.payload}
      permissions={permissions}
      req={req}
      searchParams={searchParams}
      user={req.user}
      visibleEntities={visibleEntities}
    >
      <Gutter>
        <h1 className="tt-cal__heading">Calendar</h1>
        {maySeeSessions ? (
          <CalendarClient tutors={tutors} initialView={view} initialDate={date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined} />
        ) : (
          <p>Your role has no access to sessions, so there is no calendar to show.</p>
        )}
      </Gutter>
    </DefaultTemplate>
  )
}
