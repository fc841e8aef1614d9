'use client'

import type { Choice } from './choices'
import { rememberLanguage } from './language'

/**
 * The other languages as buttons, each named in its own language (lang attribute for screen readers). It sets
 * the site's language for this browser; a signed-in student's profile language is changed on /account.
 */
export function LanguageSwitch({ label, current, languages }: { label: string; current: string; languages: Choice[] }) {
  const others = languages.filter((language) => language.value !== current)
  if (others.length === 0) return null
  return (
    <ul aria-label={label} className="flex gap-2">
      {others.map((language) => (
        <li key={language.value}>
          <button
            type="button"
            lang={language.value}
            className="rounded-md px-2 py-1 text-sm text-slate-700 underline hover:bg-slate-100"
            onClick={() => {
              rememberLanguage(language.value)
              window.location.reload()
            }}
          >
            {language.label}
          </button>
        </li>
      ))}
    </ul>
  )
}
