import { describe, expect, it } from 'vitest'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'

let bundle: LoadedBundle | undefined

/** util.matches(pattern, value) in the sandbox: true/false, or the halt when refused. */
async function matches(pattern: unknown, value: unknown) {
  bundle ??= await loadResolverBundle(
    'matcher',
    "import { util } from '@aws-appsync/utils'\n" +
      'export function request(ctx) { return util.matches(ctx.args.pattern, ctx.args.value) }\n' +
      'export function response(ctx) { return ctx.result }',
  )
  const { outcome } = bundle.invoke({
    handler: 'request',
    ctx: { arguments: { pattern, value }, stash: {} },
    authType: 'API Key Authorization',
  })
  return outcome.kind === 'return' ? outcome.value : outcome
}

describe('util.matches: Java’s Pattern.matches', () => {
  it('matches the whole value, not a part of it', async () => {
    expect(await matches('a*b', 'aaaaab')).toBe(true)
    expect(await matches('a*b', 'aaaaabc')).toBe(false)
    expect(await matches('[0-9]{6}', '123456')).toBe(true)
  })

  it('keeps the product’s anchored patterns working', async () => {
    expect(await matches('^[0-9a-f]{32}$', '0123456789abcdef0123456789abcdef')).toBe(true)
    expect(await matches('^[0-9a-f]{32}$', '0123456789ABCDEF0123456789abcdef')).toBe(false)
    expect(await matches('^[0-9]{6}$', '123456')).toBe(true)
    expect(await matches('^[0-9]{6}$', '12345x')).toBe(false)
  })

  it('treats only ASCII whitespace as \\s: a no-break space is not whitespace to Java', async () => {
    expect(await matches('\\s', ' ')).toBe(true)
    expect(await matches('\\s', '\u000b')).toBe(true)
    expect(await matches('\\s', '\u00a0')).toBe(false)
    expect(await matches('\\s', '\u2003')).toBe(false)
    expect(await matches('\\S', '\u00a0')).toBe(true)
  })

  it('lets a no-break space through a [^\\s...] class, as Java does', async () => {
    expect(await matches('[^\\s@]+@example\\.com', 'a\u00a0b@example.com')).toBe(true)
    expect(await matches('[^\\s@]+@example\\.com', 'a b@example.com')).toBe(false)
  })

  it('treats only ASCII digits as \\d and ASCII letters, digits and _ as \\w', async () => {
    expect(await matches('\\d', '7')).toBe(true)
    expect(await matches('\\d', '\u0663')).toBe(false)
    expect(await matches('\\w+', 'a_Z9')).toBe(true)
    expect(await matches('\\w', 'é')).toBe(false)
    expect(await matches('\\W', 'é')).toBe(true)
  })

  it('keeps Java’s line terminators, \\u0085 among them, out of .', async () => {
    expect(await matches('.', 'a')).toBe(true)
    expect(await matches('.', '\u0085')).toBe(false)
    expect(await matches('.', '\u2028')).toBe(false)
    expect(await matches('.', '\n')).toBe(false)
  })

  it('takes a character outside the BMP as one character, as Java does', async () => {
    expect(await matches('.', '😀')).toBe(true)
    expect(await matches('[^a]', '😀')).toBe(true)
  })

  it('lets $ match before one final line terminator, which the whole-value match must then consume', async () => {
    expect(await matches('abc$', 'abc\n')).toBe(false)
    expect(await matches('abc$\\n', 'abc\n')).toBe(true)
    expect(await matches('abc$\\r\\n', 'abc\r\n')).toBe(true)
    expect(await matches('abc$\\u0085', 'abc\u0085')).toBe(true)
    expect(await matches('abc\\r$\\n', 'abc\r\n')).toBe(false)
  })

  it('reads ] right after [ as a literal, and an escaped - as no range', async () => {
    expect(await matches('[]a]+', ']a]')).toBe(true)
    expect(await matches('[^]a]', 'b')).toBe(true)
    expect(await matches('[a\\-z]', 'b')).toBe(false)
    expect(await matches('[a\\-z]', '-')).toBe(true)
    expect(await matches('[-a]', '-')).toBe(true)
  })

  it('understands escapes of hex, Unicode and quoted punctuation', async () => {
    expect(await matches('\\x41\\u0042\\x{1F600}\\.', 'AB😀.')).toBe(true)
    expect(await matches('a\\.b', 'axb')).toBe(false)
    expect(await matches('[\\x00-\\x1f]', '\u001f')).toBe(true)
  })

  it('supports groups, alternation, lookahead and lazy quantifiers', async () => {
    expect(await matches('(ab|cd){2,}?x', 'abcdx')).toBe(true)
    expect(await matches('(?:a(?=b))b', 'ab')).toBe(true)
    expect(await matches('(?!a).', 'a')).toBe(false)
  })

  it.each([
    ['\\bword\\b', 'the word boundary \\b'],
    ['\\Bx', 'the non-word boundary \\B'],
    ['\\p{L}', 'Unicode properties (\\p)'],
    ['(?i)a', 'named groups and inline flags'],
    ['(?<n>a)', 'named groups and inline flags'],
    ['(?<=a)b', 'lookbehind'],
    ['(?>a)', 'atomic groups'],
    ['a*+', 'possessive quantifiers'],
    ['[a[b]]', 'nested character classes'],
    ['[a-z&&[^b]]', 'class intersection (&&)'],
    ['[a&&b]', 'class intersection (&&)'],
    ['(a)\\1', 'back-references'],
    ['\\Qa.b\\E', 'quoting with \\Q...\\E'],
    ['\\cA', 'control escapes (\\c)'],
    ['\\012', 'octal escapes (\\0)'],
    ['\\R', 'the escape \\R'],
    ['a{', "a '{' that does not start a quantifier"],
    ['*a', 'a quantifier with nothing to repeat'],
    ['(?=a)*', 'a quantifier with nothing to repeat'],
    ['(a', "an unclosed '('"],
    ['a)', "an unmatched ')'"],
    ['[ab', 'an unclosed character class'],
    ['\\uD83D', 'surrogate code units written as \\u escapes'],
    ['[\\d-z]', "a '-' after a predefined class"],
  ])('refuses %j (%s), naming the construct', async (pattern, construct) => {
    expect(await matches(pattern, 'x')).toEqual({
      kind: 'unsupported',
      message: `\`util.matches with ${construct} (pattern ${JSON.stringify(
        pattern,
      )})\` is not supported by the local AppSync runtime`,
    })
  })

  it.each([
    [1, 'a'],
    ['a', 1],
    ['a', null],
  ])('refuses util.matches(%j, %j): AWS documents two strings', async (pattern, value) => {
    expect(await matches(pattern, value)).toEqual({
      kind: 'unsupported',
      message:
        '`util.matches with an argument that is not a string` is not supported by the local AppSync runtime',
    })
  })
})
