import { MongoClient } from 'mongodb'

import { MAIL_INTENTS_COLLECTION } from '../src/email/mailIntents'

/** Waits until the bookings' background mail is done (no mail intent left, nothing `sending`); returns the seconds waited. */
export async function waitForBookingMail(databaseUri: string, pollMs = 250): Promise<number> {
  const started = performance.now()
  const client = new MongoClient(databaseUri)
  try {
    const db = client.db()
    for (;;) {
      const [intents, sending] = await Promise.all([
        db.collection(MAIL_INTENTS_COLLECTION).countDocuments({}),
        db.collection('emails').countDocuments({ status: 'sending' }),
      ])
      if (intents === 0 && sending === 0) break
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
  } finally {
    await client.close()
  }
  return (performance.now() - started) / 1000
}
