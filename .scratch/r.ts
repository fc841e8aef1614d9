import { renderEmail } from '../src/email/render'
const t = Date.parse('2026-03-03T10:00:00Z')
const r = await renderEmail('appointment-confirmed', { start: t, end: t + 3600000, timeZone: 'America/Los_Angeles', tutorName: 'Ada Lovelace', studentName: "Sam O'Neil", meetingLocation: 'https://meet.example.com/room', notes: 'Algebra', manageUrl: 'http://localhost:3000/bookings/abc' })
console.log(r.subject); console.log(r.text); console.log(r.html.length); console.log(r.html.slice(0, 3000))
