/**
 * `ctx.info.selectionSetList` and `ctx.info.selectionSetGraphQL`: the field's selection set as
 * paths (`author`, `author/name`; aliases replace names; fragments expanded) and as GraphQL text.
 */
import {
  Kind,
  print,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql'

function collect(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  prefix: string,
  out: string[],
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue
      const path = `${prefix}${selection.alias?.value ?? selection.name.value}`
      if (!out.includes(path)) out.push(path)
      if (selection.selectionSet) collect(selection.selectionSet, fragments, `${path}/`, out)
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, fragments, prefix, out)
    } else {
      const fragment = fragments[selection.name.value]
      if (fragment) collect(fragment.selectionSet, fragments, prefix, out)
    }
  }
}

/** Paths of every field selected under the resolved field. */
export function selectionSetList(
  nodes: readonly FieldNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): string[] {
  const out: string[] = []
  for (const node of nodes) if (node.selectionSet) collect(node.selectionSet, fragments, '', out)
  return out
}

/** The selection set as GraphQL text (named fragments are not merged, as in AppSync). */
export function selectionSetGraphQL(nodes: readonly FieldNode[]): string {
  const set = nodes[0]?.selectionSet
  return set ? print(set) : ''
}
