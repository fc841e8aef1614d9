/**
 * What the run's global setups started (database, SES, the browser project's app server), stopped by
 * test/setup/globalTeardown.ts in reverse order: the app server before the database it uses.
 * Global setup and teardown run in Jest's main process, so this module-level state lives there.
 */
type Stop = () => Promise<unknown>

const state = globalThis as { __tutortrackRunEnd?: Stop[] }

export function onRunEnd(stop: Stop): void {
  ;(state.__tutortrackRunEnd ??= []).push(stop)
}

export async function stopRunServices(): Promise<void> {
  const stops = state.__tutortrackRunEnd ?? []
  state.__tutortrackRunEnd = []
  for (const stop of stops.reverse()) await stop()
}
