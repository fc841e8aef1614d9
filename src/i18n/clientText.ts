/**
 * Client forms get their strings from the server page as props (already translated), not through
 * NextIntlClientProvider, so the catalog stays out of the browser bundle. A "{name}" left in a string for a
 * value only the browser knows (an HTTP status) is filled here.
 */
export const fillIn = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
