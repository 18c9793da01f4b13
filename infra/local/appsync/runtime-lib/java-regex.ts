/**
 * `util.matches` with `java.util.regex.Pattern` semantics, which AWS names as its basis: the
 * pattern is translated construct by construct into an ECMAScript pattern with the same meaning
 * (flag `u`, so that both work on code points), and anything not translated here is refused
 * rather than guessed. The whole value must match, as `Pattern.matches` requires.
 *
 * Where Java and ECMAScript differ, Java wins: `\d`, `\w` and `\s` are ASCII-only (`\s` is
 * `[ \t\n\x0B\f\r]`, so a no-break space is not whitespace); `.` excludes Java's line terminators
 * (`\n`, `\r`, `\u0085`, `\u2028`, `\u2029`); `$` also matches before one final line terminator;
 * `]` right after `[` or `[^` is a literal. Refused: `\b`/`\B` (their meaning changed between Java
 * versions), Unicode properties, back-references, lookbehind, named, atomic and flag groups,
 * possessive quantifiers, nested classes and `&&`, octal and control escapes, `\Q...\E`.
 * Runs inside the sandbox: plain ECMAScript only.
 */

/** Thrown for a pattern (or part of one) the translation does not cover. */
export class UntranslatedPatternError extends Error {
  override name = 'UntranslatedPatternError'
}

const lineTerminators = '\\n\\r\\u{85}\\u{2028}\\u{2029}'
// Java's non-MULTILINE `$`: end of input, or before a final \r\n, or before a final line
// terminator other than a \n that ends a \r\n (Pattern's Dollar node).
const dollar = '(?:$|(?=\\r\\n$)|(?=(?<!\\r)\\n$)|(?=[\\r\\u{85}\\u{2028}\\u{2029}]$))'

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

function literal(codePoint: number): string {
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
function readEscape(pattern: string, at: number): Escape {
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
function readClass(pattern: string, at: number): { source: string; end: number } {
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

/** The quantifier at `pattern[at]`, if any: its translation and length. */
function readQuantifier(
  pattern: string,
  at: number,
): { source: string; length: number } | undefined {
  const ch = pattern.charAt(at)
  let length = 0
  if (ch === '*' || ch === '+' || ch === '?') length = 1
  else if (ch === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at))
    if (!match) throw new UntranslatedPatternError("a '{' that does not start a quantifier")
    const [, min, , max] = match
    if (max !== undefined && max !== '' && Number(max) < Number(min))
      throw new UntranslatedPatternError('a quantifier whose maximum is below its minimum')
    length = match[0].length
  } else return undefined
  const mode = pattern.charAt(at + length)
  if (mode === '+') throw new UntranslatedPatternError('possessive quantifiers')
  const lazy = mode === '?' ? '?' : ''
  return { source: pattern.slice(at, at + length) + lazy, length: length + lazy.length }
}

const groupOpeners: [string, string | undefined][] = [
  ['(?:', '(?:'],
  ['(?=', '(?='],
  ['(?!', '(?!'],
  ['(?<=', undefined],
  ['(?<!', undefined],
  ['(?>', undefined],
]

/** The ECMAScript source (flag `u`) that means what `pattern` means to Java. */
export function translateJavaPattern(pattern: string): string {
  let out = ''
  // Open groups; true for a lookahead, which ECMAScript (flag u) does not let a quantifier follow.
  const groups: boolean[] = []
  // Whether the last thing emitted can take a quantifier (Java: "Dangling meta character").
  let quantifiable = false
  let i = 0
  while (i < pattern.length) {
    const ch = pattern.charAt(i)
    const quantifier = readQuantifier(pattern, i)
    if (quantifier) {
      if (!quantifiable) throw new UntranslatedPatternError('a quantifier with nothing to repeat')
      out += quantifier.source
      i += quantifier.length
      quantifiable = false
      continue
    }
    if (ch === '(') {
      let opener: [string, string | undefined] | undefined
      if (pattern.charAt(i + 1) === '?') {
        opener = groupOpeners.find(([java]) => pattern.startsWith(java, i))
        if (!opener) throw new UntranslatedPatternError('named groups and inline flags')
        if (opener[1] === undefined)
          throw new UntranslatedPatternError(opener[0] === '(?>' ? 'atomic groups' : 'lookbehind')
      }
      out += opener ? opener[1] : '('
      i += opener ? opener[0].length : 1
      groups.push(opener !== undefined && opener[0] !== '(?:')
      quantifiable = false
      continue
    }
    if (ch === ')') {
      if (groups.length === 0) throw new UntranslatedPatternError("an unmatched ')'")
      const lookahead = groups.pop()
      out += ')'
      i += 1
      quantifiable = !lookahead
      continue
    }
    if (ch === '|') {
      out += '|'
      i += 1
      quantifiable = false
      continue
    }
    if (ch === '^' || ch === '$') {
      out += ch === '^' ? '^' : dollar
      i += 1
      quantifiable = false
      continue
    }
    if (ch === '.') {
      out += `[^${lineTerminators}]`
      i += 1
      quantifiable = true
      continue
    }
    if (ch === '[') {
      const cls = readClass(pattern, i)
      out += cls.source
      i = cls.end
      quantifiable = true
      continue
    }
    if (ch === '\\') {
      const escape = readEscape(pattern, i + 1)
      out +=
        escape.classBody !== undefined ? `[${escape.classBody}]` : literal(escape.codePoint ?? 0)
      i += 1 + escape.length
      quantifiable = true
      continue
    }
    const codePoint = pattern.codePointAt(i) ?? 0
    out += literal(codePoint)
    i += codePoint > 0xffff ? 2 : 1
    quantifiable = true
  }
  if (groups.length > 0) throw new UntranslatedPatternError("an unclosed '('")
  return out
}

const compiled = new Map<string, RegExp>()

/** Java's `Pattern.matches(pattern, value)`: true when the whole value matches. */
export function javaMatches(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern)
  if (!regex) {
    regex = new RegExp(`^(?:${translateJavaPattern(pattern)})$`, 'u')
    compiled.set(pattern, regex)
  }
  return regex.test(value)
}
