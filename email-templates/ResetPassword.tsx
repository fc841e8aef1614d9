import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'

export type ResetPasswordProps = { recipientName: string; resetUrl: string; validForHours: number }

export const resetPasswordSubject = (_props: ResetPasswordProps): string => 'Reset your TutorTrack password'

export function ResetPassword(props: ResetPasswordProps) {
  const hours = props.validForHours === 1 ? '1 hour' : `${props.validForHours} hours`
  return (
    <Layout preview="Choose a new password for TutorTrack." title="Reset your password">
      <Text style={paragraph}>{`Hi ${props.recipientName}, someone asked to reset the password of your TutorTrack account.`}</Text>
      <Button href={props.resetUrl} style={button}>
        Choose a new password
      </Button>
      <Text style={muted}>{`Or open this link: ${props.resetUrl}`}</Text>
      <Text style={muted}>{`The link works for ${hours}. If you did not ask for this, ignore this email: your password stays as it is.`}</Text>
    </Layout>
  )
}
