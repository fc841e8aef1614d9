import { cloneElement, type ReactElement } from 'react'

/**
 * One labelled form control with its hint and its error sentence, tied to it for screen readers
 * (aria-describedby, aria-invalid). The control itself is passed in, so inputs and selects share it.
 */
export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactElement<{ className?: string; id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }> }) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className="mb-4">
      <label htmlFor={id} className="mb-1 block font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="!my-0 mb-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined, className: children.props.className ?? controlClass })}
      {error ? (
        <p id={`${id}-error`} className="!mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

export const controlClass =
  'block w-full max-w-md rounded-lg border border-slate-400 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-700'
