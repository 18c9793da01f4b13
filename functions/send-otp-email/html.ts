/** Markup that is safe to embed as is. Only {@link html} and {@link fillHtml} make it. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup
  }
}

const htmlEntities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => htmlEntities[ch] ?? ch)
}

function embed(value: unknown): string {
  if (value instanceof Html) return value.markup
  if (Array.isArray(value)) return value.map(embed).join('')
  if (value === undefined || value === null || value === false) return ''
  return escapeHtml(String(value))
}

/**
 * A tagged template for markup: every interpolated value is escaped unless it is already
 * {@link Html}; arrays are joined; `undefined`, `null` and `false` leave nothing. So a value can
 * only become markup by passing through here, and forgetting to escape is not possible.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, text, i) => out + embed(values[i - 1]) + text))
}

const placeholder = /\{(\w+)\}/g

function fill<T>(
  template: string,
  values: Readonly<Record<string, T>>,
  text: (literal: string) => string,
  value: (v: T) => string,
): string {
  let out = ''
  let last = 0
  for (const match of template.matchAll(placeholder)) {
    const name = match[1] as string
    if (!Object.hasOwn(values, name)) throw new Error(`message placeholder {${name}} has no value`)
    out += text(template.slice(last, match.index)) + value(values[name] as T)
    last = match.index + match[0].length
  }
  return out + text(template.slice(last))
}

/** A message with `{name}` placeholders as plain text. Throws on a placeholder without a value. */
export const fillText = (template: string, values: Readonly<Record<string, string>>): string =>
  fill(
    template,
    values,
    (literal) => literal,
    (v) => v,
  )

/** A message as markup: its words escaped, each `{name}` replaced by its value (escaped unless {@link Html}). */
export const fillHtml = (template: string, values: Readonly<Record<string, string | Html>>): Html =>
  new Html(fill(template, values, escapeHtml, embed))
