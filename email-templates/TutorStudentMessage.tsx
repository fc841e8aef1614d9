import { Text } from '@react-email/components'

import { detail, Layout, muted, paragraph } from './components/Layout'
import { formatLocalDateTime, formatLocalRange } from '../src/scheduling/format'

/**
 * A student's note to their tutor about one session, sent from the manage page when the cancellation cut-off has
 * passed (POST /api/appointments/:id/message). Tutor-facing, so English. It carries the student's name and words
 * only: no email address or phone goes to the tutor, and none of the tutor's comes back to the student.
 */
export type TutorStudentMessageProps = {
  tutorName: string
  studentName: string
  message: string
  start: number
  end: number
  /** The tutor's zone. */
  timeZone: string
}

export const tutorStudentMessageSubject = (p: TutorStudentMessageProps): string =>
  `Message from ${p.studentName} about ${formatLocalDateTime(p.start, p.timeZone)}`

export function TutorStudentMessage(props: TutorStudentMessageProps) {
  return (
    <Layout
      preview={tutorStudentMessageSubject(props)}
      title={`A message from ${props.studentName}`}
      footer="You receive this email because this address is the booking contact of a TutorTrack tutor profile."
    >
      <Text style={paragraph}>{`Hi ${props.tutorName}, ${props.studentName} wrote about your session:`}</Text>
      <Text style={detail}>{`When: ${formatLocalRange(props.start, props.end, props.timeZone)}`}</Text>
      <Text style={{ ...paragraph, whiteSpace: 'pre-wrap', borderLeft: '3px solid #c7d2fe', paddingLeft: '12px' }}>{props.message}</Text>
      <Text style={muted}>
        {'TutorTrack does not share students’ email addresses, so replies to this email do not reach the student. Answer at the session, or ask TutorTrack staff to pass a message on or to change the booking.'}
      </Text>
    </Layout>
  )
}
