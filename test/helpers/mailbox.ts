/** Reads what the app sent through the local SES server (aws-ses-v2-local's GET /store). */
export type StoredEmail = {
  messageId: string
  from: string
  replyTo?: string[]
  destination: { to: string[]; cc: string[]; bcc: string[] }
  subject: string
  body: { text?: string; html?: string }
  attachments?: { content: string; contentType: string; filename: string; size: number }[]
  at: number
}

/**
 * What each SES server (by endpoint) has handed back so far, by message id, and the second of its newest mail. A read
 * asks only for mail since that second (aws-ses-v2-local's `GET /store?since=<epoch seconds>`, inclusive): the store
 * keeps every mail of the run, and reading it whole every 100 ms while a test waits cost ~50 CPU-seconds of a run in
 * the SES server alone, plus the parsing here.
 */
const readSoFar = new Map<string, { byId: Map<string, StoredEmail>; since: number }>()

/** Every mail the SES server at `endpoint` has stored, in the order it arrived. */
export async function sentEmails(endpoint = process.env.SES_ENDPOINT!): Promise<StoredEmail[]> {
  const known = readSoFar.get(endpoint) ?? { byId: new Map<string, StoredEmail>(), since: 0 }
  readSoFar.set(endpoint, known)
  const response = await fetch(`${endpoint}/store?since=${known.since}`)
  if (!response.ok) throw new Error(`GET ${endpoint}/store answered ${response.status}: ${await response.text()}`)
  const { emails } = (await response.json()) as { emails: StoredEmail[] }
  for (const email of emails) {
    known.byId.set(email.messageId, email)
    known.since = Math.max(known.since, email.at)
  }
  return [...known.byId.values()]
}

/** Waits until an email to `to` matching `predicate` arrives (mail is sent in the background). */
export async function waitForEmail(
  to: string,
  predicate: (email: StoredEmail) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<StoredEmail> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const match = (await sentEmails()).find(
      (email) => email.destination.to.some((address) => address.toLowerCase().includes(to.toLowerCase())) && predicate(email),
    )
    if (match) return match
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`No email to ${to} arrived within ${timeoutMs} ms`)
}

export async function emailsTo(to: string): Promise<StoredEmail[]> {
  return (await sentEmails()).filter((email) => email.destination.to.some((address) => address.toLowerCase().includes(to.toLowerCase())))
}
