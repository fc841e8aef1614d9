/**
 * Imported first by src/server.ts. Under tsx (`npm run dev`, or a server started with `--import tsx/esm`) Node's
 * source-map support is on, and Node then reads,
 * parses and keeps the .map of every chunk Next loads: ~75 MB of a replica's ~210 MB live heap (`npm run bench:heap`,
 * docs/cache.md "Memory"). In production it is turned off here, so the chunks Next loads later carry no maps and
 * their stack frames stay minified. `--enable-source-maps` (e.g. in NODE_OPTIONS, to read a trace) keeps it on.
 */
const wanted = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--enable-source-maps')
if (process.env.NODE_ENV === 'production' && !wanted) process.setSourceMapsEnabled(false)

export {}
