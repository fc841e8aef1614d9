import { Button, Link, Section, Text } from '@react-email/components'

import { button, detail, muted } from './Layout'
import { formatLocalRange } from '../../src/scheduling/format'

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
}

const isLink = (value: string) => /^https?:\/\//i.test(value)

/** When, with whom, where; the manage link. Each line is one text node so its exact wording is testable. */
export function SessionDetails(props: SessionFacts & { withWhom: 'tutor' | 'student'; manageLabel?: string; struck?: boolean }) {
  const who = props.withWhom === 'tutor' ? `Tutor: ${props.tutorName}` : `Student: ${props.studentName}`
  const location = props.meetingLocation?.trim()
  return (
    <>
      <Text style={{ ...detail, textDecoration: props.struck ? 'line-through' : undefined }}>{`When: ${formatLocalRange(props.start, props.end, props.timeZone)}`}</Text>
      <Text style={detail}>{who}</Text>
      {location ? (
        isLink(location) ? (
          <Text style={detail}>
            {'Where: '}
            <Link href={location}>{location}</Link>
          </Text>
        ) : (
          <Text style={detail}>{`Where: ${location}`}</Text>
        )
      ) : null}
      {props.notes ? <Text style={detail}>{`Notes: ${props.notes}`}</Text> : null}
      <Section style={{ margin: '20px 0 0' }}>
        <Button href={props.manageUrl} style={button}>
          {props.manageLabel ?? 'Manage your booking'}
        </Button>
      </Section>
      <Text style={muted}>{`Times are shown in ${props.timeZone}. Manage this booking at ${props.manageUrl}`}</Text>
    </>
  )
}
