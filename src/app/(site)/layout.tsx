import type React from 'react'

export const metadata = {
  title: 'TutorTrack — book a tutor',
  description: 'Find a tutor, see their free time in your own time zone, and book a session.',
}

export default function SiteLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '0 auto', maxWidth: 880, padding: '1.5rem' }}>
        <header>
          <a href="/" style={{ fontWeight: 700, fontSize: '1.4rem', textDecoration: 'none', color: '#1f3a93' }}>
            TutorTrack
          </a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  )
}
