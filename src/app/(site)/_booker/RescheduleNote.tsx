import { getTranslations } from 'next-intl/server'

import type { Appointment, Tutor } from '../../../payload-types'
import type { TimeText } from './timeText'

/** Reschedule mode: which session is being moved, and that it stays booked until the new time is confirmed. */
export async function RescheduleNote({ appointment, zone, times }: { appointment: (Appointment & { tutor: Tutor }) | null; zone: string; times: TimeText }) {
  const t = await getTranslations('Booker')
  return (
    <p data-testid="reschedule-note" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-slate-900">
      {appointment
        ? t('rescheduling', { when: t('inZone', { when: times.when(Date.parse(appointment.start), zone), zone }) })
        : t('rescheduleUnknown')}
    </p>
  )
}
