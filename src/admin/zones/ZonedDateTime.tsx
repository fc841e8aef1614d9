'use client'
/**
 * Date-time pickers that enter a wall time in a named zone (never the browser's), labelled with it, and store
 * the UTC instant in the same date field. TutorZoneDateTime reads the zone from the tutor form's own
 * `timeZone` field (time off); AppointmentDateTime from the appointment's tutor.
 */
import type { DateFieldClientComponent, DateFieldClientProps } from 'payload'
import { FieldError, useField, useFormFields } from '@payloadcms/ui'
import React from 'react'

import { instantOfWallInput, wallInputOf } from '../../scheduling/wallInput'
import { useViewerZone } from '../viewerZone'
import { idOf, useRecordTimeZone } from './useRecordTimeZone'
import './zones.css'

type FieldProps = DateFieldClientProps

function labelOf(field: FieldProps['field']): string {
  if (typeof field.label === 'string' && field.label) return field.label
  const words = field.name.replace(/([A-Z])/g, ' $1').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function ZonedInput({ path, field, timeZone, whose, unavailable }: { path: string; field: FieldProps['field']; timeZone?: string; whose: string; unavailable: string }) {
  const { value, setValue, showError, errorMessage, disabled } = useField<string | null>({ path })
  const inputId = `field-${path.replace(/\./g, '__')}`
  const label = labelOf(field)
  const [draft, setDraft] = React.useState<string | undefined>(undefined)
  const shown = draft ?? (timeZone ? wallInputOf(value, timeZone) : '')
  return (
    <div className={`field-type date-time-field zoned-date-time${showError ? ' error' : ''}`}>
      <label className="field-label" htmlFor={inputId}>
        {label}
        {field.required && <span className="required">*</span>} <span className="zoned-date-time__zone">{timeZone ? `(${whose}, ${timeZone})` : ''}</span>
      </label>
      <div className="field-type__wrap">
        <FieldError path={path} showError={showError} message={errorMessage} />
        <input
          id={inputId}
          className="zoned-date-time__input"
          type="datetime-local"
          step={300}
          disabled={disabled || field.admin?.readOnly || !timeZone}
          value={shown}
          aria-describedby={`${inputId}-hint`}
          onChange={(event) => {
            const wall = event.target.value
            setDraft(wall)
            if (!timeZone) return
            if (wall === '') setValue(null)
            else {
              const instant = instantOfWallInput(wall, timeZone)
              if (instant) setValue(instant)
            }
          }}
          onBlur={() => setDraft(undefined)}
        />
        <p className="field-description" id={`${inputId}-hint`}>
          {timeZone ? `Entered and shown in the ${whose}: ${timeZone}.` : unavailable}
        </p>
      </div>
    </div>
  )
}

/** Time off: in the tutor's zone, from the tutor form's `timeZone` field. */
export const TutorZoneDateTime: DateFieldClientComponent = ({ path, field }) => {
  const zone = useFormFields(([fields]) => fields.timeZone?.value)
  const timeZone = typeof zone === 'string' && zone ? zone : undefined
  return <ZonedInput path={path ?? field.name} field={field} timeZone={timeZone} whose="tutor's time" unavailable="Enter the tutor's time zone first." />
}

/** An appointment's start or end: in its tutor's zone. */
export const AppointmentDateTime: DateFieldClientComponent = ({ path, field }) => {
  const tutorId = idOf(useFormFields(([fields]) => fields.tutor?.value))
  const lookup = useRecordTimeZone('tutors', tutorId)
  const unavailable =
    lookup.status === 'none' ? 'Choose the tutor first: times are entered in the tutor’s zone.' : lookup.status === 'loading' ? 'Reading the tutor’s time zone…' : 'The tutor’s time zone could not be read.'
  return (
    <ZonedInput path={path ?? field.name} field={field} timeZone={lookup.status === 'found' ? lookup.timeZone : undefined} whose="tutor's time" unavailable={unavailable} />
  )
}

/** A read-only instant with no zone of its own (the outbox's send times): in the viewer's zone, named. */
export const ViewerZoneDateTime: DateFieldClientComponent = ({ path, field }) => {
  const zone = useViewerZone() ?? undefined
  return <ZonedInput path={path ?? field.name} field={field} timeZone={zone} whose="your time" unavailable="Reading your time zone…" />
}
