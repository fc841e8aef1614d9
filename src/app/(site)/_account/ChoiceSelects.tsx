import { controlClass } from './Field'
import type { Choice } from './choices'

/** The time-zone list; a zone the browser reported that is missing from it (an alias) is offered as well. */
export function ZoneSelect({ name, zones, value, onChange }: { name: string; zones: string[]; value: string; onChange: (zone: string) => void }) {
  const options = zones.includes(value) ? zones : [value, ...zones]
  return (
    <select name={name} value={value} onChange={(event) => onChange(event.target.value)} className={controlClass}>
      {options.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      ))}
    </select>
  )
}

export function LanguageSelect({ name, languages, value, onChange }: { name: string; languages: Choice[]; value: string; onChange: (language: string) => void }) {
  return (
    <select name={name} value={value} onChange={(event) => onChange(event.target.value)} className={controlClass}>
      {languages.map((language) => (
        <option key={language.value} value={language.value} lang={language.value}>
          {language.label}
        </option>
      ))}
    </select>
  )
}
