import type { CollectionBeforeValidateHook } from 'payload'
import { ValidationError } from 'payload'

/**
 * Payload's built-in text and email validators accept non-strings (an object such as {"$gt": ""} has no length,
 * an array of one address passes the email pattern) and the write then fails deep in the database layer with a
 * 500. For the auth collections, whose create/update endpoints are public, such values are refused up front with a
 * 400 naming the field.
 */
export function requireTextFields(fields: readonly string[]): CollectionBeforeValidateHook {
  return ({ collection, data, req }) => {
    if (!data) return data
    const errors = fields
      .filter((field) => field in data && data[field] !== undefined && data[field] !== null && typeof data[field] !== 'string')
      .map((field) => ({ path: field, message: `${field} must be text.` }))
    if (errors.length > 0) throw new ValidationError({ collection: collection.slug, errors }, req.t)
    return data
  }
}
