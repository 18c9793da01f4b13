// Prettier 2 ships no types; the codegen freshness test uses these two functions.
declare module 'prettier' {
  const prettier: {
    format(source: string, options: Record<string, unknown>): string
    resolveConfig(path: string): Promise<Record<string, unknown> | null>
  }
  export default prettier
}
