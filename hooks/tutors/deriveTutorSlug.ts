import type { CollectionBeforeValidateHook } from 'payload'

import { slugify } from '../../src/catalog/slugify'

/** A tutor without a slug gets one from their name, so editors never have to invent one. */
export const deriveTutorSlug: CollectionBeforeValidateHook = ({ data }) => {
  if (!data) return data
  if ((data.slug === undefined || data.slug === null || data.slug === '') && typeof data.name === 'string') {
    return { ...data, slug: slugify(data.name) }
  }
  return data
}
