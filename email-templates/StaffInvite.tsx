import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'

export type StaffInviteProps = { recipientName: string; invitedBy: string; setPasswordUrl: string; validForHours: number }

export const staffInviteSubject = (_props: StaffInviteProps): string => 'You are invited to TutorTrack: choose your password'

/** A tutor's (staff) invitation: the link is a password-reset link of the new account, so it works once. */
export function StaffInvite(props: StaffInviteProps) {
  const hours = props.validForHours === 1 ? '1 hour' : `${props.validForHours} hours`
  return (
    <Layout preview="Choose a password to sign in to TutorTrack." title="Welcome to TutorTrack">
      <Text style={paragraph}>{`Hi ${props.recipientName}, ${props.invitedBy} invited you to TutorTrack, where you see your sessions and keep your weekly hours and time off.`}</Text>
      <Button href={props.setPasswordUrl} style={button}>
        Choose your password
      </Button>
      <Text style={muted}>{`Or open this link: ${props.setPasswordUrl}`}</Text>
      <Text style={muted}>{`The link works once, for ${hours}. If it has expired, ask for a new invitation, or use "Forgot password" on the sign-in page with this address.`}</Text>
    </Layout>
  )
}
