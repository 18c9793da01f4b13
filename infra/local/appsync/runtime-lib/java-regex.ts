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
import { literal, readClass, readEscape, UntranslatedPatternError } from './java-regex-parts.js'

export { UntranslatedPatternError } from './java-regex-parts.js'

const lineTerminators = '\\n\\r\\u{85}\\u{2028}\\u{2029}'
// Java's non-MULTILINE `$`: end of input, or before a final \r\n, or before a final line
// terminator other than a \n that ends a \r\n (Pattern's Dollar node).
const dollar = '(?:$|(?=\\r\\n$)|(?=(?<!\\r)\\n$)|(?=[\\r\\u{85}\\u{2028}\\u{2029}]$))'

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
function translateJavaPattern(pattern: string): string {
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
