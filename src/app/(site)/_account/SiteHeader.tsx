import { getLocale, getTranslations } from 'next-intl/server'

import { languageChoices } from './choices'
import { LanguageSwitch } from './LanguageSwitch'
import { currentStudent } from './session'
import { SignOutButton } from './SignOutButton'

const navLink = 'rounded-md px-2 py-1 text-slate-800 hover:bg-slate-100 hover:text-brand-700'

/** Product name, the finder, and the account links for a signed-in student or a visitor. */
export async function SiteHeader() {
  const [t, locale, student] = await Promise.all([getTranslations('Site'), getLocale(), currentStudent()])
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <a href="/" aria-label={t('homeLink')} className="text-xl font-bold tracking-tight text-brand-700">
          {t('productName')}
        </a>
        <nav aria-label={t('mainNav')}>
          <ul className="flex flex-wrap items-center gap-x-1 gap-y-1 text-sm sm:text-base">
            <li>
              <a href="/" className={navLink}>
                {t('findTutor')}
              </a>
            </li>
            {student ? (
              <>
                <li>
                  <a href="/bookings" className={navLink}>
                    {t('myBookings')}
                  </a>
                </li>
                <li>
                  <a href="/account" className={navLink}>
                    {t('account')}
                  </a>
                </li>
                <li>
                  <SignOutButton label={t('signOut')} className={`${navLink} cursor-pointer`} />
                </li>
              </>
            ) : (
              <>
                <li>
                  <a href="/login" className={navLink}>
                    {t('signIn')}
                  </a>
                </li>
                <li>
                  <a href="/register" className="rounded-md bg-brand-700 px-3 py-1 font-semibold text-white hover:bg-brand-800">
                    {t('register')}
                  </a>
                </li>
              </>
            )}
            <li>
              <LanguageSwitch label={t('languageSwitch')} current={locale} languages={languageChoices()} />
            </li>
          </ul>
        </nav>
      </div>
    </header>
  )
}
