import { plainTextSelectors, render } from '@react-email/render'
import { compile } from 'html-to-text'

import { TEMPLATES, type TemplateName, type TemplateProps } from '../../email-templates'

export type RenderedEmail = { subject: string; html: string; text: string }

/** Both parts of a message: HTML from the React Email template, plain text derived from that same HTML. */
export async function renderEmail<K extends TemplateName>(template: K, props: TemplateProps[K]): Promise<RenderedEmail> {
  const definition = TEMPLATES[template]
  const html = await render(definition.element(props))
  return { subject: definition.subject(props), html, text: htmlToText(html) }
}

/**
 * React Email's toPlainText(html) with its options compiled once: toPlainText builds html-to-text's converter
 * (selector decision tree and all) on every call, which cost more than rendering the template itself.
 */
const plainTextOf = compile({ wordwrap: false, selectors: plainTextSelectors })

/** Plain text for an HTML body (links kept as "label [url]"), for messages that arrive with HTML only. */
export function htmlToText(html: string): string {
  return plainTextOf(html).trim()
}

/**
 * Payload's auth emails (verify, reset) hand the adapter only `html`. The generators in collections/Students/index.ts
 * render through here and remember which template and plain text belong to that exact HTML, so the outbox
 * adapter can record and send both parts. Bounded: entries are taken once and old ones dropped.
 */
const recentlyRendered = new Map<string, { template: TemplateName; text: string }>()
const MAX_REMEMBERED = 200

export async function renderForPayloadAuth<K extends 'verify-email' | 'reset-password'>(template: K, props: TemplateProps[K]): Promise<RenderedEmail> {
  const rendered = await renderEmail(template, props)
  recentlyRendered.set(rendered.html, { template, text: rendered.text })
  while (recentlyRendered.size > MAX_REMEMBERED) recentlyRendered.delete(recentlyRendered.keys().next().value as string)
  return rendered
}

export function takeRenderedByHtml(html: string): { template: TemplateName; text: string } | undefined {
  const found = recentlyRendered.get(html)
  if (found) recentlyRendered.delete(html)
  return found
}
