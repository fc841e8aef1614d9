import { date, number, text } from 'payload/shared'

type Outcome = true | string
type AnyValidator = (value: any, args: any) => Outcome | Promise<Outcome>
type ExtraCheck = (value: any, args: any) => Outcome

/**
 * A field's own `validate` replaces Payload's built-in one (required, min/max, maxLength…). These keep the
 * built-in checks and add ours after them.
 */
const alsoCheck =
  (base: AnyValidator) =>
  (extra: ExtraCheck): AnyValidator =>
  async (value, args) => {
    const outcome = await base(value, args)
    return outcome === true ? extra(value, args) : outcome
  }

export const textAnd = alsoCheck(text as AnyValidator)
export const numberAnd = alsoCheck(number as AnyValidator)
export const dateAnd = alsoCheck(date as AnyValidator)

/** Skips our extra check when the field is empty: emptiness is the built-in `required` check's business. */
export const unlessEmpty =
  (check: ExtraCheck): ExtraCheck =>
  (value, args) =>
    value === undefined || value === null || value === '' ? true : check(value, args)
