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

export async function sentEmails(): Promise<StoredEmail[]> {
  const response = await fetch(`${process.env.SES_ENDPOINT}/store`)
  const store = (await response.json()) as { emails: StoredEmail[] }
  return store.emails
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
