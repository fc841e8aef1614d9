import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'

/**
 * Sent when someone registers with an address that already has a verified account. The sign-up form answers the
 * same either way (no account enumeration); the owner learns here what happened and how to get back in.
 */
export type AccountExistsProps = { recipientName: string; loginUrl: string; forgotPasswordUrl: string }

export const accountExistsSubject = (_props: AccountExistsProps): string => 'You already have a TutorTrack account'

export function AccountExists(props: AccountExistsProps) {
  return (
    <Layout preview="Someone tried to sign up with this address. Log in or reset your password." title="You already have an account">
      <Text style={paragraph}>{`Hi ${props.recipientName}, someone (hopefully you) just tried to create a TutorTrack account with this email address, which already has one.`}</Text>
      <Button href={props.loginUrl} style={button}>
        Log in
      </Button>
      <Text style={muted}>{`Forgot your password? Reset it here: ${props.forgotPasswordUrl}`}</Text>
      <Text style={muted}>If this was not you, ignore this email: nothing has changed and no new account was created.</Text>
    </Layout>
  )
}
