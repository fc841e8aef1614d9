import { Text } from '@react-email/components'

import { Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatLocalDateTime } from '../src/scheduling/format'

export type AppointmentConfirmedProps = SessionFacts

export const appointmentConfirmedSubject = (p: AppointmentConfirmedProps): string =>
  `Booked: ${p.tutorName}, ${formatLocalDateTime(p.start, p.timeZone)}`

export function AppointmentConfirmed(props: AppointmentConfirmedProps) {
  return (
    <Layout preview={`Your session with ${props.tutorName} is booked.`} title={`Your session with ${props.tutorName} is booked`}>
      <Text style={paragraph}>{`Hi ${props.studentName}, your session is confirmed. The calendar invite is attached.`}</Text>
      <SessionDetails {...props} withWhom="tutor" />
    </Layout>
  )
}
