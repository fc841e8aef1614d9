import appConfig from '../payload.config'

/**
 * The app's config for processes that are not a development server: the stand-alone mail dispatcher, the seed and
 * the in-process tests. Outside production Payload's start-up spawns `payload generate:types` (about 10 s of CPU each
 * time, 62 CPU-seconds of a test run on 7 Dec) and rewrites src/payload-types.ts, an input of the production build's
 * stamp, while other processes may be reading it. Types are generated on purpose (`npm run generate:types`) and
 * type-checked; `npm run dev`'s Next server still regenerates them as it always did.
 */
export const configWithoutTypeGeneration = appConfig.then((sanitized) => ({
  ...sanitized,
  typescript: { ...sanitized.typescript, autoGenerate: false },
}))
