'use client'
/**
 * The tutor's date overrides beside the week grid: one row per local date with its ranges inline, or
 * "unavailable all day" (no ranges). It edits the same `dateOverrides` rows Payload's array field would
 * (date, ranges[start/end], reason), so storage and the field validators are unchanged.
 */
import type { ArrayFieldClientComponent, FormState } from 'payload'
import { useForm, useFormFields } from '@payloadcms/ui'
import React, { useId } from 'react'

import './weekGrid.css'
import './dateOverrides.css'

const fieldState = (value: string): FormState[string] => ({ initialValue: value, value, valid: true })

export const DateOverrides: ArrayFieldClientComponent = ({ path: pathFromProps, field }) => {
  const path = pathFromProps ?? field.name
  const fields = useFormFields(([state]) => state)
  const { dispatchFields, removeFieldRow, setModified } = useForm()
  const timeZone = typeof fields.timeZone?.value === 'string' && fields.timeZone.value ? fields.timeZone.value : 'UTC'
  const headingId = useId()

  const valueOf = (fieldPath: string) => String(fields[fieldPath]?.value ?? '')
  const errorOf = (fieldPath: string) => (fields[fieldPath]?.valid === false && fields[fieldPath]?.errorMessage ? String(fields[fieldPath]!.errorMessage) : undefined)
  const update = (fieldPath: string, value: string) => {
    dispatchFields({ type: 'UPDATE', path: fieldPath, value })
    setModified(true)
  }
  const addRange = (rangesPath: string, start: string, end: string) => {
    dispatchFields({ type: 'ADD_ROW', path: rangesPath, subFieldState: { start: fieldState(start), end: fieldState(end) } })
    setModified(true)
  }
  const removeAllRanges = (rangesPath: string, count: number) => {
    // Highest index first, so the lower indexes stay valid while removing.
    for (let rowIndex = count - 1; rowIndex >= 0; rowIndex--) removeFieldRow({ path: rangesPath, rowIndex })
  }

  const overrideCount = fields[path]?.rows?.length ?? 0
  const listError = errorOf(path)

  return (
    <div className="field-type date-overrides" id={`field-${path.replace(/\./g, '__')}`}>
      <h3 className="week-grid__title" id={headingId}>
        Date overrides <span className="week-grid__zone">(tutor&rsquo;s time, {timeZone})</span>
      </h3>
      <p className="field-description">
        Other hours on one date, replacing that day&rsquo;s weekly hours, or unavailable all day. Dates and times are in the tutor&rsquo;s own time zone.
      </p>
      {listError && (
        <p className="week-grid__error" role="alert">
          {listError}
        </p>
      )}
      <ul className="week-grid__days date-overrides__list" aria-labelledby={headingId}>
        {overrideCount === 0 && <li className="week-grid__day week-grid__none">No date overrides.</li>}
        {Array.from({ length: overrideCount }, (_, index) => {
          const rowPath = `${path}.${index}`
          const rangesPath = `${rowPath}.ranges`
          const rangeCount = fields[rangesPath]?.rows?.length ?? 0
          const date = valueOf(`${rowPath}.date`)
          const name = `Override ${index + 1}${date ? ` (${date})` : ''}`
          const dateError = errorOf(`${rowPath}.date`)
          const rangesError = errorOf(rangesPath)
          return (
            <li className="week-grid__day date-overrides__row" key={valueOf(`${rowPath}.id`) || index} data-override={index}>
              <div className="date-overrides__date">
                <input
                  type="date"
                  className="week-grid__time date-overrides__date-input"
                  aria-label={`${name}, date (${timeZone})`}
                  aria-invalid={dateError ? true : undefined}
                  value={date}
                  onChange={(event) => update(`${rowPath}.date`, event.target.value)}
                />
                {dateError && (
                  <span className="week-grid__error" role="alert">
                    {dateError}
                  </span>
                )}
              </div>
              <div>
                <label className="week-grid__copy-day">
                  <input
                    type="checkbox"
                    checked={rangeCount === 0}
                    onChange={(event) => (event.target.checked ? removeAllRanges(rangesPath, rangeCount) : addRange(rangesPath, '09:00', '17:00'))}
                  />
                  Unavailable all day
                </label>
                <ul className="week-grid__ranges" aria-label={`${name}, hours`}>
                  {Array.from({ length: rangeCount }, (_, rangeIndex) => {
                    const rangePath = `${rangesPath}.${rangeIndex}`
                    const rangeName = `${name}, range ${rangeIndex + 1}`
                    const problems = (['start', 'end'] as const).map((part) => errorOf(`${rangePath}.${part}`)).filter(Boolean)
                    return (
                      <li className="week-grid__range" key={valueOf(`${rangePath}.id`) || rangeIndex}>
                        {(['start', 'end'] as const).map((part, position) => (
                          <React.Fragment key={part}>
                            {position === 1 && <span aria-hidden="true">–</span>}
                            <input
                              className="week-grid__time"
                              aria-label={`${rangeName}, ${part} (${timeZone})`}
                              aria-invalid={errorOf(`${rangePath}.${part}`) ? true : undefined}
                              inputMode="numeric"
                              placeholder={part === 'start' ? '09:00' : '17:00'}
                              size={5}
                              value={valueOf(`${rangePath}.${part}`)}
                              onChange={(event) => update(`${rangePath}.${part}`, event.target.value)}
                            />
                          </React.Fragment>
                        ))}
                        <button type="button" className="week-grid__button" aria-label={`Remove ${rangeName}`} onClick={() => removeFieldRow({ path: rangesPath, rowIndex: rangeIndex })}>
                          Remove
                        </button>
                        {problems.map((message) => (
                          <span className="week-grid__error" role="alert" key={message}>
                            {message}
                          </span>
                        ))}
                      </li>
                    )
                  })}
                </ul>
                {rangesError && (
                  <span className="week-grid__error" role="alert">
                    {rangesError}
                  </span>
                )}
              </div>
              <div className="week-grid__actions">
                <button type="button" className="week-grid__button" aria-label={`Add range to ${name}`} onClick={() => addRange(rangesPath, '09:00', '17:00')}>
                  Add range
                </button>
                <button type="button" className="week-grid__button" aria-label={`Remove date: ${name}`} onClick={() => removeFieldRow({ path, rowIndex: index })}>
                  Remove date
                </button>
              </div>
            </li>
          )
        })}
      </ul>
      <div className="date-overrides__add">
        <button
          type="button"
          className="week-grid__button"
          onClick={() => {
            // A new override starts as "unavailable all day" with no date; the tutor picks the date next.
            dispatchFields({ type: 'ADD_ROW', path, subFieldState: { date: fieldState('') } })
            setModified(true)
          }}
        >
          Add date override
        </button>
      </div>
    </div>
  )
}
