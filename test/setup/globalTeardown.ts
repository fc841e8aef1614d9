export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __tutortrackServices?: { stop: () => Promise<void> } }
  await state.__tutortrackServices?.stop()
}
