import { Text } from '@react-email/components'

import { Layout, paragraph } from './components/Layout'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'
import { formatDuration, formatLocalDateTime } from '../src/scheduling/format'

export type AppointmentReminderProps = SessionFacts & { offsetMinutes: number }

const lead = (offsetMinutes: number) => formatDuration(offsetMinutes * 60_000)

export const appointmentReminderSubject = (p: AppointmentReminderProps): string =>
  `Reminder: ${p.tutorName} in ${lead(p.offsetMinutes)}, ${formatLocalDateTime(p.start, p.timeZone)}`

export function AppointmentReminder(props: AppointmentReminderProps) {
  return (
    <Layout preview={`Your session with ${props.tutorName} starts in ${lead(props.offsetMinutes)}.`} title={`Your session starts in ${lead(props.offsetMinutes)}`}>
      <Text style={paragraph}>{`Hi ${props.studentName}, a reminder of your session with ${props.tutorName}.`}</Text>
      <SessionDetails {...props} withWhom="tutor" />
    </Layout>
  )
}
