'use client'
/**
 * The tutor's weekly hours as a week grid: one row per weekday with its ranges inline, add and remove a range,
 * copy a day to other days. It edits the same `weeklyAvailability` array rows Payload's array field would
 * (day/start/end), so storage, the field validators and the booking rules are unchanged.
 */
import type { ArrayFieldClientComponent, FormState } from 'payload'
import { useForm, useFormFields } from '@payloadcms/ui'
import React, { useId, useState } from 'react'

import { WEEKDAYS, type Weekday } from '../../scheduling/weeklyRules'
import { groupByDay, nextRange, planCopy, type RangeRow } from './weekModel'
import './weekGrid.css'

type Problem = { path: string; message: string }

const fieldState = (value: string): FormState[string] => ({ initialValue: value, value, valid: true })

export const WeekGrid: ArrayFieldClientComponent = ({ path: pathFromProps, field }) => {
  const path = pathFromProps ?? field.name
  const fields = useFormFields(([state]) => state)
  const { dispatchFields, removeFieldRow, setModified } = useForm()
  const timeZone = typeof fields.timeZone?.value === 'string' && fields.timeZone.value ? fields.timeZone.value : 'UTC'
  const headingId = useId()

  const rowCount = fields[path]?.rows?.length ?? 0
  const rows: RangeRow[] = Array.from({ length: rowCount }, (_, index) => ({
    index,
    day: String(fields[`${path}.${index}.day`]?.value ?? ''),
    start: String(fields[`${path}.${index}.start`]?.value ?? ''),
    end: String(fields[`${path}.${index}.end`]?.value ?? ''),
  }))
  const problemsOf = (index: number): Problem[] =>
    (['day', 'start', 'end'] as const)
      .map((name) => `${path}.${index}.${name}`)
      .filter((fieldPath) => fields[fieldPath]?.valid === false && fields[fieldPath]?.errorMessage)
      .map((fieldPath) => ({ path: fieldPath, message: String(fields[fieldPath]!.errorMessage) }))

  // A refusal of the whole week (hours that would strand booked sessions) is pinned to the array's own path.
  const weekProblem = fields[path]?.valid === false && fields[path]?.errorMessage ? String(fields[path]!.errorMessage) : undefined

  const update = (fieldPath: string, value: string) => {
    dispatchFields({ type: 'UPDATE', path: fieldPath, value })
    setModified(true)
  }
  // ADD_ROW without a rowIndex appends to the rows as the reducer holds them, so several in a row stay consistent.
  const append = (day: Weekday, start: string, end: string) => {
    dispatchFields({ type: 'ADD_ROW', path, subFieldState: { day: fieldState(day), start: fieldState(start), end: fieldState(end) } })
    setModified(true)
  }
  const copy = (from: Weekday, to: Weekday[]) => {
    const plan = planCopy(rows, from, to)
    for (const rowIndex of plan.remove) removeFieldRow({ path, rowIndex })
    for (const range of plan.add) append(range.day, range.start, range.end)
  }

  return (
    <div className="field-type week-grid" id={`field-${path.replace(/\./g, '__')}`}>
      <h3 className="week-grid__title" id={headingId}>
        Weekly hours <span className="week-grid__zone">(tutor&rsquo;s time, {timeZone})</span>
      </h3>
      <p className="field-description">
        Bookable ranges in the tutor&rsquo;s own time zone, 24-hour HH:mm (24:00 for midnight); several per day are fine.
      </p>
      {weekProblem && (
        <p className="week-grid__error week-grid__error--week" role="alert">
          {weekProblem}
        </p>
      )}
      <div className="week-grid__days" role="group" aria-labelledby={headingId}>
        {groupByDay(rows).map((day) => (
          <div className="week-grid__day" key={day.day} data-day={day.day}>
            <div className="week-grid__day-name" id={`${headingId}-${day.day}`}>
              {day.label}
            </div>
            <ul className="week-grid__ranges" aria-labelledby={`${headingId}-${day.day}`}>
              {day.ranges.length === 0 && <li className="week-grid__none">Not available</li>}
              {day.ranges.map((range, position) => {
                const name = `${day.label}, range ${position + 1}`
                const problems = problemsOf(range.index)
                return (
                  <li className="week-grid__range" key={fields[`${path}.${range.index}.id`]?.value as string ?? range.index}>
                    <input
                      className="week-grid__time"
                      aria-label={`${name}, start (${timeZone})`}
                      aria-invalid={problems.some((problem) => problem.path.endsWith('.start')) || undefined}
                      inputMode="numeric"
                      placeholder="09:00"
                      size={5}
                      value={range.start}
                      onChange={(event) => update(`${path}.${range.index}.start`, event.target.value)}
                    />
                    <span aria-hidden="true">–</span>
                    <input
                      className="week-grid__time"
                      aria-label={`${name}, end (${timeZone})`}
                      aria-invalid={problems.some((problem) => problem.path.endsWith('.end')) || undefined}
                      inputMode="numeric"
                      placeholder="17:00"
                      size={5}
                      value={range.end}
                      onChange={(event) => update(`${path}.${range.index}.end`, event.target.value)}
                    />
                    <button type="button" className="week-grid__button" aria-label={`Remove ${name}`} onClick={() => removeFieldRow({ path, rowIndex: range.index })}>
                      Remove
                    </button>
                    {problems.map((problem) => (
                      <span className="week-grid__error" role="alert" key={problem.path}>
                        {problem.message}
                      </span>
                    ))}
                  </li>
                )
              })}
            </ul>
            <div className="week-grid__actions">
              <button
                type="button"
                className="week-grid__button"
                aria-label={`Add range on ${day.label}`}
                onClick={() => {
                  const range = nextRange(day.ranges)
                  append(day.day, range.start, range.end)
                }}
              >
                Add range
              </button>
              <CopyDay from={day.day} label={day.label} onCopy={(to) => copy(day.day, to)} />
            </div>
          </div>
        ))}
      </div>
    </div>
  )
}

/** "Copy to…": a disclosure listing the other days; copying replaces their ranges with this day's. */
function CopyDay({ from, label, onCopy }: { from: Weekday; label: string; onCopy: (to: Weekday[]) => void }) {
  const [chosen, setChosen] = useState<Weekday[]>([])
  const [open, setOpen] = useState(false)
  const others = WEEKDAYS.filter((day) => day.value !== from)
  return (
    <details className="week-grid__copy" open={open} onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
      {/* The day is named for screen readers; on screen the row already says it. */}
      <summary className="week-grid__button">
        Copy<span className="week-grid__sr"> {label}</span> to…
      </summary>
      <fieldset className="week-grid__copy-panel">
        <legend>Replace these days&rsquo; ranges with {label}&rsquo;s</legend>
        {others.map((day) => (
          <label key={day.value} className="week-grid__copy-day">
            <input
              type="checkbox"
              checked={chosen.includes(day.value)}
              onChange={(event) => setChosen((current) => (event.target.checked ? [...current, day.value] : current.filter((value) => value !== day.value)))}
            />
            {day.label}
          </label>
        ))}
        <button
          type="button"
          className="week-grid__button"
          disabled={chosen.length === 0}
          onClick={() => {
            onCopy(chosen)
            setChosen([])
            setOpen(false)
          }}
        >
          Copy
        </button>
      </fieldset>
    </details>
  )
}
