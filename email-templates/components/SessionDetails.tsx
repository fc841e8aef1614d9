import { Button, Link, Section, Text } from '@react-email/components'

import { button, detail, muted } from './Layout'
import { mailText } from './mailText'

export type SessionFacts = {
  start: number
  end: number
  /** The recipient's IANA zone: every time in the email is shown in it, with the zone named. */
  timeZone: string
  tutorName: string
  studentName: string
  meetingLocation?: string | null
  notes?: string | null
  manageUrl: string
  /** The student's mail language (a catalog file name); English when absent (and always for tutors). */
  locale?: string
}

const isLink = (value: string) => /^https?:\/\//i.test(value)

/** When, with whom, where; the manage link. Each line is one text node so its exact wording is testable. */
export function SessionDetails(props: SessionFacts & { withWhom: 'tutor' | 'student'; manageLabel?: 'manage' | 'view'; struck?: boolean }) {
  const { t, range } = mailText(props.locale)
  const who = props.withWhom === 'tutor' ? t('session.tutor', { name: props.tutorName }) : t('session.student', { name: props.studentName })
  const location = props.meetingLocation?.trim()
  return (
    <>
      <Text style={{ ...detail, textDecoration: props.struck ? 'line-through' : undefined }}>{t('session.when', { when: range(props.start, props.end, props.timeZone) })}</Text>
      <Text style={detail}>{who}</Text>
      {location ? (
        isLink(location) ? (
          <Text style={detail}>
            {t('session.whereLabel')}
            <Link href={location}>{location}</Link>
          </Text>
        ) : (
          <Text style={detail}>{t('session.where', { place: location })}</Text>
        )
      ) : null}
      {props.notes ? <Text style={detail}>{t('session.notes', { notes: props.notes })}</Text> : null}
      <Section style={{ margin: '20px 0 0' }}>
        <Button href={props.manageUrl} style={button}>
          {props.manageLabel === 'view' ? t('session.view') : t('session.manage')}
        </Button>
      </Section>
      <Text style={muted}>{t('session.timesIn', { zone: props.timeZone, url: props.manageUrl })}</Text>
    </>
  )
}
