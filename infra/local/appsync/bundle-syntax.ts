/**
 * Refuses, when a bundle loads, the statements and operators AWS documents as unsupported by the
 * APPSYNC_JS runtime ("Supported runtime features": no try/catch/finally, throw, while,
 * do-while, `for(;;)`, continue, labels, `++`/`--`/`~`, `in`). AppSync refuses such code when it
 * is deployed; running it locally would let, for example, a `try` swallow `util.error`.
 * Async functions, generators and classes are refused earlier, by esbuild (see bundle-script.ts).
 */
import { parse, type Node } from 'acorn'

type Describe = (node: Node & Record<string, unknown>) => string | undefined

const describeNode: Record<string, Describe> = {
  TryStatement: (node) =>
    ['try', node.handler ? 'catch' : '', node.finalizer ? 'finally' : ''].filter(Boolean).join('/'),
  ThrowStatement: () => 'throw',
  WhileStatement: () => 'while loops',
  DoWhileStatement: () => 'do-while loops',
  ForStatement: () => 'for(;;) loops (for-in and for-of are supported)',
  ContinueStatement: () => 'continue',
  LabeledStatement: () => 'labeled statements',
  UpdateExpression: (node) => `the ${String(node.operator)} operator`,
  UnaryExpression: (node) => (node.operator === '~' ? 'the ~ operator' : undefined),
  BinaryExpression: (node) =>
    node.operator === 'in' ? 'the in operator (Object.hasOwn is supported)' : undefined,
  // Not in AWS's list, which offers no dynamic loading at all; here it would reach Node's loader.
  ImportExpression: () => 'dynamic import()',
}

interface Finding {
  construct: string
  node: Node
}

function isNode(value: unknown): value is Node & Record<string, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string'
}

/** The first unsupported construct in source order, depth first. */
function findFirst(node: Node & Record<string, unknown>): Finding | undefined {
  const construct = describeNode[node.type]?.(node)
  if (construct) return { construct, node }
  for (const key of Object.keys(node)) {
    const value = node[key]
    for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
      const found = isNode(child) ? findFirst(child) : undefined
      if (found) return found
    }
  }
  return undefined
}

/**
 * The reason AppSync would refuse `code` for its syntax, naming the construct and its place, or
 * undefined when every statement and operator is one APPSYNC_JS supports.
 */
export function unsupportedSyntax(name: string, code: string): string | undefined {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true })
  const found = findFirst(program as unknown as Node & Record<string, unknown>)
  if (!found) return undefined
  const start = found.node.loc?.start
  const where = start ? ` (${name}.js:${start.line}:${start.column + 1})` : ''
  return `${name}: APPSYNC_JS does not support ${found.construct}${where}`
}
