import { Text } from '@react-email/components'

import { detail, Layout, paragraph } from './components/Layout'
import { mailText } from './components/mailText'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'

export type AppointmentCancelledProps = SessionFacts & { reason?: string | null; cancelledBy?: string | null }

export const appointmentCancelledSubject = (p: AppointmentCancelledProps): string => {
  const { t, at } = mailText(p.locale)
  return t('cancelled.subject', { tutor: p.tutorName, when: at(p.start, p.timeZone) })
}

export function AppointmentCancelled(props: AppointmentCancelledProps) {
  const { t } = mailText(props.locale)
  const by = props.cancelledBy === 'student' || props.cancelledBy === 'tutor' ? props.cancelledBy : 'other'
  return (
    <Layout locale={props.locale} preview={appointmentCancelledSubject(props)} title={t('cancelled.title', { tutor: props.tutorName })}>
      <Text style={paragraph}>{t('cancelled.body', { student: props.studentName, by })}</Text>
      {props.reason ? <Text style={detail}>{t('session.reason', { reason: props.reason })}</Text> : null}
      <SessionDetails {...props} withWhom="tutor" manageLabel="view" struck />
    </Layout>
  )
}
