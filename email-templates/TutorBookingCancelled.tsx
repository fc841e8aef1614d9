import { Text } from '@react-email/components'

import { detail, Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatLocalDateTime } from '../src/scheduling/format'

export type TutorBookingCancelledProps = SessionFacts & { reason?: string | null; cancelledBy?: string | null }

export const tutorBookingCancelledSubject = (p: TutorBookingCancelledProps): string =>
  `Cancelled: ${p.studentName}, ${formatLocalDateTime(p.start, p.timeZone)}`

export function TutorBookingCancelled(props: TutorBookingCancelledProps) {
  const by = props.cancelledBy === 'student' ? props.studentName : props.cancelledBy === 'tutor' ? 'You' : 'An admin'
  return (
    <Layout
      preview={tutorBookingCancelledSubject(props)}
      title={`Session with ${props.studentName} cancelled`}
      footer="You receive this email because this address is the booking contact of a TutorTrack tutor profile."
    >
      <Text style={paragraph}>{`Hi ${props.tutorName}, ${by} cancelled this session. The time is free again.`}</Text>
      {props.reason ? <Text style={detail}>{`Reason: ${props.reason}`}</Text> : null}
      <SessionDetails {...props} withWhom="student" manageLabel="view" struck />
    </Layout>
  )
}
