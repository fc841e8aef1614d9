'use client'
/**
 * Puts a booking rule's sentence on the field it is about, as well as in the toast. Payload 3.90's form shows a
 * response's top-level `message` as the toast and then stops, and takes field errors only from a shape whose
 * toast splits the sentence at ':' and ',' (src/http/afterError.ts). So the response keeps the whole sentence for
 * the toast, and this component, mounted in the document form, reads the same response (a clone; nothing is
 * changed) and pins the sentence to the named field until that field is edited or the document saved again.
 */
import { useConfig, useDocumentInfo, useForm, useFormFields } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import { isSaveOf, refusalOnField, type FieldRefusal } from './refusalOnField'

type Pinned = FieldRefusal & { value: string }

const valueKey = (value: unknown) => JSON.stringify(value ?? null)

export function RuleRefusalOnField() {
  const { dispatchFields, getField } = useForm()
  const { collectionSlug, id } = useDocumentInfo()
  const { config } = useConfig()
  const apiRoute = config.routes.api
  const [pinned, setPinned] = useState<Pinned | null>(null)

  useEffect(() => {
    if (!collectionSlug) return
    const original = window.fetch
    const observing: typeof window.fetch = async (input, init) => {
      const request = { url: input instanceof Request ? input.url : String(input), method: init?.method ?? (input instanceof Request ? input.method : 'GET') }
      const isSave = isSaveOf(request, apiRoute, collectionSlug, id)
      if (isSave) setPinned(null)
      const response = await original(input, init)
      if (isSave && response.status >= 400 && response.status < 500) {
        response
          .clone()
          .json()
          .then((body: unknown) => {
            const refusal = refusalOnField(body)
            if (refusal) setPinned({ ...refusal, value: valueKey(getField(refusal.path)?.value) })
          })
          .catch(() => undefined)
      }
      return response
    }
    window.fetch = observing
    return () => {
      // Another component may have wrapped fetch after us: only undo our own wrapper.
      if (window.fetch === observing) window.fetch = original
    }
  }, [apiRoute, collectionSlug, getField, id])

  // The form merges server-validated state after edits and saves, which would wipe an error Payload did not
  // raise itself: put it back while the field still holds the refused value; drop it once the field changes.
  const field = useFormFields(([fields]) => (pinned ? fields[pinned.path] : undefined))
  useEffect(() => {
    if (!pinned) return
    if (valueKey(field?.value) !== pinned.value) {
      setPinned(null)
      return
    }
    if (field?.valid !== false || field.errorMessage !== pinned.message) {
      dispatchFields({ type: 'ADD_SERVER_ERRORS', errors: [{ path: pinned.path, message: pinned.message }] })
    }
  }, [dispatchFields, field, pinned])

  return null
}
