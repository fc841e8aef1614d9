import { buildCalendarInvite } from '../src/email/calendarInvite'
const t = Date.parse('2026-03-03T10:00:00Z')
console.log(buildCalendarInvite({ method: 'CANCEL', uid: 'abc@tutortrack', sequence: 2, start: t, end: t + 3600000, title: 'Session', description: 'd', location: 'https://x', url: 'http://l/b', organizer: { name: 'TutorTrack', email: 'no-reply@tutortrack.local' }, attendee: { name: "Sam O'Neil", email: 's@example.com' }, stamp: Date.now() }))
