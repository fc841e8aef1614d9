import { redirect } from 'next/navigation'
import { getTranslations } from 'next-intl/server'

import { DEFAULT_LOCALE, isLocale } from '../../../i18n/catalog'
import { languageChoices, zoneChoices } from '../_account/choices'
import { currentStudent } from '../_account/session'
import { ChangePasswordForm } from './ChangePasswordForm'
import { ProfileForm } from './ProfileForm'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Account'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** The signed-in student's profile and password; a signed-out visitor signs in first and comes back here. */
export default async function AccountPage() {
  const student = await currentStudent()
  if (!student) redirect('/login?next=/account')
  const t = await getTranslations('Account')
  const profile = {
    id: String(student.id),
    fullName: student.fullName,
    phone: student.phone ?? '',
    timeZone: student.timeZone || 'UTC',
    language: isLocale(student.language) ? student.language : DEFAULT_LOCALE,
  }
  const say = t as unknown as (key: string) => string
  const pick = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, say(key)])) as Record<K, string>
  return (
    <div className="mx-auto max-w-2xl">
      <h1>{t('title')}</h1>
      <p>{t('signedInAs', { email: student.email })}</p>
      <section className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="profile-heading" className="mb-3 text-lg font-semibold">
          {t('profileHeading')}
        </h2>
        <ProfileForm
          profile={profile}
          zones={zoneChoices()}
          languages={languageChoices()}
          text={{ ...pick(['fullName', 'phone', 'phoneHint', 'timeZone', 'timeZoneHint', 'language', 'submit', 'sending', 'saved', 'fixFields'] as const), failed: t.raw('failed') as string }}
        />
      </section>
      <section className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="password-heading" className="mb-3 text-lg font-semibold">
          {t('passwordHeading')}
        </h2>
        <ChangePasswordForm
          text={{
            ...pick(['current', 'next', 'nextHint', 'repeat', 'mismatch', 'done'] as const),
            submit: t('passwordSubmit'),
            sending: t('sending'),
            failed: t.raw('passwordFailed') as string,
          }}
        />
      </section>
    </div>
  )
}
