/** CLDR's plural categories in the order a message lists its forms, separated by `|`. */
const categoryOrder: readonly Intl.LDMLPluralRule[] = ['zero', 'one', 'two', 'few', 'many', 'other']

/**
 * The categories `locale` distinguishes, in message order: a plural message in that locale has
 * exactly these forms (English `one | other`, Arabic `zero | one | two | few | many | other`).
 */
export function pluralForms(locale: string): Intl.LDMLPluralRule[] {
  const used = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
  return categoryOrder.filter((category) => used.includes(category))
}

/**
 * vue-i18n's plural rule for `locale`, from the browser's CLDR data: which of a message's forms
 * fits `count`. A message with fewer forms than the locale has gets its last one.
 */
export function pluralRule(locale: string): (count: number, forms: number) => number {
  const rules = new Intl.PluralRules(locale)
  const order = pluralForms(locale)
  return (count, forms) => Math.min(Math.max(0, order.indexOf(rules.select(count))), forms - 1)
}
