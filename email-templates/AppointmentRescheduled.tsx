import { Text } from '@react-email/components'

import { detail, Layout, paragraph } from './components/Layout'
import { mailText } from './components/mailText'
import { SessionDetails, type SessionFacts } from './components/SessionDetails'

export type AppointmentRescheduledProps = SessionFacts & { previousStart: number; previousEnd: number }

const moved = (p: AppointmentRescheduledProps) => p.previousStart !== p.start || p.previousEnd !== p.end

export const appointmentRescheduledSubject = (p: AppointmentRescheduledProps): string => {
  const { t, at } = mailText(p.locale)
  return t(moved(p) ? 'rescheduled.subjectMoved' : 'rescheduled.subjectUpdated', { tutor: p.tutorName, when: at(p.start, p.timeZone) })
}

export function AppointmentRescheduled(props: AppointmentRescheduledProps) {
  const { t, range } = mailText(props.locale)
  return (
    <Layout locale={props.locale} preview={appointmentRescheduledSubject(props)} title={t(moved(props) ? 'rescheduled.titleMoved' : 'rescheduled.titleUpdated')}>
      <Text style={paragraph}>{t('rescheduled.body', { student: props.studentName })}</Text>
      {moved(props) ? (
        <Text style={{ ...detail, color: '#6b7280' }}>{t('session.was', { when: range(props.previousStart, props.previousEnd, props.timeZone) })}</Text>
      ) : null}
      <SessionDetails {...props} withWhom="tutor" />
    </Layout>
  )
}
