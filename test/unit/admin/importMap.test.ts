import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from '@jest/globals'
import { generateImportMap, type SanitizedConfig } from 'payload'

/**
 * The admin panel renders only the components listed in the committed import map: an empty or stale map gives
 * a blank dashboard ("PayloadComponent not found in importMap"). This runs the generator that
 * `npm run generate:importmap` runs (payload's own generateImportMap, on the app's config) and fails when it
 * would change the committed file. It writes to a sibling file so relative paths to local components come out
 * the same as in the real one, and removes it afterwards; the committed file is never written.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const committedFile = path.join(repoRoot, 'src', 'app', '(payload)', 'admin', 'importMap.js')

async function loadAppConfig(): Promise<SanitizedConfig> {
  // As in the generate:importmap script: the config needs a database URI but never connects to it.
  process.env.DATABASE_URI ||= 'mongodb://127.0.0.1:1/importmap-check'
  const { default: config } = await import('../../../src/payload.config')
  return config
}

describe('admin import map', () => {
  it('is what `payload generate:importmap` generates from the current config', async () => {
    const config = await loadAppConfig()
    const scratchFile = path.join(path.dirname(committedFile), `.importMap.check-${process.pid}.js`)
    let generated: string
    try {
      await generateImportMap({ ...config, admin: { ...config.admin, importMap: { ...config.admin.importMap, importMapFile: scratchFile } } }, { force: true, log: false })
      generated = await fs.readFile(scratchFile, 'utf8')
    } finally {
      await fs.rm(scratchFile, { force: true })
    }
    // The generator leaves the file alone when only surrounding whitespace differs; so does this check.
    const committed = await fs.readFile(committedFile, 'utf8')
    expect(generated).toContain('@payloadcms/next/rsc#CollectionCards')
    if (committed.trim() !== generated.trim()) {
      throw new Error(`src/app/(payload)/admin/importMap.js is out of date: run \`npm run generate:importmap\` and commit the result.\nExpected:\n${generated}\nCommitted:\n${committed}`)
    }
  })
})
