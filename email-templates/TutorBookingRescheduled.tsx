import { Text } from '@react-email/components'

import { detail, Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatLocalDateTime, formatLocalRange } from '../src/scheduling/format'

export type TutorBookingRescheduledProps = SessionFacts & { previousStart: number; previousEnd: number }

export const tutorBookingRescheduledSubject = (p: TutorBookingRescheduledProps): string =>
  `Moved: ${p.studentName}, now ${formatLocalDateTime(p.start, p.timeZone)}`

export function TutorBookingRescheduled(props: TutorBookingRescheduledProps) {
  return (
    <Layout
      preview={tutorBookingRescheduledSubject(props)}
      title={`${props.studentName} moved a session`}
      footer="You receive this email because this address is the booking contact of a TutorTrack tutor profile."
    >
      <Text style={paragraph}>{`Hi ${props.tutorName}, a session with ${props.studentName} has new details.`}</Text>
      <Text style={{ ...detail, color: '#6b7280' }}>{`Was: ${formatLocalRange(props.previousStart, props.previousEnd, props.timeZone)}`}</Text>
      <SessionDetails {...props} withWhom="student" manageLabel="view" />
    </Layout>
  )
}
