'use client'
/** Beside an appointment's pickers: its time in the tutor's and in the student's zone, each zone named. */
import { useFormFields } from '@payloadcms/ui'
import React from 'react'

import { formatLocalRange } from '../../scheduling/format'
import { idOf, useRecordTimeZone, type ZoneLookup } from './useRecordTimeZone'
import './zones.css'

function line(whose: string, lookup: ZoneLookup, start: number, end: number): string {
  if (lookup.status === 'found') return formatLocalRange(start, end, lookup.timeZone, `${whose}, ${lookup.timeZone}`)
  if (lookup.status === 'loading') return `Reading the ${whose.replace("'s time", '')}’s time zone…`
  if (lookup.status === 'none') return 'Not chosen yet.'
  return 'Time zone not readable with your access.'
}

export const AppointmentZones: React.FC = () => {
  const { start, end, tutor, student, studentTimeZone } = useFormFields(([fields]) => ({
    start: fields.start?.value,
    end: fields.end?.value,
    tutor: idOf(fields.tutor?.value),
    student: idOf(fields.student?.value),
    studentTimeZone: fields.studentTimeZone?.value,
  }))
  const tutorZone = useRecordTimeZone('tutors', tutor)
  // A tutor may not read students: the session itself carries its student's zone for them (virtual
  // `studentTimeZone`, hooks/appointments/showStudentToTutor.ts), so no lookup is made then.
  const givenZone = typeof studentTimeZone === 'string' && studentTimeZone ? studentTimeZone : undefined
  const lookedUp = useRecordTimeZone('students', givenZone ? undefined : student)
  const studentZone: ZoneLookup = givenZone ? { status: 'found', timeZone: givenZone } : lookedUp
  const startMs = Date.parse(String(start))
  const endMs = Date.parse(String(end))
  const known = Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs
  return (
    <section className="appointment-zones" aria-label="This session in each person's time zone">
      <h4 className="appointment-zones__title">This session in each person&rsquo;s time</h4>
      {known ? (
        <dl className="appointment-zones__list">
          <dt>Tutor</dt>
          <dd data-zone="tutor">{line("tutor's time", tutorZone, startMs, endMs)}</dd>
          <dt>Student</dt>
          <dd data-zone="student">{line("student's time", studentZone, startMs, endMs)}</dd>
        </dl>
      ) : (
        <p className="field-description">Enter a start and an end to see them in the tutor&rsquo;s and the student&rsquo;s zones.</p>
      )}
    </section>
  )
}
