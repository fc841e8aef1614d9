import { getTranslations } from 'next-intl/server'

import { linkClass } from '../_account/FormMessage'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('CheckEmail'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** After registering: the same page for a new and an already-known address (no account enumeration). */
export default async function CheckEmailPage() {
  const t = await getTranslations('CheckEmail')
  return (
    <div className="mx-auto max-w-md">
      <h1>{t('title')}</h1>
      <p role="status">{t('sent')}</p>
      <p>{t('valid')}</p>
      <p>{t('nothing')}</p>
      <p>
        <a href="/register" className={linkClass}>
          {t('again')}
        </a>
      </p>
    </div>
  )
}
