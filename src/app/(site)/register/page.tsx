import { redirect } from 'next/navigation'
import { getLocale, getTranslations } from 'next-intl/server'

import { safeNextPath } from '../../../lib/nextPath'
import { languageChoices, zoneChoices } from '../_account/choices'
import { linkClass } from '../_account/FormMessage'
import { currentStudent } from '../_account/session'
import { RegisterForm } from './RegisterForm'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Register'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** /register?next=<path on this site>: after verifying the email, the student returns to `next`. */
export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next)
  if (await currentStudent()) redirect(next ?? '/account')
  const [t, locale] = await Promise.all([getTranslations('Register'), getLocale()])
  const keys = ['fullName', 'email', 'password', 'passwordHint', 'phone', 'phoneHint', 'timeZone', 'timeZoneHint', 'language', 'submit', 'sending', 'fixFields'] as const
  const text = { ...Object.fromEntries(keys.map((key) => [key, t(key)])), failed: t.raw('failed') as string } as Parameters<typeof RegisterForm>[0]['text']
  return (
    <div className="mx-auto max-w-md">
      <h1>{t('title')}</h1>
      <p>{next ? t('introNext') : t('intro')}</p>
      <RegisterForm next={next} locale={locale} zones={zoneChoices()} languages={languageChoices()} text={text} />
      <p className="!mt-6">
        {t('haveAccount')}{' '}
        <a href={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`} className={linkClass}>
          {t('signInLink')}
        </a>
      </p>
    </div>
  )
}
