import { Body, Container, Head, Heading, Hr, Html, Preview, Section, Text } from '@react-email/components'
import type { ReactNode } from 'react'

import { mailText } from './mailText'

const page = { backgroundColor: '#f4f5f7', fontFamily: 'Helvetica, Arial, sans-serif', margin: 0, padding: '24px 0' }
const card = { backgroundColor: '#ffffff', borderRadius: '8px', margin: '0 auto', maxWidth: '560px', padding: '32px' }
const brand = { color: '#4338ca', fontSize: '14px', fontWeight: 700, letterSpacing: '0.08em', margin: '0 0 16px' }
const heading = { color: '#111827', fontSize: '22px', lineHeight: '28px', margin: '0 0 16px' }
const footer = { color: '#6b7280', fontSize: '12px', lineHeight: '18px', margin: 0 }

/** The frame every TutorTrack email shares: brand line, heading, content, footer. */
export function Layout(props: { preview: string; title: string; footer?: string; locale?: string; children: ReactNode }) {
  const { t, locale } = mailText(props.locale)
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Text style={brand}>TUTORTRACK</Text>
          <Heading as="h1" style={heading}>
            {props.title}
          </Heading>
          <Section>{props.children}</Section>
          <Hr style={{ borderColor: '#e5e7eb', margin: '24px 0' }} />
          <Text style={footer}>{props.footer ?? t('footer')}</Text>
        </Container>
      </Body>
    </Html>
  )
}

export const paragraph = { color: '#111827', fontSize: '15px', lineHeight: '22px', margin: '0 0 12px' }
export const detail = { color: '#111827', fontSize: '15px', lineHeight: '22px', margin: '0 0 6px' }
export const muted = { color: '#6b7280', fontSize: '13px', lineHeight: '20px', margin: '12px 0 0' }
export const button = {
  backgroundColor: '#4338ca',
  borderRadius: '6px',
  color: '#ffffff',
  display: 'inline-block',
  fontSize: '15px',
  fontWeight: 600,
  padding: '12px 20px',
  textDecoration: 'none',
}
