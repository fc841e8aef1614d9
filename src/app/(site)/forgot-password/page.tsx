import { getTranslations } from 'next-intl/server'

import { linkClass } from '../_account/FormMessage'
import { ForgotPasswordForm } from './ForgotPasswordForm'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Forgot'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** Linked from the sign-in page and from the "you already have an account" mail. */
export default async function ForgotPasswordPage() {
  const t = await getTranslations('Forgot')
  return (
    <div className="mx-auto max-w-md">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ForgotPasswordForm text={{ email: t('email'), submit: t('submit'), sending: t('sending'), done: t('done'), failed: t.raw('failed') as string }} />
      <p className="!mt-6">
        <a href="/login" className={linkClass}>
          {t('backToSignIn')}
        </a>
      </p>
    </div>
  )
}
