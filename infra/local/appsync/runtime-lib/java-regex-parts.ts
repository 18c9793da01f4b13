/**
 * The pieces of a Java pattern the translation in java-regex.ts reads: escapes (`\d`, `\x41`,
 * `\.`) and character classes (`[^a-z\s]`), each turned into its ECMAScript (flag `u`) form with
 * Java's meaning, or refused. Runs inside the sandbox: plain ECMAScript only.
 */

/** Thrown for a pattern (or part of one) the translation does not cover. */
export class UntranslatedPatternError extends Error {
  override name = 'UntranslatedPatternError'
}

const asciiClasses: Record<string, string> = {
  d: '0-9',
  w: 'a-zA-Z0-9_',
  s: ' \\t\\n\\u{b}\\f\\r',
  // The complements as ranges, so that they also work inside a character class.
  D: '\\u{0}-\\u{2f}\\u{3a}-\\u{10ffff}',
  W: '\\u{0}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{5e}\\u{60}\\u{7b}-\\u{10ffff}',
  S: '\\u{0}-\\u{8}\\u{e}-\\u{1f}\\u{21}-\\u{10ffff}',
}

const controlEscapes: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, a: 7, e: 27 }

const refusedEscapes: Record<string, string> = {
  b: 'the word boundary \\b',
  B: 'the non-word boundary \\B',
  p: 'Unicode properties (\\p)',
  P: 'Unicode properties (\\P)',
  Q: 'quoting with \\Q...\\E',
  E: 'quoting with \\Q...\\E',
  c: 'control escapes (\\c)',
  '0': 'octal escapes (\\0)',
  k: 'named back-references (\\k)',
}

export function literal(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`
}

function isHex(text: string): boolean {
  return text.length > 0 && text.split('').every((ch) => '0123456789abcdefABCDEF'.indexOf(ch) >= 0)
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9'
}

interface Escape {
  /** A single code point, or a class body (`\d`), and how many characters the escape took. */
  codePoint?: number
  classBody?: string
  length: number
}

/** The escape starting at `pattern[at]` (the character after the backslash). */
export function readEscape(pattern: string, at: number): Escape {
  const ch = pattern.charAt(at)
  if (ch === '') throw new UntranslatedPatternError('a trailing backslash')
  const classBody = asciiClasses[ch]
  if (classBody !== undefined) return { classBody, length: 1 }
  const control = controlEscapes[ch]
  if (control !== undefined) return { codePoint: control, length: 1 }
  if (ch === 'x') {
    if (pattern.charAt(at + 1) === '{') {
      const end = pattern.indexOf('}', at + 2)
      const hex = end < 0 ? '' : pattern.slice(at + 2, end)
      if (!isHex(hex) || Number.parseInt(hex, 16) > 0x10ffff)
        throw new UntranslatedPatternError('a malformed \\x{...} escape')
      return { codePoint: Number.parseInt(hex, 16), length: end - at + 1 }
    }
    const hex = pattern.slice(at + 1, at + 3)
    if (hex.length !== 2 || !isHex(hex))
      throw new UntranslatedPatternError('a malformed \\x escape')
    return { codePoint: Number.parseInt(hex, 16), length: 3 }
  }
  if (ch === 'u') {
    const hex = pattern.slice(at + 1, at + 5)
    if (hex.length !== 4 || !isHex(hex))
      throw new UntranslatedPatternError('a malformed \\u escape')
    const unit = Number.parseInt(hex, 16)
    if (unit >= 0xd800 && unit <= 0xdfff)
      throw new UntranslatedPatternError('surrogate code units written as \\u escapes')
    return { codePoint: unit, length: 5 }
  }
  const refused = refusedEscapes[ch]
  if (refused !== undefined) throw new UntranslatedPatternError(refused)
  if (isDigit(ch)) throw new UntranslatedPatternError('back-references')
  if (ch.toLowerCase() !== ch.toUpperCase())
    throw new UntranslatedPatternError(`the escape \\${ch}`)
  // Java: a backslash before any other non-alphabetic character quotes it.
  const codePoint = pattern.codePointAt(at) ?? 0
  return { codePoint, length: codePoint > 0xffff ? 2 : 1 }
}

/** A class `[...]` starting at `pattern[at]` (the `[`); returns its translation and its end. */
export function readClass(pattern: string, at: number): { source: string; end: number } {
  let i = at + 1
  let negated = false
  if (pattern.charAt(i) === '^') {
    negated = true
    i += 1
  }
  // Each item is a code point (which may take part in a range) or a class body; only an
  // unescaped '-' can make a range.
  const items: { codePoint?: number; body?: string; escaped?: boolean }[] = []
  let first = true
  for (;;) {
    const ch = pattern.charAt(i)
    if (ch === '') throw new UntranslatedPatternError('an unclosed character class')
    if (ch === ']' && !first) break
    if (ch === '[') throw new UntranslatedPatternError('nested character classes')
    if (ch === '&' && pattern.charAt(i + 1) === '&')
      throw new UntranslatedPatternError('class intersection (&&)')
    if (ch === '\\') {
      const escape = readEscape(pattern, i + 1)
      items.push(
        escape.classBody !== undefined
          ? { body: escape.classBody }
          : { codePoint: escape.codePoint, escaped: true },
      )
      i += 1 + escape.length
    } else {
      const codePoint = pattern.codePointAt(i) ?? 0
      items.push({ codePoint })
      i += codePoint > 0xffff ? 2 : 1
    }
    first = false
  }
  let body = ''
  for (let k = 0; k < items.length; k += 1) {
    const item = items[k] as { codePoint?: number; body?: string; escaped?: boolean }
    const isDash = (entry: typeof item | undefined) => entry?.codePoint === 45 && !entry.escaped
    const high = items[k + 2]
    const isRange = isDash(items[k + 1]) && high !== undefined
    if (item.body !== undefined) {
      if (isRange) throw new UntranslatedPatternError("a '-' after a predefined class")
      body += item.body
    } else if (isRange && high.codePoint !== undefined) {
      if (high.codePoint < (item.codePoint ?? 0))
        throw new UntranslatedPatternError('a reversed range in a character class')
      body += `${literal(item.codePoint ?? 0)}-${literal(high.codePoint)}`
      k += 2
      if (isDash(items[k + 1]) && items[k + 2] !== undefined)
        throw new UntranslatedPatternError("a '-' right after a range")
    } else if (isRange) {
      throw new UntranslatedPatternError('a range ending in a predefined class')
    } else if (isDash(item) && k > 0 && k < items.length - 1) {
      throw new UntranslatedPatternError("a '-' between a range and another item")
    } else body += literal(item.codePoint ?? 0)
  }
  return { source: `[${negated ? '^' : ''}${body}]`, end: i + 1 }
}
