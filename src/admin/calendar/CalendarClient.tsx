'use client'
import { toast } from '@payloadcms/ui'
import { DateTime } from 'luxon'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Calendar, luxonLocalizer, type Formats, type View } from 'react-big-calendar'
import withDragAndDrop, { type EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop'
import 'react-big-calendar/lib/css/react-big-calendar.css'
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css'

import type { Interval } from '../../scheduling'
import { zoneName } from '../formatTime'
import { useViewerZone } from '../viewerZone'
import {
  type CalendarSession,
  type CalendarTutor,
  isWorkingTime,
  sessionsQuery,
  type TimeOffBlock,
  timeOffBlocks,
  toCalendarSession,
  workingWindows,
} from './calendarData'
import './calendar.css'

type Shown = CalendarSession | TimeOffBlock
type CalendarView = 'week' | 'day'
type Notice = { kind: 'error' | 'success'; text: string } | null

// Weeks start on Monday; dates are the browser's (the viewer's zone), which luxon uses by default.
const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 })
const DnDCalendar = withDragAndDrop<Shown, CalendarTutor>(Calendar)
const STATUS_LABELS: Record<string, string> = { booked: 'Booked', cancelled: 'Cancelled', completed: 'Completed', no_show: 'No-show' }
const hhmm = (date: Date) => DateTime.fromJSDate(date).toFormat('HH:mm')
const formats: Formats = {
  timeGutterFormat: 'HH:mm',
  eventTimeRangeFormat: ({ start, end }) => `${hhmm(start)}–${hhmm(end)}`,
  // The two pieces of a session across the viewer's midnight (showMultiDayTimes below).
  eventTimeRangeStartFormat: ({ start }) => `${hhmm(start)}–`,
  eventTimeRangeEndFormat: ({ end }) => `–${hhmm(end)}`,
  dayFormat: 'ccc d LLL',
}

const isSession = (event: Shown): event is CalendarSession => !('timeOff' in event)

function visibleRange(date: Date, view: CalendarView): Interval {
  const unit = view === 'day' ? 'day' : 'week'
  const start = DateTime.fromJSDate(date).startOf(unit)
  return { start: start.toMillis(), end: start.plus(view === 'day' ? { days: 1 } : { weeks: 1 }).toMillis() }
}

/** The refusal's own sentence (the booking rules' message), or a plain one when the server gave none. */
async function refusalOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { errors?: { message?: string }[] } | null
  return body?.errors?.[0]?.message ?? `The session could not be moved (the server answered ${response.status}).`
}

/** A tile's text; carries the session's id, by which tests and tools find it. */
function Tile({ event }: { event: Shown }) {
  return isSession(event) ? <span data-session-id={event.id}>{event.title}</span> : <span>{event.title}</span>
}

/** A day's column heading: its text only (the library's own sets role="columnheader" outside any row, an ARIA error). */
function DayHeader({ label }: { label: string }) {
  return <span>{label}</span>
}

function TutorFilter({ tutors, chosen, onChange }: { tutors: CalendarTutor[]; chosen: string[]; onChange: (ids: string[]) => void }) {
  return (
    <fieldset className="tt-cal__filter">
      <legend>Tutors shown {chosen.length === 0 ? '(all)' : `(${chosen.length} of ${tutors.length})`}</legend>
      {tutors.map((tutor) => (
        <label key={tutor.id} className="tt-cal__filter-option">
          <input
            type="checkbox"
            checked={chosen.includes(tutor.id)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, tutor.id] : chosen.filter((id) => id !== tutor.id))}
          />{' '}
          {tutor.name}
        </label>
      ))}
      {chosen.length > 0 ? (
        <button type="button" className="tt-cal__clear" onClick={() => onChange([])}>
          Show all tutors
        </button>
      ) : null}
    </fieldset>
  )
}

/**
 * Week and day views of the sessions, per tutor in the day view. Dragging a session asks the server to move it
 * (PATCH /api/appointments/:id, the write the admin's edit form makes, through the same booking rules and claims);
 * the calendar shows the new time only once the server has saved it, so a refusal leaves the session where it was.
 */
export function CalendarClient({ tutors, initialView, initialDate }: { tutors: CalendarTutor[]; initialView: CalendarView; initialDate?: string }) {
  const zone = useViewerZone()
  const router = useRouter()
  const [view, setView] = useState<CalendarView>(initialView)
  const [date, setDate] = useState<Date>(() => (initialDate ? DateTime.fromISO(initialDate).toJSDate() : new Date()))
  const [chosen, setChosen] = useState<string[]>([])
  const [sessions, setSessions] = useState<CalendarSession[]>([])
  const [notice, setNotice] = useState<Notice>(null)
  const [loading, setLoading] = useState(false)

  const shownTutors = useMemo(() => (chosen.length === 0 ? tutors : tutors.filter((tutor) => chosen.includes(tutor.id))), [tutors, chosen])
  const tutorNames = useMemo(() => new Map(tutors.map((tutor) => [tutor.id, tutor.name])), [tutors])
  const range = useMemo(() => visibleRange(date, view), [date, view])
  const rangeKey = `${range.start}-${range.end}`

  const load = useCallback(async () => {
    setLoading(true)
    try {
      const response = await fetch(sessionsQuery(range, chosen), { credentials: 'include', headers: { Accept: 'application/json' } })
      if (!response.ok) {
        setNotice({ kind: 'error', text: `Sessions could not be loaded (the server answered ${response.status}). Reload the page to try again.` })
        return
      }
      const body = (await response.json()) as { docs: Parameters<typeof toCalendarSession>[0][] }
      setSessions(body.docs.map((doc) => toCalendarSession(doc, tutorNames)))
    } finally {
      setLoading(false)
    }
    // rangeKey stands for range (a new object each render of the same range would refetch)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rangeKey, chosen, tutorNames])

  useEffect(() => {
    if (zone) void load()
  }, [zone, load])

  const windows = useMemo(() => workingWindows(shownTutors, range), [shownTutors, range])
  const background = useMemo(() => timeOffBlocks(shownTutors, range), [shownTutors, range])
  const scrollToTime = useMemo(() => DateTime.fromJSDate(date).set({ hour: 7, minute: 0 }).toJSDate(), [date])
  const shownIds = useMemo(() => shownTutors.map((tutor) => tutor.id), [shownTutors])

  const moveSession = useCallback(
    async ({ event, start, end, resourceId }: EventInteractionArgs<Shown>) => {
      if (!isSession(event)) return
      const newStart = new Date(start)
      const newEnd = new Date(end)
      // Only the day view has a column per tutor; elsewhere the drop's resourceId is empty.
      const newTutor = view === 'day' && resourceId != null && String(resourceId) !== event.tutorId ? String(resourceId) : undefined
      if (newStart.getTime() === event.start.getTime() && !newTutor) return
      setNotice(null)
      const response = await fetch(`/api/appointments/${event.id}`, {
        method: 'PATCH',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ start: newStart.toISOString(), end: newEnd.toISOString(), ...(newTutor ? { tutor: newTutor } : {}) }),
      })
      if (!response.ok) {
        const text = await refusalOf(response)
        setNotice({ kind: 'error', text: `Not moved: ${text}` })
        toast.error(text)
        return
      }
      const where = newTutor ? ` with ${tutorNames.get(newTutor) ?? 'the new tutor'}` : ''
      const text = `Moved to ${DateTime.fromJSDate(newStart).toFormat('ccc d LLL, HH:mm ZZZZ')}${where}. The student is told by email.`
      setNotice({ kind: 'success', text })
      toast.success(text)
      await load()
    },
    [load, tutorNames, view],
  )

  if (!zone) return <p aria-busy="true">Loading the calendar…</p>

  return (
    <div className="tt-cal">
      <p className="tt-cal__zone" data-testid="viewer-zone">
        Times in your browser’s time zone: <strong>{zoneName(zone, date)}</strong>. Shaded: outside the shown tutors’ working hours; striped: time off.
        Drag a booked session to move it{view === 'day' ? ' (to another column: another tutor)' : ''}; click it to open it.
      </p>
      <TutorFilter tutors={tutors} chosen={chosen} onChange={setChosen} />
      <div className="tt-cal__notice" role="status" aria-live="polite" data-kind={notice?.kind ?? 'none'}>
        {notice ? notice.text : loading ? 'Loading sessions…' : ''}
      </div>
      <ul className="tt-cal__legend" aria-label="Status colours">
        {Object.entries(STATUS_LABELS).map(([value, label]) => (
          <li key={value}>
            <span className={`tt-cal__swatch tt-cal-event--${value}`} aria-hidden="true" /> {label}
          </li>
        ))}
      </ul>
      <div className="tt-cal__grid">
        <DnDCalendar
          localizer={localizer}
          formats={formats}
          events={sessions}
          backgroundEvents={background}
          views={['week', 'day']}
          view={view}
          onView={(next: View) => setView(next === 'day' ? 'day' : 'week')}
          date={date}
          onNavigate={(next: Date) => setDate(next)}
          step={30}
          timeslots={2}
          // A session across the viewer's midnight (23:30–00:30 here) is drawn in both day columns; without this the
          // library puts it in the all-day row, which stays hidden (calendar.css), and the session would not show.
          showMultiDayTimes
          scrollToTime={scrollToTime}
          resources={view === 'day' && shownTutors.length > 0 ? shownTutors : undefined}
          resourceIdAccessor="id"
          resourceTitleAccessor="name"
          resourceAccessor="resourceId"
          tooltipAccessor={(event: Shown) => (isSession(event) ? `${event.title} · ${STATUS_LABELS[event.status] ?? event.status}` : event.title)}
          eventPropGetter={(event: Shown) => ({
            className: isSession(event) ? `tt-cal-event tt-cal-event--${event.status}` : 'tt-cal-timeoff',
          })}
          slotPropGetter={(slot: Date, resourceId?: string | number) => {
            const ids = resourceId != null ? [String(resourceId)] : shownIds // the week view passes null
            return isWorkingTime(windows, ids, slot.getTime()) ? {} : { className: 'tt-cal-off-hours' }
          }}
          draggableAccessor={(event: Shown) => isSession(event) && event.status === 'booked'}
          resizable={false}
          onEventDrop={(args: EventInteractionArgs<Shown>) => void moveSession(args)}
          onSelectEvent={(event: Shown) => {
            if (isSession(event)) router.push(`/admin/collections/appointments/${event.id}`)
          }}
          components={{ event: Tile, header: DayHeader }}
          popup
        />
      </div>
    </div>
  )
}
