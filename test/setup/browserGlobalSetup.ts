import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { BROWSER_SERVER_ENV, freePort, startAppServer } from '../helpers/appServer'
import globalSetup from './globalSetup'
import { onRunEnd } from './runServices'

/**
 * The browser project's run services: the shared database and SES (globalSetup), plus ONE production server that
 * every browser test file uses (test/helpers/appServer.ts `sharedAppServer`), instead of a server per file: a start
 * and the first renders of each page cost a file 10-30 s of CPU on two cores, and the files already share the
 * database. Its own database on the run's database server, so its mail dispatcher and reminder jobs never touch the
 * integration files' outbox when projects run in one Jest process (test/setup/browserEnvironment.ts points the
 * browser files' own Payload at it).
 */
export default async function browserGlobalSetup(): Promise<void> {
  await globalSetup()
  const databaseUri = withDatabaseName(process.env.DATABASE_URI!, (name) => `${name}_browser`)
  const port = await freePort()
  const outputDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'tutortrack-browser-server-'))
  const outputFile = path.join(outputDirectory, 'server.log')
  const server = await startAppServer(
    { ...BROWSER_SERVER_ENV, PORT: String(port), SERVER_URL: `http://127.0.0.1:${port}`, DATABASE_URI: databaseUri },
    // Its first start after a build reads the whole bundle from disk; on a busy CI machine that took minutes.
    { timeoutMs: 240_000, outputFile },
  )
  onRunEnd(async () => {
    await server.stop()
    fs.rmSync(outputDirectory, { recursive: true, force: true })
  })
  process.env.TUTORTRACK_TEST_BROWSER_DATABASE_URI = databaseUri
  process.env.TUTORTRACK_TEST_APP_URL = server.url
  process.env.TUTORTRACK_TEST_APP_OUTPUT = outputFile
}

/** The same server and options, another database name. */
function withDatabaseName(uri: string, rename: (name: string) => string): string {
  const url = new URL(uri)
  url.pathname = `/${rename(url.pathname.replace(/^\//, ''))}`
  return url.toString()
}
