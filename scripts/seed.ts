import config from '@payload-config'
import { getPayload } from 'payload'

import { flushEmailKicks } from '../src/email/services'
import { seedDemoData } from '../src/seed/demoData'

/** `npm run seed` (add `--if-empty` to skip a database that already has tutors). */
const onlyIfEmpty = process.argv.includes('--if-empty')
const payload = await getPayload({ config })
try {
  const result = await seedDemoData(payload, { onlyIfEmpty })
  if (!result.seeded) {
    console.log('Database already has tutors: demo data not added.')
  } else {
    console.log('Demo data added. Sign-in details (shown once; set SEED_*_PASSWORD to choose them):')
    for (const credential of result.credentials) console.log(`  ${credential.role.padEnd(8)} ${credential.email}  ${credential.password}`)
  }
} finally {
  // The demo bookings' mail is built and sent in the background: let it finish before the connection closes.
  await flushEmailKicks()
  await payload.destroy()
}
process.exit(0)
