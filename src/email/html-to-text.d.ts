/** The part of html-to-text (no type declarations of its own) that src/email/render.ts uses. */
declare module 'html-to-text' {
  export type SelectorDefinition = { selector: string; format?: string; options?: Record<string, unknown> }
  export type HtmlToTextOptions = { wordwrap?: number | false | null; selectors?: SelectorDefinition[]; [option: string]: unknown }
  export function compile(options?: HtmlToTextOptions): (html: string, metadata?: unknown) => string
  export function convert(html: string, options?: HtmlToTextOptions, metadata?: unknown): string
}
