import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'
import { mailText } from './components/mailText'

/**
 * Sent when someone registers with an address that already has a verified account. The sign-up form answers the
 * same either way (no account enumeration); the owner learns here what happened and how to get back in, in the
 * account's language.
 */
export type AccountExistsProps = { recipientName: string; loginUrl: string; forgotPasswordUrl: string; locale?: string }

export const accountExistsSubject = (props: AccountExistsProps): string => mailText(props.locale).t('accountExists.subject')

export function AccountExists(props: AccountExistsProps) {
  const { t } = mailText(props.locale)
  return (
    <Layout locale={props.locale} preview={t('accountExists.preview')} title={t('accountExists.title')}>
      <Text style={paragraph}>{t('accountExists.body', { name: props.recipientName })}</Text>
      <Button href={props.loginUrl} style={button}>
        {t('accountExists.button')}
      </Button>
      <Text style={muted}>{t('accountExists.forgot', { url: props.forgotPasswordUrl })}</Text>
      <Text style={muted}>{t('accountExists.notYou')}</Text>
    </Layout>
  )
}
