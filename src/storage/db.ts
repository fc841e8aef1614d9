import type { Db } from 'mongodb'
import type { Payload } from 'payload'

/** The database handle under Payload's mongoose adapter (the same connection Payload uses). */
export function mongoDb(payload: Payload): Db {
  const db = (payload.db as unknown as { connection?: { db?: Db } }).connection?.db
  if (!db) throw new Error('TutorTrack needs the MongoDB adapter (@payloadcms/db-mongodb) and a connected database')
  return db
}

/** The MongoDB collection name Payload uses for a collection slug. */
export function collectionNameOf(payload: Payload, slug: string): string {
  const model = (payload.db as unknown as { collections?: Record<string, { collection?: { name?: string } }> }).collections?.[slug]
  return model?.collection?.name ?? slug
}

/** Whether the database answers a ping within `ms` (false when Payload has no connection yet). */
export async function pingDatabase(payload: Payload, ms: number): Promise<boolean> {
  const db = (payload.db as unknown as { connection?: { db?: Db } }).connection?.db
  if (!db) return false
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true as const), timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
