import { Text } from '@react-email/components'

import { Layout, paragraph } from './components/Layout'
import { mailText } from './components/mailText'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'

export type AppointmentConfirmedProps = SessionFacts

export const appointmentConfirmedSubject = (p: AppointmentConfirmedProps): string => {
  const { t, at } = mailText(p.locale)
  return t('confirmed.subject', { tutor: p.tutorName, when: at(p.start, p.timeZone) })
}

export function AppointmentConfirmed(props: AppointmentConfirmedProps) {
  const { t } = mailText(props.locale)
  return (
    <Layout locale={props.locale} preview={t('confirmed.preview', { tutor: props.tutorName })} title={t('confirmed.title', { tutor: props.tutorName })}>
      <Text style={paragraph}>{t('confirmed.body', { student: props.studentName })}</Text>
      <SessionDetails {...props} withWhom="tutor" />
    </Layout>
  )
}
