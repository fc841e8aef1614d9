import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Payload } from 'payload'

/**
 * The demo accounts' sign-in details, kept where the seed put them so every `npm run dev` can show them again:
 * `.data/demo-accounts.json` (git-ignored, readable by the owner only; DEMO_ACCOUNTS_FILE moves it). Each entry
 * names the document it was written for, so details from another database are never shown as this one's.
 */
export type DemoAccount = { role: string; collection: 'users' | 'students'; id: string; email: string; password: string }

type SavedAccounts = { note: string; accounts: DemoAccount[] }

export const DEMO_STAFF = [
  { role: 'admin' as const, name: 'Admin', email: () => process.env.SEED_ADMIN_EMAIL || 'admin@tutortrack.local', password: () => process.env.SEED_ADMIN_PASSWORD },
  { role: 'editor' as const, name: 'Editor', email: () => process.env.SEED_EDITOR_EMAIL || 'editor@tutortrack.local', password: () => process.env.SEED_EDITOR_PASSWORD },
  // Signs in as the first demo tutor (Ada Lovelace); created once that profile exists (src/seed/demoData.ts).
  { role: 'tutor' as const, name: 'Ada Lovelace', email: () => process.env.SEED_TUTOR_EMAIL || 'ada@tutortrack.local', password: () => process.env.SEED_TUTOR_PASSWORD },
]

export const DEMO_STUDENTS = [
  { fullName: 'Sam Rivera', email: 'sam@student.tutortrack.local', timeZone: 'America/Los_Angeles' },
  { fullName: 'Priya Nair', email: 'priya@student.tutortrack.local', timeZone: 'Asia/Kolkata' },
  { fullName: 'Oskar Lindqvist', email: 'oskar@student.tutortrack.local', timeZone: 'Europe/Stockholm' },
]

/** A chosen password (SEED_*_PASSWORD) or a new random one. */
export const demoPassword = (fromEnv: string | undefined): string => fromEnv || randomBytes(12).toString('base64url')

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export function demoAccountsFile(): string {
  return path.resolve(process.env.DEMO_ACCOUNTS_FILE || path.join(repoRoot, '.data', 'demo-accounts.json'))
}

export function saveDemoAccounts(accounts: DemoAccount[], file = demoAccountsFile()): void {
  const saved: SavedAccounts = { note: 'Sign-in details of the demo accounts, written by `npm run seed`. Local development only.', accounts }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 })
}

function readDemoAccounts(file: string): DemoAccount[] {
  if (!fs.existsSync(file)) return []
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SavedAccounts>
    return Array.isArray(saved.accounts) ? saved.accounts : []
  } catch {
    return []
  }
}

export type KnownDemoAccounts = {
  /** Saved details whose account is still the one they were written for. */
  known: DemoAccount[]
  /** Demo accounts in this database whose password we don't have. */
  unknown: { role: string; email: string }[]
}

/** What can be shown about the demo accounts of this database. */
export async function knownDemoAccounts(payload: Payload, file = demoAccountsFile()): Promise<KnownDemoAccounts> {
  const saved = readDemoAccounts(file)
  const result: KnownDemoAccounts = { known: [], unknown: [] }
  for (const account of await demoAccountsInDatabase(payload)) {
    const details = saved.find((entry) => entry.collection === account.collection && entry.id === account.id)
    if (details) result.known.push({ ...details, role: account.role })
    else result.unknown.push({ role: account.role, email: account.email })
  }
  return result
}

/** Sets new passwords (or SEED_*_PASSWORD) on every demo account there is, saves and returns them. */
export async function resetDemoPasswords(payload: Payload, file = demoAccountsFile()): Promise<DemoAccount[]> {
  const studentPassword = demoPassword(process.env.SEED_STUDENT_PASSWORD)
  const accounts: DemoAccount[] = []
  for (const account of await demoAccountsInDatabase(payload)) {
    const staff = DEMO_STAFF.find((member) => member.role === account.role)
    const password = account.collection === 'students' ? studentPassword : demoPassword(staff?.password())
    await payload.update({ collection: account.collection, id: account.id, data: { password }, overrideAccess: true })
    accounts.push({ ...account, password })
  }
  saveDemoAccounts(accounts, file)
  return accounts
}

async function demoAccountsInDatabase(payload: Payload): Promise<Omit<DemoAccount, 'password'>[]> {
  const found: Omit<DemoAccount, 'password'>[] = []
  for (const member of DEMO_STAFF) {
    const email = member.email()
    const { docs } = await payload.find({ collection: 'users', where: { email: { equals: email } }, limit: 1, depth: 0, overrideAccess: true })
    if (docs[0]) found.push({ role: member.role, collection: 'users', id: String(docs[0].id), email })
  }
  for (const student of DEMO_STUDENTS) {
    const { docs } = await payload.find({ collection: 'students', where: { email: { equals: student.email } }, limit: 1, depth: 0, overrideAccess: true })
    if (docs[0]) found.push({ role: 'student', collection: 'students', id: String(docs[0].id), email: student.email })
  }
  return found
}
