/**
 * Walking a response value along a GraphQL selection set: the fragments of a document, and a value
 * reduced to the fields a selection set names (keyed by response name, as a response carries them,
 * or by field name, as AppSync publishes a mutation's result).
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql'

export type Fragments = Record<string, FragmentDefinitionNode>

/** The fragment definitions of a document, by name. */
export function fragmentsOf(document: DocumentNode): Fragments {
  return Object.fromEntries(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
    ),
  )
}

/**
 * Keeps only the parts of `value` the selection set asks for. `from` and `to` say how a selected
 * field is keyed in `value` and in the result: by its response name (its alias, if any) or by its
 * field name. Values that are not objects pass unchanged.
 */
export function projectSelection(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  keys: { from: 'responseName' | 'fieldName'; to: 'responseName' | 'fieldName' },
): unknown {
  if (value === null || typeof value !== 'object' || !selectionSet) return value
  if (Array.isArray(value))
    return value.map((entry) => projectSelection(entry, selectionSet, fragments, keys))
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const responseName = selection.alias?.value ?? selection.name.value
        const from = keys.from === 'fieldName' ? selection.name.value : responseName
        const to = keys.to === 'fieldName' ? selection.name.value : responseName
        if (Object.hasOwn(source, from))
          out[to] = projectSelection(source[from], selection.selectionSet, fragments, keys)
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet)
      else {
        const fragment = fragments[selection.name.value]
        if (fragment) visit(fragment.selectionSet)
      }
    }
  }
  visit(selectionSet)
  return out
}
