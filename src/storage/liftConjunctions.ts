import mongoose, { type MongooseDefaultQueryMiddleware, type Query, type Schema } from 'mongoose'

import { storageFlavorOf } from './flavor'

type Filter = Record<string, unknown>

const isPlainObject = (value: unknown): value is Filter =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/**
 * The same filter with the terms of its top-level `$and` lifted to the top level where their keys are free:
 * `{ $and: [{ _id: x }, { status: 'booked' }] }` → `{ _id: x, status: 'booked' }`. A conjunction is a conjunction
 * either way, so MongoDB answers both alike. A term whose key is already taken (two conditions on one field) stays in
 * `$and`; nested `$and`s are lifted too. Anything else (no `$and`, an empty or malformed one) is returned unchanged.
 */
export function liftConjunctions(filter: Filter): Filter {
  const terms = filter.$and
  if (!Array.isArray(terms) || terms.length === 0 || !terms.every(isPlainObject)) return filter
  const lifted: Filter = {}
  for (const [key, value] of Object.entries(filter)) if (key !== '$and') lifted[key] = value
  const kept: Filter[] = []
  const pending: Filter[] = [...terms]
  while (pending.length > 0) {
    const term = pending.shift()!
    for (const [key, value] of Object.entries(term)) {
      if (key === '$and') {
        if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) pending.push(...value)
        else kept.push({ $and: value })
      } else if (key in lifted) kept.push({ [key]: value })
      else lifted[key] = value
    }
  }
  if (kept.length > 0) lifted.$and = kept
  return lifted
}

const QUERY_OPERATIONS: MongooseDefaultQueryMiddleware[] = [
  'countDocuments',
  'deleteMany',
  'deleteOne',
  'distinct',
  'find',
  'findOne',
  'findOneAndDelete',
  'findOneAndReplace',
  'findOneAndUpdate',
  'replaceOne',
  'updateMany',
  'updateOne',
]

/**
 * Mongoose plugin (registered for every schema in payload.config.ts) that lifts `$and` terms before a query is sent
 * to FerretDB. FerretDB 1.24 on PostgreSQL passes only a filter's top-level equalities to PostgreSQL, where an index
 * can serve them; whatever sits under `$and` it checks itself after reading every row. Payload puts a read by id
 * under `$and` with the access rule's conditions, so such reads scanned their whole collection (docs/storage.md).
 * On MongoDB the plugin does nothing: its planner sees through `$and`.
 */
export function liftConjunctionsOnFerretDB(schema: Schema): void {
  schema.pre<Query<unknown, unknown>>(QUERY_OPERATIONS, { document: false, query: true }, function liftConjunctionsBeforeSending() {
    if (storageFlavorOf({ dbName: this.model.db.name }) !== 'ferretdb') return
    const filter = this.getFilter() as Filter
    const lifted = liftConjunctions(filter)
    if (lifted !== filter) this.setQuery(lifted)
  })
}

let registered = false

/** The database adapter, with `liftConjunctionsOnFerretDB` on every model it compiles (mongoose global plugins apply
 *  to schemas compiled after they are registered; Payload compiles its models in `init`, after the config loads). */
export function withConjunctionsLifted<Adapter>(adapter: Adapter): Adapter {
  if (!registered) {
    mongoose.plugin(liftConjunctionsOnFerretDB)
    registered = true
  }
  return adapter
}
