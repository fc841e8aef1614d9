import config from '@payload-config'
import { getPayload } from 'payload'

export const dynamic = 'force-dynamic'

export default async function HomePage() {
  const payload = await getPayload({ config })
  const tutors = await payload.find({
    collection: 'tutors',
    where: { active: { equals: true } },
    sort: 'name',
    limit: 50,
    depth: 0,
    overrideAccess: false,
  })
  return (
    <>
      <h1>Find a tutor</h1>
      <ul data-testid="tutor-list">
        {tutors.docs.map((tutor) => (
          <li key={tutor.id}>
            <strong>{tutor.name}</strong> — {(tutor.subjects ?? []).join(', ')} ({tutor.timeZone})
          </li>
        ))}
      </ul>
    </>
  )
}
