import type { SelectHTMLAttributes } from 'react'

import { controlClass } from './Field'
import type { Choice } from './choices'

/** What Field passes to its control (id, aria-describedby, aria-invalid, className), forwarded to the <select>. */
type Forwarded = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'name'>

/** The time-zone list; a zone the browser reported that is missing from it (an alias) is offered as well. */
export function ZoneSelect({ name, zones, value, onChange, ...forwarded }: Forwarded & { name: string; zones: string[]; value: string; onChange: (zone: string) => void }) {
  const options = zones.includes(value) ? zones : [value, ...zones]
  return (
    <select className={controlClass} {...forwarded} name={name} value={value} onChange={(event) => onChange(event.target.value)}>
      {options.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      ))}
    </select>
  )
}

export function LanguageSelect({ name, languages, value, onChange, ...forwarded }: Forwarded & { name: string; languages: Choice[]; value: string; onChange: (language: string) => void }) {
  return (
    <select className={controlClass} {...forwarded} name={name} value={value} onChange={(event) => onChange(event.target.value)}>
      {languages.map((language) => (
        <option key={language.value} value={language.value} lang={language.value}>
          {language.label}
        </option>
      ))}
    </select>
  )
}
