import type React from 'react'
import { getLocale, getTranslations } from 'next-intl/server'

import { SiteHeader } from './_account/SiteHeader'
import './globals.css'

export async function generateMetadata() {
  const t = await getTranslations('Site')
  return { title: t('metaTitle'), description: t('metaDescription') }
}

/**
 * The student site's root layout (the admin has its own in (payload)): language from src/i18n/request.ts, the
 * Tailwind styles, and the header (the finder and the account links, signed in or not).
 */
export default async function SiteLayout({ children }: { children: React.ReactNode }) {
  const [locale, t] = await Promise.all([getLocale(), getTranslations('Site')])
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans text-base leading-relaxed">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          {t('skipToContent')}
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
          {children}
        </main>
        <footer className="mx-auto max-w-6xl px-4 pb-8 text-sm text-slate-600 sm:px-6">{t('footer')}</footer>
      </body>
    </html>
  )
}
