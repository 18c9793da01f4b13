/// <reference types="vite/client" />
import { createI18n } from 'vue-i18n'
import type { Composer } from 'vue-i18n'
import { locales } from './locales.js'
import type { Locale } from './locales.js'
import { pluralRule } from './plural.js'
import type { MessageSchema } from './schema.js'

// One lazy chunk per language: the page downloads only the messages it shows.
const messageFiles = import.meta.glob<MessageSchema>('../locales/*.json', { import: 'default' })

/** The app's vue-i18n instance (Composition API only), with no messages loaded yet. */
export function createAppI18n(locale: Locale) {
  return createI18n({
    legacy: false,
    locale,
    // A test keeps every message file complete, so there is nothing to fall back to.
    fallbackLocale: false,
    missingWarn: false,
    fallbackWarn: false,
    messages: {},
    pluralRules: Object.fromEntries(Object.keys(locales).map((tag) => [tag, pluralRule(tag)])),
  })
}

/**
 * Shows the app in `locale`: loads its messages once, switches `composer` to it, and gives the
 * document the language, the writing direction, the title and the description.
 */
export async function switchLocale(composer: Composer, locale: Locale): Promise<void> {
  if (!composer.availableLocales.includes(locale)) {
    const load = messageFiles[`../locales/${locale}.json`]
    if (!load) throw new Error(`no message file for ${locale}`)
    composer.setLocaleMessage(locale, await load())
  }
  composer.locale.value = locale
  const root = document.documentElement
  root.lang = locale
  root.dir = locales[locale].dir
  document.title = composer.t('app.title')
  document
    .querySelector('meta[name="description"]')
    ?.setAttribute('content', composer.t('app.description'))
}
