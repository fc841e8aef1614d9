import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'
import { mailText } from './components/mailText'

/** `locale`: the student's language (set at registration); English when absent. */
export type VerifyEmailProps = { recipientName: string; verifyUrl: string; locale?: string }

export const verifyEmailSubject = (props: VerifyEmailProps): string => mailText(props.locale).t('verify.subject')

export function VerifyEmail(props: VerifyEmailProps) {
  const { t } = mailText(props.locale)
  return (
    <Layout locale={props.locale} preview={t('verify.preview')} title={t('verify.title')}>
      <Text style={paragraph}>{t('verify.body', { name: props.recipientName })}</Text>
      <Button href={props.verifyUrl} style={button}>
        {t('verify.button')}
      </Button>
      <Text style={muted}>{t('orOpen', { url: props.verifyUrl })}</Text>
      <Text style={muted}>{t('verify.notYou')}</Text>
    </Layout>
  )
}
