import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'

export type VerifyEmailProps = { recipientName: string; verifyUrl: string }

export const verifyEmailSubject = (_props: VerifyEmailProps): string => 'Confirm your email address for TutorTrack'

export function VerifyEmail(props: VerifyEmailProps) {
  return (
    <Layout preview="Confirm your email address to start booking sessions." title="Confirm your email address">
      <Text style={paragraph}>{`Hi ${props.recipientName}, welcome to TutorTrack. Confirm this address to start booking sessions.`}</Text>
      <Button href={props.verifyUrl} style={button}>
        Confirm email address
      </Button>
      <Text style={muted}>{`Or open this link: ${props.verifyUrl}`}</Text>
      <Text style={muted}>If you did not create a TutorTrack account, ignore this email.</Text>
    </Layout>
  )
}
