import { processStorageFlavor } from './flavor'

/**
 * FerretDB on SQLite answers "database is locked (SQLITE_BUSY)" when writers collide (several dispatchers and
 * the app writing at once); the write was not applied, so it is safe to repeat. Losing the write that records
 * `sent` would make the message go out again after its lease, so the outbox's writes retry such errors briefly.
 * MongoDB never answers this: there the operation simply runs.
 */
export function isBusyError(error: unknown): boolean {
  const message = String((error as { message?: unknown })?.message ?? error)
  return /SQLITE_BUSY|database is locked/i.test(message)
}

export async function retryBusy<T>(operation: () => Promise<T>, attempts = 8): Promise<T> {
  if (processStorageFlavor() === 'mongodb') return operation()
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation()
    } catch (error) {
      if (attempt >= attempts || !isBusyError(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 15 * 2 ** attempt) * (0.5 + Math.random() / 2)))
    }
  }
}
