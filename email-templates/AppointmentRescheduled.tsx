import { Text } from '@react-email/components'

import { detail, Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatLocalDateTime, formatLocalRange } from '../src/scheduling/format'

export type AppointmentRescheduledProps = SessionFacts & { previousStart: number; previousEnd: number }

const moved = (p: AppointmentRescheduledProps) => p.previousStart !== p.start || p.previousEnd !== p.end

export const appointmentRescheduledSubject = (p: AppointmentRescheduledProps): string =>
  moved(p)
    ? `Moved: your session with ${p.tutorName} is now ${formatLocalDateTime(p.start, p.timeZone)}`
    : `Updated: your session with ${p.tutorName}, ${formatLocalDateTime(p.start, p.timeZone)}`

export function AppointmentRescheduled(props: AppointmentRescheduledProps) {
  const title = moved(props) ? 'Your session has moved' : 'Your session details have changed'
  return (
    <Layout preview={appointmentRescheduledSubject(props)} title={title}>
      <Text style={paragraph}>{`Hi ${props.studentName}, here are the new details. The updated calendar invite is attached.`}</Text>
      {moved(props) ? (
        <Text style={{ ...detail, color: '#6b7280' }}>{`Was: ${formatLocalRange(props.previousStart, props.previousEnd, props.timeZone)}`}</Text>
      ) : null}
      <SessionDetails {...props} withWhom="tutor" />
    </Layout>
  )
}
