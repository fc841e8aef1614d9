'use client'

import 'react-day-picker/style.css'
import './booker.css'

import { useRouter } from 'next/navigation'
import { type AnchorHTMLAttributes, createContext, type MouseEvent, useContext, useEffect, useMemo, useRef } from 'react'
import { DayPicker, type DayButtonProps } from 'react-day-picker'
import { enUS, es } from 'react-day-picker/locale'

const LOCALES = { en: enUS, es }

const pad = (value: number): string => String(value).padStart(2, '0')
/** Calendar days are plain dates ('YYYY-MM-DD'), built from local parts so server and browser draw the same grid. */
const keyOf = (date: Date): string => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
const dateOf = (key: string): Date => {
  const [year, month, day] = key.split('-').map(Number)
  return new Date(year!, (month ?? 1) - 1, day ?? 1)
}

/** Builds the address of a day (a plain link, so days work before and without JavaScript). */
const DayHref = createContext<(day: string) => string>(() => '#')

/** A free day is a link to its times; DayPicker's keyboard handling (arrows, Home/End, PageUp/PageDown) is kept. */
function DayLink({ day, modifiers, ...props }: DayButtonProps) {
  const hrefOf = useContext(DayHref)
  const ref = useRef<HTMLAnchorElement>(null)
  useEffect(() => {
    if (modifiers.focused) ref.current?.focus()
  }, [modifiers.focused])
  if (modifiers.disabled) return <button {...props} />
  const { onClick, type: _type, disabled: _disabled, ...rest } = props
  return (
    <a
      ref={ref}
      {...(rest as AnchorHTMLAttributes<HTMLAnchorElement>)}
      href={hrefOf(keyOf(day.date))}
      aria-current={modifiers.selected ? 'date' : undefined}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        event.preventDefault()
        onClick?.(event as unknown as MouseEvent<HTMLButtonElement>)
      }}
    />
  )
}

export type BookerCalendarProps = {
  month: string
  selected: string | null
  freeDays: string[]
  today: string
  locale: string
  /** The booker's address without day and month; `&day=` / `&month=` are added. */
  baseHref: string
  /** Translated words for a day's accessible name. */
  dayWords: { today: string; selected: string }
}

/**
 * The month calendar (react-day-picker, server-rendered): days with free time are marked and selectable,
 * the others disabled. Choosing a day or month changes the address; the server answers with its times.
 */
export function BookerCalendar({ month, selected, freeDays, today, locale, baseHref, dayWords }: BookerCalendarProps) {
  const router = useRouter()
  const free = useMemo(() => new Set(freeDays), [freeDays])
  const join = baseHref.includes('?') ? '&' : '?'
  // A day's name starts with the number shown on it (WCAG 2.5.3, label in name): "7, Monday, December 7, 2026".
  const longDate = useMemo(() => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }), [locale])
  const labelDayButton = (date: Date, modifiers?: { today?: boolean; selected?: boolean }) =>
    [String(date.getDate()), longDate.format(date), modifiers?.today ? dayWords.today : '', modifiers?.selected ? dayWords.selected : ''].filter(Boolean).join(', ')
  const dayHref = useMemo(() => (day: string) => `${baseHref}${join}day=${day}`, [baseHref, join])
  return (
    <DayHref.Provider value={dayHref}>
      <DayPicker
        mode="single"
        required
        locale={LOCALES[locale as keyof typeof LOCALES] ?? enUS}
        month={dateOf(`${month}-01`)}
        today={dateOf(today)}
        selected={selected ? dateOf(selected) : undefined}
        onSelect={(date) => {
          if (date) router.push(dayHref(keyOf(date)), { scroll: false })
        }}
        onMonthChange={(date) => router.push(`${baseHref}${join}month=${keyOf(date).slice(0, 7)}`, { scroll: false })}
        hideNavigation
        disabled={(date) => !free.has(keyOf(date))}
        modifiers={{ free: (date) => free.has(keyOf(date)) }}
        modifiersClassNames={{ free: 'booker-free' }}
        components={{ DayButton: DayLink }}
        labels={{ labelDayButton }}
        className="booker-calendar"
      />
    </DayHref.Provider>
  )
}
