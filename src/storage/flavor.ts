import type { Db, Document } from 'mongodb'

/**
 * Which server answers the MongoDB protocol: FerretDB (local development and tests) or real MongoDB
 * (production). Each FerretDB-only workaround in src/storage asks this; docs/storage.md lists them.
 * Until detection has run, the answer is 'ferretdb': every workaround is correct on MongoDB too, only slower.
 */
export type StorageFlavor = 'ferretdb' | 'mongodb'

const FLAVORS: readonly StorageFlavor[] = ['ferretdb', 'mongodb']

/** Detected flavors by database name (a collection names its database, not its Db object). */
const detected = new Map<string, StorageFlavor>()
const detecting = new WeakMap<Db, Promise<StorageFlavor>>()

/** STORAGE_FLAVOR=ferretdb|mongodb skips detection (and wins over it). */
export function forcedStorageFlavor(): StorageFlavor | undefined {
  const forced = process.env.STORAGE_FLAVOR?.trim().toLowerCase()
  return FLAVORS.find((flavor) => flavor === forced)
}

/** FerretDB's buildInfo reply carries `ferretdbVersion` (and `ferretdbFeatures`); MongoDB's does not. */
export const flavorOfBuildInfo = (reply: Document): StorageFlavor => ('ferretdbVersion' in reply ? 'ferretdb' : 'mongodb')

/**
 * Asks the server once per Db (await it at start, before the first write). A failed ask is not kept: the
 * answer stays 'ferretdb' and the next call asks again.
 */
export function detectStorageFlavor(db: Db): Promise<StorageFlavor> {
  const forced = forcedStorageFlavor()
  if (forced) return Promise.resolve(forced)
  let pending = detecting.get(db)
  if (!pending) {
    pending = db
      .admin()
      .command({ buildInfo: 1 })
      .then((reply) => {
        const flavor = flavorOfBuildInfo(reply)
        detected.set(db.databaseName, flavor)
        return flavor
      })
    pending.catch(() => detecting.delete(db))
    detecting.set(db, pending)
  }
  return pending.catch(() => 'ferretdb' as const)
}

/** The flavor of the database behind `target`, as far as it is known (no round trip). */
export function storageFlavorOf(target: { databaseName: string } | { dbName: string }): StorageFlavor {
  const forced = forcedStorageFlavor()
  if (forced) return forced
  const name = 'databaseName' in target ? target.databaseName : target.dbName
  return detected.get(name) ?? 'ferretdb'
}

/** For callers without a handle (one database per process): 'mongodb' only once every database seen is MongoDB. */
export function processStorageFlavor(): StorageFlavor {
  const forced = forcedStorageFlavor()
  if (forced) return forced
  if (detected.size === 0) return 'ferretdb'
  return [...detected.values()].every((flavor) => flavor === 'mongodb') ? 'mongodb' : 'ferretdb'
}
