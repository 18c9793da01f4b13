// Lets the root `tsc` (which does not read .vue files) type-check these tests; `vue-tsc -p
// web/tsconfig.json` resolves the real components instead.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<Record<string, unknown>, object, unknown>
  export default component
}
