import { Button, Text } from '@react-email/components'

import { button, Layout, muted, paragraph } from './components/Layout'
import { mailText } from './components/mailText'

/** `locale`: the student's language; English when absent. */
export type ResetPasswordProps = { recipientName: string; resetUrl: string; validForHours: number; locale?: string }

export const resetPasswordSubject = (props: ResetPasswordProps): string => mailText(props.locale).t('reset.subject')

export function ResetPassword(props: ResetPasswordProps) {
  const { t } = mailText(props.locale)
  return (
    <Layout locale={props.locale} preview={t('reset.preview')} title={t('reset.title')}>
      <Text style={paragraph}>{t('reset.body', { name: props.recipientName })}</Text>
      <Button href={props.resetUrl} style={button}>
        {t('reset.button')}
      </Button>
      <Text style={muted}>{t('orOpen', { url: props.resetUrl })}</Text>
      <Text style={muted}>{t('reset.validFor', { hours: props.validForHours })}</Text>
    </Layout>
  )
}
