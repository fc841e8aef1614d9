import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'

import { safeNextPath } from '../../../lib/nextPath'
import { currentStudent } from '../_account/session'
import { linkClass } from '../_account/FormMessage'
import { LoginForm } from './LoginForm'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('SignIn'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

type Search = { next?: string | string[]; verified?: string | string[] }

/** /login?next=<path on this site>: the booker's confirm step and /account send signed-out visitors here. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Search> }) {
  const query = await searchParams
  const next = safeNextPath(query.next)
  if (await currentStudent()) redirect(next ?? '/account')
  const t = await getTranslations('SignIn')
  const withNext = next ? `?next=${encodeURIComponent(next)}` : ''
  return (
    <div className="mx-auto max-w-md">
      <h1>{t('title')}</h1>
      {query.verified === '1' ? (
        <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-900">
          {t('verifiedContinue')}
        </p>
      ) : next ? (
        <p>{t('toContinue')}</p>
      ) : null}
      <LoginForm
        next={next ?? '/'}
        text={{ email: t('email'), password: t('password'), submit: t('submit'), sending: t('sending'), failed: t.raw('failed') as string }}
      />
      <p className="!mt-6">
        <a href="/forgot-password" className={linkClass}>
          {t('forgot')}
        </a>
      </p>
      <p>
        {t('noAccount')}{' '}
        <a href={`/register${withNext}`} className={linkClass}>
          {t('registerLink')}
        </a>
      </p>
    </div>
  )
}
