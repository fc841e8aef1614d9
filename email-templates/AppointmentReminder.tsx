import { Text } from '@react-email/components'

import { Layout, paragraph } from './components/Layout'
import { mailText } from './components/mailText'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'

export type AppointmentReminderProps = SessionFacts & { offsetMinutes: number }

export const appointmentReminderSubject = (p: AppointmentReminderProps): string => {
  const { t, at, duration } = mailText(p.locale)
  return t('reminder.subject', { tutor: p.tutorName, lead: duration(p.offsetMinutes * 60_000), when: at(p.start, p.timeZone) })
}

export function AppointmentReminder(props: AppointmentReminderProps) {
  const { t, duration } = mailText(props.locale)
  const lead = duration(props.offsetMinutes * 60_000)
  return (
    <Layout locale={props.locale} preview={t('reminder.preview', { tutor: props.tutorName, lead })} title={t('reminder.title', { lead })}>
      <Text style={paragraph}>{t('reminder.body', { student: props.studentName, tutor: props.tutorName })}</Text>
      <SessionDetails {...props} withWhom="tutor" />
    </Layout>
  )
}
