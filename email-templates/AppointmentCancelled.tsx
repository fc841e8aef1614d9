import { Text } from '@react-email/components'

import { detail, Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatLocalDateTime } from '../src/scheduling/format'

export type AppointmentCancelledProps = SessionFacts & { reason?: string | null; cancelledBy?: string | null }

export const appointmentCancelledSubject = (p: AppointmentCancelledProps): string =>
  `Cancelled: your session with ${p.tutorName}, ${formatLocalDateTime(p.start, p.timeZone)}`

const byWhom = (by?: string | null) => (by === 'student' ? 'You cancelled' : by === 'tutor' ? 'Your tutor cancelled' : 'TutorTrack cancelled')

export function AppointmentCancelled(props: AppointmentCancelledProps) {
  return (
    <Layout preview={appointmentCancelledSubject(props)} title={`Your session with ${props.tutorName} is cancelled`}>
      <Text style={paragraph}>{`Hi ${props.studentName}, ${byWhom(props.cancelledBy).toLowerCase()} this session. It has been removed from your calendar.`}</Text>
      {props.reason ? <Text style={detail}>{`Reason: ${props.reason}`}</Text> : null}
      <SessionDetails {...props} withWhom="tutor" manageLabel="View booking" struck />
    </Layout>
  )
}
