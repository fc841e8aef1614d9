import { Text } from '@react-email/components'

import { Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatLocalDateTime } from '../src/scheduling/format'

export type TutorNewBookingProps = SessionFacts

export const tutorNewBookingSubject = (p: TutorNewBookingProps): string =>
  `New booking: ${p.studentName}, ${formatLocalDateTime(p.start, p.timeZone)}`

export function TutorNewBooking(props: TutorNewBookingProps) {
  return (
    <Layout
      preview={tutorNewBookingSubject(props)}
      title={`New booking with ${props.studentName}`}
      footer="You receive this email because this address is the booking contact of a TutorTrack tutor profile."
    >
      <Text style={paragraph}>{`Hi ${props.tutorName}, ${props.studentName} booked a session with you.`}</Text>
      <SessionDetails {...props} withWhom="student" manageLabel="view" />
    </Layout>
  )
}
