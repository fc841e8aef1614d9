import path from 'node:path'

import { getPayload, type Payload } from 'payload'

import { flushEmailKicks } from '../src/email/kicks'
import { configWithoutTypeGeneration } from '../src/lib/configWithoutTypeGeneration'
import { demoAccountsFile, knownDemoAccounts, resetDemoPasswords, saveDemoAccounts, type DemoAccount } from '../src/seed/demoAccounts'
import { seedDemoData } from '../src/seed/demoData'

/**
 * `npm run seed` (DATABASE_URI set; `npm run dev` runs it for you): demo data. `--if-empty` skips a database that
 * already has tutors (what `npm run dev` does on every start); `--reset-demo-passwords` gives the demo accounts of a
 * database that has them new passwords (SEED_*_PASSWORD when set) instead of adding any. Every run ends with the
 * demo accounts' sign-in details, kept in .data/demo-accounts.json.
 */
const USAGE = 'Usage: npm run seed [-- --if-empty] [--reset-demo-passwords]   (or: npm run dev -- --reset-demo-passwords)'
const flags = process.argv.slice(2)
const unknownFlag = flags.find((flag) => flag !== '--if-empty' && flag !== '--reset-demo-passwords')
if (unknownFlag) {
  console.error(`Unknown option ${unknownFlag}. ${USAGE}`)
  process.exit(2)
}

const payload = await getPayload({ config: configWithoutTypeGeneration })
try {
  const reset = flags.includes('--reset-demo-passwords')
  // A reset never adds a second set of demo data; on an empty database it is just the first seed.
  const result = await seedDemoData(payload, { onlyIfEmpty: flags.includes('--if-empty') || reset })
  if (result.seeded) {
    await keepCredentials(payload, result.credentials)
    console.log('Demo data added.')
  } else if (reset) {
    const accounts = await resetDemoPasswords(payload)
    console.log(accounts.length ? 'New passwords set for the demo accounts.' : 'There are no demo accounts to reset: `npm run seed` adds them.')
  } else {
    console.log('Database already has tutors: demo data not added.')
  }
  await printDemoAccounts(payload)
} finally {
  // The demo bookings' mail is built and sent in the background: let it finish before the connection closes.
  await flushEmailKicks()
  await payload.destroy()
}
process.exit(0)

/** Saves the new accounts' details beside those already kept for this database. */
async function keepCredentials(payload: Payload, created: DemoAccount[]): Promise<void> {
  if (created.length === 0) return
  const { known } = await knownDemoAccounts(payload)
  const isNew = (account: DemoAccount) => created.some((entry) => entry.collection === account.collection && entry.id === account.id)
  saveDemoAccounts([...known.filter((account) => !isNew(account)), ...created])
}

async function printDemoAccounts(payload: Payload): Promise<void> {
  const { known, unknown } = await knownDemoAccounts(payload)
  if (known.length === 0 && unknown.length === 0) {
    console.log('No demo accounts in this database (`npm run seed` adds them).')
    return
  }
  const file = path.relative(process.cwd(), demoAccountsFile())
  console.log(`Demo accounts (sign-in details kept in ${file}; \`npm run dev -- --reset-demo-passwords\` sets new ones):`)
  const width = Math.max(...[...known, ...unknown].map((account) => account.email.length))
  for (const account of known) console.log(`  ${account.role.padEnd(8)} ${account.email.padEnd(width)}  ${account.password}`)
  for (const account of unknown) {
    console.log(`  ${account.role.padEnd(8)} ${account.email.padEnd(width)}  (password not kept: it was shown when the account was created)`)
  }
}
