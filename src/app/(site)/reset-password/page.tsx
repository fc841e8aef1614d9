import { getTranslations } from 'next-intl/server'

import { isWellFormedToken } from '../apiCall'
import { ResetPasswordForm, type ResetPasswordText } from './ResetPasswordForm'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('ResetPassword'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** Where the password-reset email's link lands (src/email/authEmails.ts builds it from SERVER_URL). */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams
  const t = await getTranslations('ResetPassword')
  const text: ResetPasswordText = {
    password: t('password'),
    repeat: t('repeat'),
    submit: t('submit'),
    sending: t('sending'),
    mismatch: t('mismatch'),
    done: t('done'),
    toAccount: t('toAccount'),
    failed: t.raw('failed') as string,
  }
  return (
    <>
      <h1>{t('title')}</h1>
      {isWellFormedToken(token) ? <ResetPasswordForm token={token} text={text} /> : <p role="alert">{t('incompleteLink')}</p>}
    </>
  )
}
