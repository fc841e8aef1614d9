import type React from 'react'

/** A form's outcome: an alert when refused, a status when done; nothing rendered when there is nothing to say. */
export function FormMessage({ kind, children }: { kind: 'alert' | 'status'; children?: React.ReactNode }) {
  if (!children) return null
  const tone = kind === 'alert' ? 'border-red-300 bg-red-50 text-red-800' : 'border-emerald-300 bg-emerald-50 text-emerald-900'
  return (
    <p role={kind} className={`!my-4 max-w-md rounded-lg border px-3 py-2 ${tone}`}>
      {children}
    </p>
  )
}

export const buttonClass = 'mt-2 rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60'
export const linkClass = 'font-medium text-brand-700 underline'
