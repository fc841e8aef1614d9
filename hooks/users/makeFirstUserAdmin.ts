import type { CollectionBeforeChangeHook } from 'payload'

/** The very first account (created from the admin panel's welcome screen) must be able to run the place. */
export const makeFirstUserAdmin: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const existing = await req.payload.count({ collection: 'users', overrideAccess: true, req })
  if (existing.totalDocs === 0) return { ...data, role: 'admin' }
  return data
}
