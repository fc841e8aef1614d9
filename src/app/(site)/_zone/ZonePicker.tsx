import { getTranslations } from 'next-intl/server'

import { zoneChoices } from './visitorZone'

/**
 * Changes the zone times are shown in: a GET form that keeps the page's other parameters, so it works without
 * JavaScript and the address says what is shown.
 */
export async function ZonePicker({ action, zone, keep }: { action: string; zone: string; keep: Record<string, string | undefined> }) {
  const t = await getTranslations('Zone')
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-2" aria-label={t('pickerLabel')}>
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <label className="grid gap-1 text-sm font-medium text-slate-700">
        {t('zoneLabel')}
        {/* Keyed by the zone: when the detected zone re-renders the page, an uncontrolled select would keep its first value. */}
        <select key={zone} name="tz" defaultValue={zone} className="max-w-[16rem] rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900" data-testid="zone-select">
          {zoneChoices(zone).map((name) => (
            <option key={name} value={name}>
              {name.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-lg border border-brand-700 px-4 py-2 text-sm font-semibold text-brand-800 hover:bg-brand-50">
        {t('change')}
      </button>
    </form>
  )
}
